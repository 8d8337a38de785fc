import { describe, expect, it } from 'vitest';
import { createTestApi } from '../../cluster/testing.js';
import type { KubeObject, Status } from '../../api/meta.js';
import type { Process } from '../../sim/simulation.js';

type Obj = Record<string, any>;

/** Runs one client process to completion and returns what it returned. */
function drive<T>(api: ReturnType<typeof createTestApi>, actorName: string, body: (c: ReturnType<ReturnType<typeof createTestApi>['client']>) => Process<T>): T {
  const client = api.client(actorName, actorName);
  let result: T | undefined;
  api.sim.spawn(client.actor, body(client), (r) => (result = r));
  api.sim.runUntil(api.sim.nowMs + 1_000);
  return result as T;
}

const lease = (name: string): Obj => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: 'kube-node-lease' },
  spec: { holderIdentity: name, leaseDurationSeconds: 40 },
});

describe('kube-apiserver', () => {
  it('stores objects under the real etcd keys with resourceVersion = mod revision', () => {
    const api = createTestApi();
    const created = drive(api, 'kubelet', function* (c) {
      return yield* c.create('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease('worker-1'), { why: 'test' });
    });
    expect(created.status).toBe(201);
    const kv = api.store.get('/registry/leases/kube-node-lease/worker-1')!;
    expect((created.body as KubeObject).metadata.resourceVersion).toBe(String(kv.modRevision));
    const step = api.sim.recorder.steps.at(-1)!;
    expect(step).toMatchObject({ method: 'POST', status: 201, key: '/registry/leases/kube-node-lease/worker-1', revision: kv.modRevision, user: 'kubelet' });
  });

  it('answers 409 Conflict to an update carrying a stale resourceVersion', () => {
    const api = createTestApi();
    const res = drive(api, 'kubelet', function* (c) {
      const path = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
      const first = (yield* c.create(path, lease('worker-1'), { why: 'create' })).body as Obj;
      const renewed = { ...first, spec: { ...first.spec, renewTime: '2026-01-01T09:00:10.000000Z' } };
      yield* c.update(`${path}/worker-1`, renewed, { why: 'renew' });
      return yield* c.update(`${path}/worker-1`, { ...renewed, spec: { ...renewed.spec, holderIdentity: 'x' } }, { why: 'stale' });
    });
    expect(res.status).toBe(409);
    expect(res.body as Status).toMatchObject({
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on leases.coordination.k8s.io "worker-1": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('delivers every change after a watch revision exactly once and in order', () => {
    const api = createTestApi();
    const admin = api.client('kubectl', 'admin');
    const events: string[] = [];
    let rv = '';
    api.sim.spawn(admin.actor, (function* () {
      const path = '/api/v1/namespaces/default/configmaps';
      yield* admin.create(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, { why: 't' });
      const list = yield* admin.get(path, { why: 't' });
      rv = (list.body as Obj).metadata.resourceVersion;
      yield* admin.create(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }, { why: 't' });
      yield* admin.delete(`${path}/a`, { why: 't' });
    })());
    api.sim.runUntil(100);
    const watcher = api.client('watcher', 'admin');
    watcher.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, { why: 'test' }, {
      onOpen: () => {},
      onEvent: (type, obj) => events.push(`${type} ${(obj as KubeObject).metadata.name}`),
      onClose: () => {},
    });
    api.sim.spawn(admin.actor, (function* () {
      yield* admin.create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, { why: 't' });
    })());
    api.sim.runUntil(200);
    expect(events).toEqual(['ADDED b', 'DELETED a', 'ADDED c']);
  });

  it('sends a 410 Expired ERROR event to a watch from a compacted revision', () => {
    const api = createTestApi();
    drive(api, 'kubectl', function* (c) {
      for (const name of ['a', 'b', 'c']) yield* c.create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }, { why: 't' });
    });
    api.store.compact(api.store.revision);
    const got: Obj[] = [];
    api.client('w', 'admin').watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2', { why: 'test' }, {
      onOpen: () => {},
      onEvent: (type, obj) => got.push({ type, obj }),
      onClose: () => {},
    });
    api.sim.runUntil(api.sim.nowMs + 100);
    expect(got).toHaveLength(1);
    expect(got[0].type).toBe('ERROR');
    expect(got[0].obj).toMatchObject({ code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: 2 \(\d+\)$/) });
  });

  it('binds a pod once through pods/binding and refuses a second binding with 409', () => {
    const api = createTestApi();
    const results = drive(api, 'kube-scheduler', function* (c) {
      yield* c.create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }, { why: 't' });
      const binding = (node: string): Obj => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web', namespace: 'default' }, target: { kind: 'Node', name: node } });
      const first = yield* c.create('/api/v1/namespaces/default/pods/web/binding', binding('worker-1'), { why: 't' });
      const second = yield* c.create('/api/v1/namespaces/default/pods/web/binding', binding('worker-2'), { why: 't' });
      return [first, second];
    });
    expect(results[0].status).toBe(201);
    expect(results[1]).toMatchObject({ status: 409, body: { message: 'Operation cannot be fulfilled on pods "web": pod web is already assigned to node "worker-1"' } });
    const pod = api.store.get('/registry/pods/default/web')!.value as Obj;
    expect(pod.spec.nodeName).toBe('worker-1');
    expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
  });
});

