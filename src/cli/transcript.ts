import { Cluster } from '../cluster/cluster.js';
import type { Scenario } from '../scenario/index.js';
import { formatDuration } from '../scenario/index.js';
import type { CliIo } from './io.js';
import { formatStepJson, formatStepText } from './output/text.js';

export interface TranscriptOptions {
  readonly format: 'text' | 'jsonl';
  readonly untilMs?: number;
  readonly seed?: number;
  readonly brief?: boolean;
}

/** `seed=1 scenario=first-node nodes=2 ...`: what a rerun needs, printed before anything else. */
export function runHeader(scenario: Scenario, untilMs: number): string {
  const c = scenario.spec.cluster;
  return `seed=${scenario.spec.seed} scenario=${scenario.metadata.name} nodes=${scenario.spec.nodes.length} kubernetes=${c.kubernetesVersion} network=${c.network.plugin}/${c.network.backend} kube-proxy=${c.kubeProxy.mode} until=${formatDuration(untilMs)}`;
}

export function withSeed(scenario: Scenario, seed: number | undefined): Scenario {
  return seed === undefined ? scenario : { ...scenario, spec: { ...scenario.spec, seed } };
}

/** Runs the scenario headless, streaming each step as it is recorded. Returns the step count. */
export function writeTranscript(base: Scenario, io: CliIo, options: TranscriptOptions): number {
  const scenario = withSeed(base, options.seed);
  const untilMs = options.untilMs ?? scenario.spec.durationMs;
  const header = runHeader(scenario, untilMs);
  if (options.format === 'jsonl') io.stderr.write(`${header}\n`);
  else io.stdout.write(`${header}\n`);
  const cluster = new Cluster(scenario);
  const format = options.format === 'jsonl' ? formatStepJson : (s: Parameters<typeof formatStepText>[0]) => formatStepText(s, options.brief);
  let count = 0;
  cluster.sim.recorder.onStep((step) => {
    count++;
    io.stdout.write(format(step));
  });
  cluster.start();
  cluster.runToEnd(untilMs);
  return count;
}
