import { describe, expect, it } from 'vitest';
import { FailedSearchCache, text } from './failed-search-cache.js';
import type { FilterResult } from './find-nodes.js';
import type { NodeInfo } from './plugins/framework.js';
import type { SchedulingPod } from './types.js';

function pod(name: string, cpu: string, tolerations?: SchedulingPod['spec']['tolerations']): SchedulingPod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { tolerations, containers: [{ name: 'app', resources: { requests: { cpu } } }] } };
}

function result(feasible: number, startIndex = 0): FilterResult {
  const nodes = Array.from({ length: feasible }, (_, i) => ({ name: `n${i}` }) as NodeInfo);
  return { feasible: nodes, statuses: new Map(), evaluated: nodes, numNodesToFind: 3, startIndex, nextStartIndex: startIndex };
}

describe('FailedSearchCache', () => {
  it('hands a failed search to another pod of the same template until the cluster changes', () => {
    const cache = new FailedSearchCache();
    const failed = cache.remember(pod('a', '100m'), 7, result(0)).search;
    expect(cache.lookup(pod('b', '100m'), 7, 0)?.search).toBe(failed);
    expect(cache.lookup(pod('b', '100m'), 8, 0)).toBeUndefined();
  });

  it('keeps pods that filters could tell apart apart: requests, tolerations, where the search started', () => {
    const cache = new FailedSearchCache();
    cache.remember(pod('a', '100m'), 1, result(0));
    expect(cache.lookup(pod('b', '200m'), 1, 0)).toBeUndefined();
    expect(cache.lookup(pod('c', '100m', [{ key: 'x', operator: 'Exists' }]), 1, 0)).toBeUndefined();
    expect(cache.lookup(pod('d', '100m'), 1, 2)).toBeUndefined();
  });

  it('never reuses a search that found a node, since placing the pod changes the cluster', () => {
    const cache = new FailedSearchCache();
    cache.remember(pod('a', '100m'), 1, result(2));
    expect(cache.lookup(pod('b', '100m'), 1, 0)).toBeUndefined();
  });

  it('works out the words of a failed search once', () => {
    const entry = new FailedSearchCache().remember(pod('a', '100m'), 1, result(0));
    let made = 0;
    const make = (): string => `message ${++made}`;
    expect(text(entry, 'message', make)).toBe('message 1');
    expect(text(entry, 'message', make)).toBe('message 1');
  });
});
