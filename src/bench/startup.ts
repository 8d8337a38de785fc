import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * `kube-learn --version` against `node -e 0`, spawn to exit, medians of interleaved runs: the
 * version is answered without loading the commands or the simulation core, so it should cost
 * little more than starting node.
 */
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'kube-learn.js');

export interface VersionTiming {
  readonly runs: number;
  readonly nodeMs: number;
  readonly versionMs: number;
  readonly ratio: number;
}

function time(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return performance.now() - started;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function measureVersion(runs = 9): VersionTiming {
  const node: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(time(['-e', '0']));
    version.push(time([BIN, '--version']));
  }
  const nodeMs = median(node);
  const versionMs = median(version);
  return { runs, nodeMs: Math.round(nodeMs), versionMs: Math.round(versionMs), ratio: Math.round((versionMs / nodeMs) * 100) / 100 };
}
