import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { createTestApi, type TestApi } from '../../cluster/testing.js';
import { Scheduler } from './scheduler.js';

function put(api: TestApi, resource: string, namespace: string | undefined, body: Record<string, unknown>): void {
  const info = api.apiserver.findResource('', resource)!;
  const res = api.apiserver.registry.create(info, namespace, body as KubeObject, { user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() }, () => undefined);
  expect(res.status).toBe(201);
}

function cluster(nodes: number): { api: TestApi; scheduler: Scheduler } {
  const api = createTestApi({ seed: 7 });
  for (let i = 1; i <= nodes; i++) {
    const name = `worker-${String(i).padStart(3, '0')}`;
    put(api, 'nodes', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
  }
  for (const name of ['a', 'b']) {
    put(api, 'pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
  }
  return { api, scheduler: new Scheduler(api.context('kube-scheduler', 'system:kube-scheduler')) };
}

const decisions = (api: TestApi) => api.sim.recorder.steps.filter((s) => s.kind === 'decision' && s.summary.startsWith('schedule'));

describe('kube-scheduler in a big cluster (percentageOfNodesToScore)', () => {
  it('filters only until 100 nodes fit, says so, and starts the next pod after the last node it checked', () => {
    const { api, scheduler } = cluster(150);
    scheduler.start();
    api.sim.runUntil(2_000);
    const [first, second] = decisions(api);
    expect(first.explanation).toContain('Filters over 100 node(s)');
    expect(first.explanation).toContain('kube-scheduler checked 100 of 150 nodes, from worker-001 to worker-100');
    expect(second.explanation).toContain('kube-scheduler checked 100 of 150 nodes, from worker-101 to worker-050');
  });

  it('names the first ten nodes of each list and counts the rest, so the step stays small', () => {
    const { api, scheduler } = cluster(150);
    scheduler.start();
    api.sim.runUntil(2_000);
    const [first] = decisions(api);
    expect(first.explanation).toContain('worker-001, worker-002, worker-003, worker-004, worker-005, worker-006, worker-007, worker-008, worker-009, worker-010 and 90 more fit.');
    // Every node is empty and scores the same: all 100 tie.
    expect(first.explanation).toMatch(/over worker-001 \(97\), .* and 89 more node\(s\) also scoring 97\./);
    expect(first.explanation).toMatch(/worker-\d+ and 99 other node\(s\) tied at the top/);
    const detail = first.detail as { scores: { name: string }[]; scoredNodes: number };
    expect(detail.scoredNodes).toBe(100);
    expect(detail.scores).toHaveLength(10);
    expect(detail.scores[0].name).toBe(first.node);
  });

  it('searches all nodes of a 100-node cluster and says nothing about sampling', () => {
    const { api, scheduler } = cluster(100);
    scheduler.start();
    api.sim.runUntil(2_000);
    for (const decision of decisions(api)) {
      expect(decision.explanation).toContain('Filters over 100 node(s)');
      expect(decision.explanation).not.toContain('kube-scheduler checked');
    }
  });
});
