import { describe, expect, it } from 'vitest';
import { findNodesThatPassFilters, numFeasibleNodesToFind } from './find-nodes.js';
import type { FilterStatus, NodeInfo } from './plugins/framework.js';
import type { SchedulingPod } from './types.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [] } } as SchedulingPod;

function nodes(count: number): NodeInfo[] {
  return Array.from({ length: count }, (_, i) => ({ name: `n${String(i).padStart(4, '0')}` }) as NodeInfo);
}

const fitsAll = (): FilterStatus | undefined => undefined;
const rejectEven = (_p: SchedulingPod, info: NodeInfo): FilterStatus | undefined =>
  Number(info.name.slice(1)) % 2 === 0 ? { code: 'Unschedulable', reasons: ['Too many pods'], plugin: 'NodeResourcesFit' } : undefined;

describe('numFeasibleNodesToFind (adaptive percentageOfNodesToScore)', () => {
  it('searches every node below 100 and at least 100 nodes above', () => {
    expect(numFeasibleNodesToFind(3)).toBe(3);
    expect(numFeasibleNodesToFind(99)).toBe(99);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(150)).toBe(100);
  });

  it('takes 50% minus 1% per 125 nodes, never under 5%', () => {
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(20000)).toBe(1000);
    expect(numFeasibleNodesToFind(1000, 10)).toBe(100);
  });
});

describe('findNodesThatPassFilters', () => {
  it('checks every node of a small cluster in order and starts from the same node next time', () => {
    const all = nodes(100);
    const result = findNodesThatPassFilters(pod, all, 0, rejectEven);
    expect(result.evaluated).toBe(all);
    expect(result.feasible).toHaveLength(50);
    expect(result.statuses.size).toBe(50);
    expect(result.nextStartIndex).toBe(0);
  });

  it('stops a big cluster once enough nodes fit, and the next search starts where it stopped', () => {
    const all = nodes(1000);
    const first = findNodesThatPassFilters(pod, all, 0, fitsAll);
    expect(first.feasible.map((n) => n.name)).toEqual(all.slice(0, 420).map((n) => n.name));
    expect(first.nextStartIndex).toBe(420);
    const second = findNodesThatPassFilters(pod, all, first.nextStartIndex, rejectEven);
    // 420 feasible among odd nodes from 420 on: 840 nodes checked, wrapping past the end.
    expect(second.feasible).toHaveLength(420);
    expect(second.evaluated).toHaveLength(840);
    expect(second.evaluated[0].name).toBe('n0420');
    expect(second.evaluated[839].name).toBe('n0259');
    expect(second.nextStartIndex).toBe((420 + 840) % 1000);
  });

  it('checks every node when too few fit, so the failure message counts them all', () => {
    const all = nodes(300);
    const result = findNodesThatPassFilters(pod, all, 120, (_p, info) => (info.name === 'n0007' ? undefined : rejectEven(_p, { name: 'n0000' } as NodeInfo)));
    expect(result.feasible.map((n) => n.name)).toEqual(['n0007']);
    expect(result.evaluated).toHaveLength(300);
    expect(result.nextStartIndex).toBe(120);
  });
});
