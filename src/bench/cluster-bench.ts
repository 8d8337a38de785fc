import { performance } from 'node:perf_hooks';
import { Cluster } from '../cluster/cluster.js';
import { generatedScenario } from './generate.js';

/**
 * One benchmark run, meant to run alone in a child process so that peak memory (maxRSS) is its
 * own: builds a generated cluster and runs it for its whole virtual duration.
 */
export interface ClusterBenchResult {
  readonly nodes: number;
  readonly pods: number;
  readonly virtualMs: number;
  readonly wallMs: number;
  readonly steps: number;
  readonly stepsPerSecond: number;
  readonly speedup: number;
  readonly peakRssMiB: number;
  readonly storeKeys: number;
}

export function runClusterBench(nodes: number, podsPerNode: number): ClusterBenchResult {
  const scenario = generatedScenario(nodes, podsPerNode);
  const started = performance.now();
  const cluster = new Cluster(scenario).start();
  cluster.runToEnd();
  const wallMs = performance.now() - started;
  const steps = cluster.sim.recorder.length;
  const pods = cluster.store.range('/registry/pods/').length;
  return {
    nodes,
    pods,
    virtualMs: scenario.spec.durationMs,
    wallMs: Math.round(wallMs),
    steps,
    stepsPerSecond: Math.round(steps / (wallMs / 1000)),
    speedup: Math.round(scenario.spec.durationMs / wallMs),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    storeKeys: cluster.store.size,
  };
}

// Child-process entry: `node dist/bench/cluster-bench.js <nodes> <podsPerNode>` prints one JSON line.
if (process.argv[1]?.endsWith('cluster-bench.js') && process.argv.length >= 4) {
  process.stdout.write(`${JSON.stringify(runClusterBench(Number(process.argv[2]), Number(process.argv[3])))}\n`);
}
