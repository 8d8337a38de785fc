import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { createTestApi, type TestApi } from '../../../cluster/testing.js';
import { EndpointSliceController } from './endpointslice-controller.js';

const admin = (api: TestApi) => ({ user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() });
const info = (api: TestApi, group: string, resource: string) => api.apiserver.findResource(group, resource)!;
const slices = (api: TestApi): any[] => api.apiserver.registry.list(info(api, 'discovery.k8s.io', 'endpointslices'), 'default', { labels: [], fields: [] }).items;

function service(api: TestApi): KubeObject {
  return api.apiserver.registry.create(info(api, '', 'services'), 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  } as KubeObject, admin(api), () => undefined).body as KubeObject;
}

function pod(api: TestApi, name: string, opts: { ip?: string; ready?: boolean; app?: string; node?: string } = {}): KubeObject {
  const created = api.apiserver.registry.create(info(api, '', 'pods'), 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: opts.app ?? 'web' } },
    spec: { nodeName: opts.node, containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] },
  } as KubeObject, admin(api), () => undefined).body as KubeObject;
  if (opts.ip) setStatus(api, name, opts.ip, opts.ready ?? true);
  return created;
}

function setStatus(api: TestApi, name: string, ip: string, ready: boolean): void {
  api.apiserver.registry.patch(info(api, '', 'pods'), 'default', name, 'merge', {
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }, 'status', () => undefined);
}

function deletePod(api: TestApi, name: string, gracePeriodSeconds?: number): void {
  api.apiserver.registry.delete(info(api, '', 'pods'), 'default', name, { gracePeriodSeconds, now: api.sim.clock.rfc3339(), nowMs: api.sim.nowMs, formatTime: (ms) => api.sim.clock.rfc3339(ms) }, () => undefined);
}

function setup(): { api: TestApi; svc: KubeObject } {
  const api = createTestApi({ seed: 5 });
  const svc = service(api);
  new EndpointSliceController(api.context('endpointslice-controller', 'system:serviceaccount:kube-system:endpointslice-controller')).start();
  return { api, svc };
}

describe('endpointslice-controller', () => {
  it('lists the selected pods with an IP, resolving the named target port, under the real labels', () => {
    const { api, svc } = setup();
    const web1 = pod(api, 'web-1', { ip: '10.244.1.5', node: 'worker-1' });
    pod(api, 'web-2', { ip: '10.244.2.6', ready: false, node: 'worker-2' });
    pod(api, 'web-3');
    pod(api, 'db-1', { ip: '10.244.1.9', app: 'db' });
    api.sim.runUntil(1_000);

    const [slice, ...rest] = slices(api);
    expect(rest).toHaveLength(0);
    expect(slice.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([
      { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: web1.metadata.uid }, nodeName: 'worker-1' },
      expect.objectContaining({ addresses: ['10.244.2.6'], conditions: { ready: false, serving: false, terminating: false } }),
    ]);
    const create = api.sim.recorder.steps.find((s) => s.method === 'POST' && s.path === '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices');
    expect(create?.stage).toBe('networking');
    expect((create?.request as any).metadata.generateName).toBe('web-');
  });

  it('marks a terminating pod not ready (still serving), then drops it once it is gone', () => {
    const { api } = setup();
    pod(api, 'web-1', { ip: '10.244.1.5', node: 'worker-1' });
    pod(api, 'web-2', { ip: '10.244.2.6', node: 'worker-2' });
    api.sim.runUntil(1_000);
    deletePod(api, 'web-1');
    api.sim.runUntil(2_000);
    const terminating = slices(api)[0].endpoints.find((e: any) => e.targetRef.name === 'web-1');
    expect(terminating.conditions).toEqual({ ready: false, serving: true, terminating: true });

    deletePod(api, 'web-1', 0);
    api.sim.runUntil(3_000);
    expect(slices(api)[0].endpoints.map((e: any) => e.addresses[0])).toEqual(['10.244.2.6']);
  });

  it('writes only on change', () => {
    const { api } = setup();
    pod(api, 'web-1', { ip: '10.244.1.5' });
    api.sim.runUntil(1_000);
    const writes = () => api.sim.recorder.steps.filter((s) => s.path?.startsWith('/apis/discovery.k8s.io/v1/namespaces/') && s.method !== 'GET').length;
    expect(writes()).toBe(1);
    api.apiserver.registry.patch(info(api, '', 'pods'), 'default', 'web-1', 'merge', { metadata: { annotations: { note: 'unrelated' } } }, undefined, () => undefined);
    api.sim.runUntil(2_000);
    expect(writes()).toBe(1);
    setStatus(api, 'web-1', '10.244.1.5', false);
    api.sim.runUntil(3_000);
    expect(writes()).toBe(2);
  });

  it('keeps an empty placeholder with no pods and splits at 100 endpoints per slice', () => {
    const { api } = setup();
    api.sim.runUntil(1_000);
    expect(slices(api).map((s) => s.endpoints)).toEqual([[]]);
    for (let i = 0; i < 150; i++) pod(api, `web-${String(i).padStart(3, '0')}`, { ip: `10.244.${Math.floor(i / 200) + 1}.${(i % 200) + 2}` });
    api.sim.runUntil(5_000);
    expect(slices(api).map((s) => s.endpoints.length).sort((a, b) => a - b)).toEqual([50, 100]);
  });
});
