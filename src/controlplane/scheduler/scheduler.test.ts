import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { createTestApi, type TestApi } from '../../cluster/testing.js';
import { Scheduler } from './scheduler.js';

function put(api: TestApi, resource: string, namespace: string | undefined, body: Record<string, unknown>): KubeObject {
  const info = api.apiserver.findResource('', resource)!;
  const res = api.apiserver.registry.create(info, namespace, body as KubeObject, { user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() }, () => undefined);
  expect(res.status).toBe(201);
  return res.body as KubeObject;
}

function node(api: TestApi, name: string, opts: { cpu?: string; memory?: string; labels?: Record<string, string>; taints?: unknown[] } = {}): void {
  put(api, 'nodes', undefined, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { taints: opts.taints },
    status: { allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: '110' } },
  });
}

function pod(api: TestApi, name: string, spec: Record<string, unknown> = {}, cpu = '500m', memory = '512Mi'): KubeObject {
  return put(api, 'pods', 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu, memory } } }], ...spec },
  });
}

function setup(): { api: TestApi; scheduler: Scheduler } {
  const api = createTestApi({ seed: 7 });
  const scheduler = new Scheduler(api.context('kube-scheduler', 'system:kube-scheduler'));
  return { api, scheduler };
}

const podObj = (api: TestApi, name: string): any => api.apiserver.registry.get(api.apiserver.findResource('', 'pods')!, 'default', name);
const nodeOf = (api: TestApi, name: string): string | undefined => podObj(api, name)?.spec.nodeName;