describe('CSR approval needs the approve verb on the signer', () => {
  it('refuses an approval from a user RBAC does not let approve for the signer', async () => {
    const { createRbacAuthorizer, unionAuthorizer, bootstrapPolicy } = await import('./authorization/index.js');
    const { staticLookup } = await import('./authorization/index.js');
    const policy = bootstrapPolicy();
    const api = createTestApi({ authorizer: unionAuthorizer([createRbacAuthorizer(staticLookup(policy))]) });
    const csr = { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'node-csr-x' }, spec: { request: 'eA==', signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['client auth'] } };
    api.apiserver.registry.create(api.apiserver.findResource('certificates.k8s.io', 'certificatesigningrequests')!, undefined, csr as unknown as KubeObject, { user: { name: 'x', groups: [] }, now: '' }, () => undefined);
    const approved = { ...csr, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Manual' }] } };
    const asAdmin = drive(api, 'kubectl', function* (c) {
      c.credentials = { bearerToken: 'test:kubernetes-admin|system:masters' };
      return yield* c.update('/apis/certificates.k8s.io/v1/certificatesigningrequests/node-csr-x/approval', approved, { why: 't' });
    });
    expect(asAdmin.status).toBe(200);
    const asNode = drive(api, 'kubelet', function* (c) {
      c.credentials = { bearerToken: 'test:system:node:worker-1|system:nodes' };
      return yield* c.update('/apis/certificates.k8s.io/v1/certificatesigningrequests/node-csr-x/approval', approved, { why: 't' });
    });
    expect(asNode.status).toBe(403);
  });
});

describe('the scale subresource', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  };
  const path = '/apis/apps/v1/namespaces/default/deployments/web/scale';

  it('reads a Deployment as an autoscaling/v1 Scale and writes spec.replicas back through it', () => {
    const api = createTestApi();
    const [read, patched] = drive(api, 'admin', function* (c) {
      yield* c.create('/apis/apps/v1/namespaces/default/deployments', deployment, { why: 't' });
      const got = yield* c.get(path, { why: 't' });
      const res = yield* c.patch(path, { spec: { replicas: 5 } }, { why: 't' }, 'application/merge-patch+json');
      return [got, res];
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2 }, status: { selector: 'app=web' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ kind: 'Scale', spec: { replicas: 5 } });
    const stored = api.store.get('/registry/deployments/default/web')!.value as Obj;
    expect(stored.spec.replicas).toBe(5);
    expect(stored.metadata.generation).toBe(2);
  });

  it('refuses a negative count (422), a stale resourceVersion (409), and pods (405)', () => {
    const api = createTestApi();
    const [negative, stale, pod] = drive(api, 'admin', function* (c) {
      yield* c.create('/apis/apps/v1/namespaces/default/deployments', deployment, { why: 't' });
      const neg = yield* c.patch(path, { spec: { replicas: -1 } }, { why: 't' }, 'application/merge-patch+json');
      const old = yield* c.update(path, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default', resourceVersion: '1' }, spec: { replicas: 3 } }, { why: 't' });
      const p = yield* c.get('/api/v1/namespaces/default/pods/web/scale', { why: 't' });
      return [neg, old, p];
    });
    expect(negative.status).toBe(422);
    expect(stale.status).toBe(409);
    expect(pod.status).toBe(405);
  });
});
