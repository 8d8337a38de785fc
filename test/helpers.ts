import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadScenarioFile, loadScenarioText, type Scenario } from '../src/scenario/index.js';
import { Cluster } from '../src/cluster/cluster.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCENARIOS = join(ROOT, 'scenarios');

export function builtin(name: string): Scenario {
  const loaded = loadScenarioFile(join(SCENARIOS, `${name}.yaml`));
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return loaded.scenario;
}

export function scenarioFrom(yaml: string): Scenario {
  const loaded = loadScenarioText(yaml, 'inline.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n'));
  return loaded.scenario;
}

/** Runs a scenario headless up to `untilMs` (default: its duration) and returns the cluster. */
export function play(scenario: Scenario, untilMs?: number): Cluster {
  const cluster = new Cluster(scenario).start();
  cluster.runToEnd(untilMs);
  return cluster;
}
