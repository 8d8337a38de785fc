import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { createTestApi, type TestApi } from '../../../cluster/testing.js';
import { ReplicaSetController } from './replica-set-controller.js';

const admin = (api: TestApi) => ({ user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() });
const info = (api: TestApi, group: string, resource: string) => api.apiserver.findResource(group, resource)!;

function createRs(api: TestApi, replicas: number): KubeObject {
  const labels = { app: 'web', 'pod-template-hash': '5d4f8c9b6' };
  const res = api.apiserver.registry.create(info(api, 'apps', 'replicasets'), 'default', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d4f8c9b6' },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
  }, admin(api), () => undefined);
  return res.body as KubeObject;
}

function patch(api: TestApi, group: string, resource: string, name: string, body: unknown, subresource?: string): void {
  const res = api.apiserver.registry.patch(info(api, group, resource), 'default', name, 'merge', body, subresource, () => undefined);
  expect(res.status).toBe(200);
}

const pods = (api: TestApi): any[] => api.apiserver.registry.list(info(api, '', 'pods'), 'default', { labels: [], fields: [] }).items;
const podCreates = (api: TestApi) => api.sim.recorder.steps.filter((s) => s.method === 'POST' && s.path === '/api/v1/namespaces/default/pods');
const rsStatus = (api: TestApi): any => (api.apiserver.registry.get(info(api, 'apps', 'replicasets'), 'default', 'web-5d4f8c9b6') as any).status;

function setup(replicas: number): { api: TestApi; rs: KubeObject } {
  const api = createTestApi({ seed: 3 });
  const rs = createRs(api, replicas);
  new ReplicaSetController(api.context('replicaset-controller', 'system:serviceaccount:kube-system:replicaset-controller')).start();
  return { api, rs };
}

function bindAndReady(api: TestApi, name: string, node: string): void {
  patch(api, '', 'pods', name, { spec: { nodeName: node } });
  patch(api, '', 'pods', name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: api.sim.clock.rfc3339() }] } }, 'status');
}

describe('replicaset-controller', () => {
  it('creates the missing pods once, with generateName, template labels and a controller ownerReference', () => {
    const { api, rs } = setup(3);
    api.sim.runUntil(10_000);

    expect(podCreates(api)).toHaveLength(3);
    const created = pods(api);
    expect(created).toHaveLength(3);
    for (const pod of created) {
      expect(pod.metadata.name).toMatch(/^web-5d4f8c9b6-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.generateName).toBe('web-5d4f8c9b6-');
      expect(pod.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': '5d4f8c9b6' });
      expect(pod.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f8c9b6', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    expect(rsStatus(api)).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    const statusWrite = api.sim.recorder.steps.find((s) => s.method === 'PUT' && s.path === '/apis/apps/v1/namespaces/default/replicasets/web-5d4f8c9b6/status');
    expect(statusWrite?.status).toBe(200);
  });

  it('waits for its own creates to show up before creating again (expectations)', () => {
    const api = createTestApi({ seed: 3 });
    const controller = new ReplicaSetController(api.context('replicaset-controller', 'system:serviceaccount:kube-system:replicaset-controller'));
    controller.start();
    api.sim.runUntil(100);
    // The pod watch stalls: the controller's cache will not see the pods it creates.
    // Without a shared informer factory the controller owns a plain Informer, which can stop.
    (controller.pods as unknown as { stop(): void }).stop();
    createRs(api, 3);
    api.sim.runUntil(1_000);
    expect(podCreates(api)).toHaveLength(3);
    patch(api, 'apps', 'replicasets', 'web-5d4f8c9b6', { metadata: { annotations: { touched: 'yes' } } });
    api.sim.runUntil(60_000);
    expect(podCreates(api)).toHaveLength(3);
    expect(controller.expectations.pending('default/web-5d4f8c9b6')).toEqual({ add: 3, del: 0 });
  });

  it('deletes the surplus on scale down, unscheduled and not-ready pods first', () => {
    const { api } = setup(3);
    api.sim.runUntil(1_000);
    const [keep] = pods(api).map((p) => p.metadata.name);
    bindAndReady(api, keep, 'worker-1');
    api.sim.runUntil(2_000);
    expect(rsStatus(api)).toMatchObject({ replicas: 3, readyReplicas: 1, availableReplicas: 1 });

    patch(api, 'apps', 'replicasets', 'web-5d4f8c9b6', { spec: { replicas: 1 } });
    api.sim.runUntil(4_000);
    expect(pods(api).map((p) => p.metadata.name)).toEqual([keep]);
    expect(api.sim.recorder.steps.filter((s) => s.method === 'DELETE')).toHaveLength(2);
    expect(rsStatus(api)).toEqual({ replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 });
  });

  it('does not count a terminating pod and replaces it', () => {
    const { api } = setup(2);
    api.sim.runUntil(1_000);
    const [victim] = pods(api).map((p) => p.metadata.name);
    bindAndReady(api, victim, 'worker-1');
    // A bound pod is deleted gracefully: it stays, with a deletionTimestamp, until its kubelet confirms.
    api.apiserver.registry.delete(info(api, '', 'pods'), 'default', victim, { now: api.sim.clock.rfc3339(), nowMs: api.sim.nowMs, formatTime: (ms) => api.sim.clock.rfc3339(ms) }, () => undefined);
    api.sim.runUntil(3_000);
    const all = pods(api);
    expect(all).toHaveLength(3);
    expect(all.filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(2);
    expect(rsStatus(api).replicas).toBe(2);
  });

  it('adopts a matching orphan instead of creating a new pod', () => {
    const api = createTestApi({ seed: 3 });
    createRs(api, 2);
    api.apiserver.registry.create(info(api, '', 'pods'), 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', labels: { app: 'web', 'pod-template-hash': '5d4f8c9b6' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    } as KubeObject, admin(api), () => undefined);
    new ReplicaSetController(api.context('replicaset-controller', 'system:serviceaccount:kube-system:replicaset-controller')).start();
    api.sim.runUntil(5_000);
    expect(podCreates(api)).toHaveLength(1);
    const stray = pods(api).find((p) => p.metadata.name === 'stray');
    expect(stray.metadata.ownerReferences[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web-5d4f8c9b6', controller: true });
  });
});
