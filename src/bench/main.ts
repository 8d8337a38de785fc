import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDuration } from '../scenario/duration.js';
import type { ClusterBenchProgress, ClusterBenchResult } from './cluster-bench.js';
import type { BenchShape } from './generate.js';
import { measureVersion } from './startup.js';

/**
 * `npm run bench`: speed and memory targets live here, not in unit tests. Each size runs in its
 * own process so its peak memory is its own. The machine's load average is printed with each
 * row: on a shared machine, wall time (and so the speedup) stretches with it; CPU seconds less so.
 *
 * KUBE_LEARN_BENCH_PLAYER (default 300:300000, or off), KUBE_LEARN_BENCH_NODES (default 100,1000,5000),
 * KUBE_LEARN_BENCH_SHAPES (default pods,services; `player` alone runs only the player-history
 * part, `startup` only the start-up measurements: `--version` and the terminal UI's first frame),
 * KUBE_LEARN_BENCH_DURATION (default 10m) and KUBE_LEARN_BENCH_TIMEOUT_S (default 1800; a size
 * that takes longer is stopped and reported as not finished, with how far it got, never estimated).
 */
const here = dirname(fileURLToPath(import.meta.url));

function runSize(nodes: number, shape: BenchShape, duration: string, timeoutS: number): ClusterBenchResult | string {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--max-old-space-size=16384', join(here, 'cluster-bench.js'), String(nodes), '30', shape, duration], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    timeout: timeoutS * 1000,
    killSignal: 'SIGKILL',
  });
  if (result.error || result.status !== 0) {
    const stderr = (result.stderr ?? '').trim().split('\n');
    const seconds = Math.round((Date.now() - started) / 1000);
    const fatal = stderr.find((line) => line.includes('FATAL ERROR'));
    const lastLine = stderr.filter((line) => line.trim() !== '' && !line.startsWith('progress ')).pop();
    let why: string;
    if (result.signal === 'SIGKILL' && seconds >= timeoutS) why = `not finished within ${timeoutS} s (stopped)`;
    else if (fatal) why = `failed after ${seconds} s: ${fatal.trim()}`;
    else if (result.signal === 'SIGKILL') why = `killed (SIGKILL, as the kernel's out-of-memory killer does) after ${seconds} s`;
    else if (result.signal) why = `killed by ${result.signal} after ${seconds} s`;
    else why = `failed after ${seconds} s: ${(lastLine ?? result.error?.message ?? `exit ${result.status}`).trim()}`;
    const last = stderr.filter((line) => line.startsWith('progress ')).pop();
    if (!last) return `${why}, before its first 10 virtual seconds`;
    const p = JSON.parse(last.slice('progress '.length)) as ClusterBenchProgress;
    return `${why}: had reached ${formatDuration(p.virtualMs)} of ${duration} virtual in ${p.cpuSeconds.toFixed(1)} CPU s, ${p.steps} steps, ${p.rssMiB} MiB RSS`;
  }
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as ClusterBenchResult;
}

const WIDTHS = [9, 6, 7, 8, 8, 8, 9, 9, 10, 6];
const HEADER = ['shape', 'nodes', 'pods', 'Services', 'virtual', 'CPU s', 'wall s', 'steps', 'speedup', 'peak RSS', 'load'];

function row(r: ClusterBenchResult, load: number): string {
  return [
    r.shape.padEnd(9),
    String(r.nodes).padStart(6),
    String(r.pods).padStart(7),
    String(r.services).padStart(8),
    `${(r.virtualMs / 60000).toFixed(0)}m`.padStart(8),
    r.cpuSeconds.toFixed(1).padStart(8),
    (r.wallMs / 1000).toFixed(1).padStart(8),
    String(r.steps).padStart(9),
    `${r.speedup}x`.padStart(9),
    `${r.peakRssMiB} MiB`.padStart(10),
    load.toFixed(1).padStart(6),
  ].join('  ');
}

/** The player-history part (KUBE_LEARN_BENCH_PLAYER nodes:steps, or off). */
function runPlayer(timeoutS: number): void {
  const player = process.env.KUBE_LEARN_BENCH_PLAYER ?? '300:300000';
  if (player !== 'off') {
    const [nodes, steps] = player.split(':').map(Number);
    console.log(`\nterminal player history: ${nodes} generated nodes, held to step ${steps}, then 50 steps back and 50 forward (target <= 16 ms each)`);
    const before = loadavg()[0];
    const result = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=16384', join(here, 'player-history.js'), String(nodes), String(steps)], { encoding: 'utf8', maxBuffer: 1 << 20, timeout: timeoutS * 1000, killSignal: 'SIGKILL' });
    if (result.status !== 0) console.log(`  failed: ${(result.stderr ?? '').trim().split('\n').pop() ?? result.error?.message}`);
    else {
      const r = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      for (const [key, value] of Object.entries(r)) console.log(`  ${key}: ${String(value)}`);
      console.log(`  load: ${Math.max(before, loadavg()[0]).toFixed(1)}`);
    }
  }
}

function runClusters(sizes: readonly number[], shapes: readonly BenchShape[], duration: string, timeoutS: number): void {
  console.log(`cluster simulation: generated clusters, 30 pods per node, ${duration} virtual; 'services' has one Service per 15 pods`);
  console.log(HEADER.map((h, i) => (i === 0 ? h.padEnd(9) : h.padStart([0, ...WIDTHS][i]))).join('  '));
  for (const shape of shapes) {
    for (const nodes of sizes) {
      const before = loadavg()[0];
      const r = runSize(nodes, shape, duration, timeoutS);
      if (typeof r === 'string') console.log(`${shape.padEnd(9)}  ${String(nodes).padStart(6)}  ${r}`);
      else console.log(row(r, Math.max(before, loadavg()[0])));
    }
  }
}

async function main(): Promise<void> {
  const sizes = (process.env.KUBE_LEARN_BENCH_NODES ?? '100,1000,5000').split(',').map(Number);
  const shapes = (process.env.KUBE_LEARN_BENCH_SHAPES ?? 'pods,services').split(',') as BenchShape[];
  const duration = process.env.KUBE_LEARN_BENCH_DURATION ?? '10m';
  const timeoutS = Number(process.env.KUBE_LEARN_BENCH_TIMEOUT_S ?? 1800);
  if (shapes.join(',') === 'player') {
    runPlayer(timeoutS);
    return;
  }
  if (shapes.join(',') !== 'startup') {
    runClusters(sizes, shapes, duration, timeoutS);
    runPlayer(timeoutS);
  }
  const v = measureVersion();
  console.log(`\nkube-learn --version: ${v.versionMs} ms, node -e 0: ${v.nodeMs} ms (median of ${v.runs}): ${v.ratio}x (load ${loadavg()[0].toFixed(1)})`);
  try {
    // Looked up by name so the cluster benchmark builds and runs without the UI module.
    const uiModule = './ui-first-frame.js';
    const ui = (await import(uiModule)) as { measureFirstFrame?: () => Promise<Record<string, unknown>> };
    if (ui.measureFirstFrame) {
      console.log('\nterminal UI: time to first frame');
      const before = loadavg()[0];
      const result = await ui.measureFirstFrame();
      for (const [key, value] of Object.entries(result)) console.log(`  ${key}: ${String(value)}`);
      console.log(`  load: ${Math.max(before, loadavg()[0]).toFixed(1)}`);
    }
  } catch (error) {
    console.log(`\nterminal UI first-frame benchmark unavailable: ${(error as Error).message}`);
  }
}

await main();
