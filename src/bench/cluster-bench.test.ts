import { describe, expect, it } from 'vitest';
import { runClusterBench, type ClusterBenchProgress } from './cluster-bench.js';

describe('the cluster benchmark', () => {
  it('runs the generated Services shape to its end, saying how far it got every 10 virtual seconds', () => {
    const progress: ClusterBenchProgress[] = [];
    const result = runClusterBench(3, 5, 'services', '65s', (p) => progress.push(p));
    expect(progress.map((p) => p.virtualMs)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 65_000]);
    expect(progress.map((p) => p.steps)).toEqual([...progress.map((p) => p.steps)].sort((a, b) => a - b));
    expect(progress.at(-1)!.steps).toBe(result.steps);
    // 15 app pods, one Service for them, plus kubernetes and kube-dns.
    expect(result).toMatchObject({ shape: 'services', nodes: 3, virtualMs: 65_000, services: 3 });
    expect(result.pods).toBeGreaterThanOrEqual(15);
  });
});
