import { performance } from 'node:perf_hooks';
import { Cluster } from '../cluster/cluster.js';
import { generatedScenario, type BenchShape } from './generate.js';

/**
 * One benchmark run, meant to run alone in a child process so that peak memory (maxRSS) is its
 * own: builds a generated cluster and runs it for its whole virtual duration, as `kube-learn run`
 * does: every step is handed to a listener (which counts it) and then released.
 */
export interface ClusterBenchResult {
  readonly shape: BenchShape;
  readonly nodes: number;
  readonly pods: number;
  readonly services: number;
  readonly virtualMs: number;
  readonly wallMs: number;
  /** User plus system CPU time of the process, in seconds (build and run). */
  readonly cpuSeconds: number;
  readonly steps: number;
  readonly stepsPerSecond: number;
  /** Virtual time over wall time. */
  readonly speedup: number;
  readonly peakRssMiB: number;
  readonly storeKeys: number;
}

/** How far a run has got: written after every slice of virtual time. */
export interface ClusterBenchProgress {
  readonly virtualMs: number;
  readonly wallMs: number;
  readonly cpuSeconds: number;
  readonly steps: number;
  readonly rssMiB: number;
}

const PROGRESS_EVERY_MS = 10_000;

export function runClusterBench(
  nodes: number,
  podsPerNode: number,
  shape: BenchShape = 'pods',
  duration = '10m',
  onProgress?: (progress: ClusterBenchProgress) => void,
): ClusterBenchResult {
  const scenario = generatedScenario(nodes, podsPerNode, duration, shape);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const cluster = new Cluster(scenario);
  cluster.sim.recorder.release();
  cluster.start();
  const measure = (virtualMs: number): ClusterBenchProgress => {
    const cpu = process.cpuUsage(cpuBefore);
    return {
      virtualMs,
      wallMs: Math.round(performance.now() - started),
      cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
      steps: cluster.sim.recorder.length,
      rssMiB: Math.round(process.memoryUsage.rss() / 1048576),
    };
  };
  // In slices of 10 virtual seconds, each reported, so that a run stopped for taking too long can
  // still say how far it got.
  let done: ClusterBenchProgress;
  for (let t = PROGRESS_EVERY_MS; ; t += PROGRESS_EVERY_MS) {
    const until = Math.min(t, scenario.spec.durationMs);
    cluster.runToEnd(until);
    done = measure(until);
    onProgress?.(done);
    if (until >= scenario.spec.durationMs) break;
  }
  const { wallMs, cpuSeconds, steps } = done;
  return {
    shape,
    nodes,
    pods: cluster.store.range('/registry/pods/').length,
    services: cluster.store.range('/registry/services/specs/').length,
    virtualMs: scenario.spec.durationMs,
    wallMs,
    cpuSeconds,
    steps,
    stepsPerSecond: Math.round(steps / (wallMs / 1000)),
    speedup: Math.round((scenario.spec.durationMs / wallMs) * 10) / 10,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    storeKeys: cluster.store.size,
  };
}

// Child-process entry: `node dist/bench/cluster-bench.js <nodes> <podsPerNode> [shape] [duration]`
// prints one JSON line on stdout, and a progress line per slice on stderr.
if (process.argv[1]?.endsWith('cluster-bench.js') && process.argv.length >= 4) {
  const shape = (process.argv[4] ?? 'pods') as BenchShape;
  const result = runClusterBench(Number(process.argv[2]), Number(process.argv[3]), shape, process.argv[5], (progress) => {
    process.stderr.write(`progress ${JSON.stringify(progress)}\n`);
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
