import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../../api/meta.js';
import { createTestApi, type TestApi } from '../../../cluster/testing.js';
import { GarbageCollector } from './garbage-collector.js';

const info = (api: TestApi, group: string, resource: string) => api.apiserver.findResource(group, resource)!;

function create(api: TestApi, group: string, resource: string, body: Record<string, unknown>): KubeObject {
  const res = api.apiserver.registry.create(info(api, group, resource), 'default', body as KubeObject, { user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() }, () => undefined);
  expect(res.status).toBe(201);
  return res.body as KubeObject;
}

function ref(owner: KubeObject, apiVersion: string): OwnerReference {
  return { apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

const remove = (api: TestApi, group: string, resource: string, name: string): void => {
  api.apiserver.registry.delete(info(api, group, resource), 'default', name, { now: api.sim.clock.rfc3339(), nowMs: api.sim.nowMs, formatTime: (ms) => api.sim.clock.rfc3339(ms) }, () => undefined);
};
const names = (api: TestApi, group: string, resource: string): string[] =>
  api.apiserver.registry.list(info(api, group, resource), 'default', { labels: [], fields: [] }).items.map((o) => o.metadata.name!);
const pod = (name: string, owners: OwnerReference[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ownerReferences: owners }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });

function setup(): TestApi {
  const api = createTestApi({ seed: 9 });
  new GarbageCollector(api.context('garbage-collector', 'system:serviceaccount:kube-system:generic-garbage-collector')).start();
  return api;
}

describe('garbage-collector', () => {
  it('cascades a Deployment deletion to its ReplicaSet and then to the pods', () => {
    const api = setup();
    const d = create(api, 'apps', 'deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: {} } });
    const rs = create(api, 'apps', 'replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d4f8c9b6', ownerReferences: [ref(d, 'apps/v1')] }, spec: { selector: { matchLabels: { app: 'web' } }, template: {} } });
    for (const n of ['web-5d4f8c9b6-aaaaa', 'web-5d4f8c9b6-bbbbb', 'web-5d4f8c9b6-ccccc']) create(api, '', 'pods', pod(n, [ref(rs, 'apps/v1')]));
    create(api, '', 'pods', pod('unrelated', []));
    api.sim.runUntil(1_000);
    expect(api.sim.recorder.steps.some((s) => s.method === 'DELETE')).toBe(false);

    remove(api, 'apps', 'deployments', 'web');
    api.sim.runUntil(2_000);
    expect(names(api, 'apps', 'replicasets')).toEqual([]);
    expect(names(api, '', 'pods')).toEqual(['unrelated']);

    const rsDelete = api.sim.recorder.steps.find((s) => s.method === 'DELETE' && s.path === '/apis/apps/v1/namespaces/default/replicasets/web-5d4f8c9b6');
    expect(rsDelete?.request).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: rs.metadata.uid }, propagationPolicy: 'Background' });
    // The owner is checked once; the absent-owner cache answers for the other pods.
    const rsChecks = api.sim.recorder.steps.filter((s) => s.method === 'GET' && s.path === '/apis/apps/v1/namespaces/default/replicasets/web-5d4f8c9b6');
    expect(rsChecks.map((s) => s.status)).toEqual([404]);
    const decision = api.sim.recorder.steps.find((s) => s.kind === 'decision' && s.summary.startsWith('ReplicaSet default/web-5d4f8c9b6 deleted'));
    expect(decision?.summary).toContain('3 dependent(s)');
  });

  it("deletes a Service's EndpointSlices", () => {
    const api = setup();
    const svc = create(api, '', 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    create(api, 'discovery.k8s.io', 'endpointslices', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-x7k2p', ownerReferences: [ref(svc, 'v1')] }, addressType: 'IPv4', endpoints: [], ports: [] });
    api.sim.runUntil(1_000);
    remove(api, '', 'services', 'web');
    api.sim.runUntil(2_000);
    expect(names(api, 'discovery.k8s.io', 'endpointslices')).toEqual([]);
  });

  it('keeps a dependent that still has a live owner and drops only the dead reference', () => {
    const api = setup();
    const a = create(api, 'apps', 'replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'a' }, spec: {} });
    const b = create(api, 'apps', 'replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'b' }, spec: {} });
    create(api, '', 'pods', pod('shared', [ref(a, 'apps/v1'), { ...ref(b, 'apps/v1'), controller: false }]));
    api.sim.runUntil(1_000);
    remove(api, 'apps', 'replicasets', 'a');
    api.sim.runUntil(2_000);
    const shared = api.apiserver.registry.get(info(api, '', 'pods'), 'default', 'shared')!;
    expect(shared.metadata.ownerReferences?.map((r) => r.name)).toEqual(['b']);
  });

  it('collects dependents whose owner vanished while it was not watching', () => {
    const api = createTestApi({ seed: 9 });
    create(api, '', 'pods', pod('orphaned', [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid', controller: true }]));
    new GarbageCollector(api.context('garbage-collector', 'system:serviceaccount:kube-system:generic-garbage-collector')).start();
    api.sim.runUntil(1_000);
    expect(names(api, '', 'pods')).toEqual([]);
  });
});