describe('kube-scheduler', () => {
  it('binds a pod to the least-allocated node through the binding subresource', () => {
    const { api, scheduler } = setup();
    node(api, 'worker-1');
    node(api, 'worker-2');
    pod(api, 'busy', { nodeName: 'worker-1' }, '2', '4Gi');
    const web = pod(api, 'web');
    scheduler.start();
    api.sim.runUntil(1_000);

    expect(nodeOf(api, 'web')).toBe('worker-2');
    const bind = api.sim.recorder.steps.find((s) => s.method === 'POST' && s.path === '/api/v1/namespaces/default/pods/web/binding');
    expect(bind?.status).toBe(201);
    expect(bind?.user).toBe('system:kube-scheduler');
    expect(bind?.request).toEqual({
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'web', namespace: 'default', uid: web.metadata.uid },
      target: { kind: 'Node', name: 'worker-2' },
    });
    const decision = api.sim.recorder.steps.find((s) => s.kind === 'decision' && s.summary === 'schedule default/web → worker-2');
    // worker-2: cpu (4000-500)/4000 → 87, memory (8Gi-512Mi)/8Gi → 93, mean 90; worker-1 already holds 2 cpu/4Gi → 40.
    expect(decision?.explanation).toContain('worker-2 scored 90 (least allocated');
    expect(decision?.explanation).toContain('over worker-1 (40)');
    expect(podObj(api, 'web').status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
  });

  it('skips a node with a NoSchedule taint unless the pod tolerates it', () => {
    const { api, scheduler } = setup();
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    node(api, 'worker-1', { cpu: '16', memory: '64Gi', taints: [taint] });
    node(api, 'worker-2');
    pod(api, 'plain');
    pod(api, 'tolerant', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
    scheduler.start();
    api.sim.runUntil(1_000);

    expect(nodeOf(api, 'plain')).toBe('worker-2');
    expect(nodeOf(api, 'tolerant')).toBe('worker-1');
    const decision = api.sim.recorder.steps.find((s) => s.kind === 'decision' && s.summary.startsWith('schedule default/plain'));
    expect(decision?.explanation).toContain('worker-1 rejected by TaintToleration (node(s) had untolerated taint {dedicated: gpu})');
    expect(decision?.explanation).toContain('Only worker-2 passed the filters');
  });

  it('honours nodeSelector', () => {
    const { api, scheduler } = setup();
    node(api, 'worker-1', { cpu: '16', memory: '64Gi' });
    node(api, 'worker-2', { labels: { disktype: 'ssd' } });
    pod(api, 'db', { nodeSelector: { disktype: 'ssd' } });
    scheduler.start();
    api.sim.runUntil(1_000);
    expect(nodeOf(api, 'db')).toBe('worker-2');
  });

  it('marks a pod that fits nowhere PodScheduled=False with the real message, then places it when a node joins', () => {
    const { api, scheduler } = setup();
    node(api, 'worker-1', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] });
    node(api, 'worker-2', { cpu: '2' });
    node(api, 'worker-3', { cpu: '2' });
    pod(api, 'big', {}, '3');
    scheduler.start();
    api.sim.runUntil(1_000);

    const condition = podObj(api, 'big').status.conditions.find((c: any) => c.type === 'PodScheduled');
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(condition.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    const patches = api.sim.recorder.steps.filter((s) => s.method === 'PATCH' && s.path === '/api/v1/namespaces/default/pods/big/status');
    expect(patches).toHaveLength(1);

    node(api, 'worker-4', { cpu: '8' });
    api.sim.runUntil(5_000);
    expect(nodeOf(api, 'big')).toBe('worker-4');
  });

  it('retries with backoff while no node exists, and tells the learner once', () => {
    const { api, scheduler } = setup();
    pod(api, 'early');
    scheduler.start();
    api.sim.runUntil(20_000);
    expect(podObj(api, 'early').status.conditions).toContainEqual(
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'SchedulerError', message: 'no nodes available to schedule pods' }),
    );
    expect(api.sim.recorder.steps.filter((s) => s.kind === 'decision')).toHaveLength(1);
    node(api, 'worker-1');
    api.sim.runUntil(31_000);
    expect(nodeOf(api, 'early')).toBe('worker-1');
  });

  it('counts assumed pods so two quick pods do not take the same free space', () => {
    const { api, scheduler } = setup();
    // worker-1 scores better for both pods; only the assumed first pod keeps the second off it.
    node(api, 'worker-1', { memory: '16Gi' });
    node(api, 'worker-2');
    pod(api, 'a', {}, '3');
    pod(api, 'b', {}, '3');
    scheduler.start();
    api.sim.runUntil(1_000);
    expect(nodeOf(api, 'a')).toBe('worker-1');
    expect(nodeOf(api, 'b')).toBe('worker-2');
  });

  it('breaks ties between equal nodes with its seeded stream, the same way on every run', () => {
    const run = (): string | undefined => {
      const { api, scheduler } = setup();
      for (const n of ['worker-1', 'worker-2', 'worker-3']) node(api, n);
      pod(api, 'web');
      scheduler.start();
      api.sim.runUntil(1_000);
      const decision = api.sim.recorder.steps.find((s) => s.kind === 'decision');
      expect(decision?.explanation).toContain('tied at the top');
      return nodeOf(api, 'web');
    };
    expect(run()).toBe(run());
  });

  it('ignores pods for another scheduler and pods already bound', () => {
    const { api, scheduler } = setup();
    node(api, 'worker-1');
    pod(api, 'custom', { schedulerName: 'my-scheduler' });
    scheduler.start();
    api.sim.runUntil(1_000);
    expect(nodeOf(api, 'custom')).toBeUndefined();
    expect(api.sim.recorder.steps.some((s) => s.path?.includes('/binding'))).toBe(false);
  });
  it('filters only the node a pod is pinned to by matchFields metadata.name (NodeAffinity PreFilter), and says why the others were left out', () => {
    const { api, scheduler } = setup();
    node(api, 'worker-1');
    node(api, 'worker-2', { cpu: '1' });
    node(api, 'worker-3');
    const pinned = (to: string) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [to] }] }] } } } });
    pod(api, 'agent-a', pinned('worker-3'));
    pod(api, 'agent-b', pinned('worker-2'), '2');
    scheduler.start();
    api.sim.runUntil(1_000);

    expect(nodeOf(api, 'agent-a')).toBe('worker-3');
    const decision = api.sim.recorder.steps.find((s) => s.summary === 'schedule default/agent-a → worker-3')!;
    expect(decision.explanation).toContain("NodeAffinity's PreFilter: the pod's required node affinity (matchFields metadata.name In [worker-3]) names its node, so only worker-3 is filtered.");
    expect(decision.explanation).toContain('Filters over 1 node(s)');
    expect(nodeOf(api, 'agent-b')).toBeUndefined();
    const scheduled = podObj(api, 'agent-b').status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
    expect(scheduled).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
    });
  });
});
