import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterBenchResult } from './cluster-bench.js';

/**
 * `npm run bench`: speed and memory targets live here, not in unit tests. Each size runs in its
 * own process so its peak memory is its own.
 */
const here = dirname(fileURLToPath(import.meta.url));

function runSize(nodes: number, podsPerNode: number): ClusterBenchResult {
  const out = execFileSync(process.execPath, ['--max-old-space-size=16384', join(here, 'cluster-bench.js'), String(nodes), String(podsPerNode)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ClusterBenchResult;
}

function row(r: ClusterBenchResult): string {
  return [
    String(r.nodes).padStart(6),
    String(r.pods).padStart(7),
    `${(r.virtualMs / 60000).toFixed(0)}m`.padStart(8),
    `${(r.wallMs / 1000).toFixed(1)}s`.padStart(8),
    String(r.steps).padStart(9),
    String(r.stepsPerSecond).padStart(9),
    `${r.speedup}x`.padStart(8),
    `${r.peakRssMiB} MiB`.padStart(10),
  ].join('  ');
}

async function main(): Promise<void> {
  const sizes = (process.env.KUBE_LEARN_BENCH_NODES ?? '100,1000').split(',').map(Number);
  console.log('cluster simulation: generated clusters, 30 pods per node, 10 virtual minutes');
  console.log(['nodes', 'pods', 'virtual', 'wall', 'steps', 'steps/s', 'speedup', 'peak RSS'].map((h, i) => h.padStart([6, 7, 8, 8, 9, 9, 8, 10][i])).join('  '));
  for (const nodes of sizes) console.log(row(runSize(nodes, 30)));
  try {
    // Looked up by name so the cluster benchmark builds and runs without the UI module.
    const uiModule = './ui-first-frame.js';
    const ui = (await import(uiModule)) as { measureFirstFrame?: () => Promise<Record<string, unknown>> };
    if (ui.measureFirstFrame) {
      console.log('\nterminal UI: time to first frame');
      const result = await ui.measureFirstFrame();
      for (const [key, value] of Object.entries(result)) console.log(`  ${key}: ${String(value)}`);
    }
  } catch (error) {
    console.log(`\nterminal UI first-frame benchmark unavailable: ${(error as Error).message}`);
  }
}

await main();
