import type { Step } from '../src/sim/trace.js';
import type { Scenario } from '../src/scenario/index.js';
import { Cluster } from '../src/cluster/cluster.js';
import { builtin, scenarioFrom, SCENARIOS } from './helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs a scenario; each node's network daemon starts with its DaemonSet pod, as the cluster wiring does. */
export function playNetworked(scenario: Scenario, untilMs?: number): Cluster {
  const cluster = new Cluster(scenario).start();
  cluster.runToEnd(untilMs);
  return cluster;
}

/** A built-in scenario's YAML with some text replaced, loaded. */
export function variant(name: string, ...replacements: [string | RegExp, string][]): Scenario {
  let text = readFileSync(join(SCENARIOS, `${name}.yaml`), 'utf8');
  for (const [from, to] of replacements) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`variant of ${name}: ${String(from)} not found`);
    text = next;
  }
  return scenarioFrom(text);
}

/** Network steps at the moment of a request (the walk is instantaneous in virtual time). */
export function walkSteps(cluster: Cluster, atMs: number): Step[] {
  return cluster.sim.recorder.steps.filter((s) => s.t === atMs && s.stage === 'networking' && s.kind === 'node');
}

export { builtin };
