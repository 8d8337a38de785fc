import { describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../../cluster/testing.js';
import type { NodeObject } from '../nodelifecycle/types.js';
import { CidrSet } from './cidr-set.js';
import { NodeIpamController } from './node-ipam-controller.js';

function registerNode(api: TestApi, name: string, spec: Record<string, unknown> = {}): void {
  const kubelet = api.client(`kubelet/${name}`, `system:node:${name}`, ['system:nodes'], name, name);
  api.sim.spawn(kubelet.actor, (function* () {
    yield* kubelet.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec }, { why: 'test: the kubelet registers', stage: 'registration' });
  })());
}

function deleteNode(api: TestApi, name: string): void {
  const admin = api.client('kubectl', 'kubernetes-admin', ['system:masters']);
  api.sim.spawn(admin.actor, (function* () {
    yield* admin.delete(`/api/v1/nodes/${name}`, { why: 'test: kubectl delete node' });
  })());
}

const nodeObj = (api: TestApi, name: string): NodeObject | undefined =>
  api.apiserver.registry.get(api.apiserver.findResource('', 'nodes')!, undefined, name) as NodeObject | undefined;

function setup(config: { podCIDR?: string; nodeCIDRMaskSize?: number } = {}) {
  const api = createTestApi({ seed: 9, config: { podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, ...config } });
  const controller = new NodeIpamController(api.context('node-ipam-controller', 'system:serviceaccount:kube-system:node-controller'));
  controller.start();
  return { api, controller };
}

describe('node IPAM controller (range allocator)', () => {
  it('gives nodes 10.244.0.0/24, then 10.244.1.0/24, in the order they register', () => {
    const { api } = setup();
    registerNode(api, 'worker-1');
    api.sim.runUntil(1_000);
    registerNode(api, 'worker-2');
    api.sim.runUntil(2_000);

    expect(nodeObj(api, 'worker-1')?.spec).toMatchObject({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
    expect(nodeObj(api, 'worker-2')?.spec).toMatchObject({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    const patch = api.sim.recorder.steps.find((s) => s.method === 'PATCH' && s.path === '/api/v1/nodes/worker-2');
    expect(patch).toMatchObject({ status: 200, stage: 'registration', request: { spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] } } });
    const decision = api.sim.recorder.steps.find((s) => s.kind === 'decision' && s.node === 'worker-2');
    expect(decision?.summary).toBe('allocate pod CIDR 10.244.1.0/24 to worker-2');
    expect(decision?.explanation).toContain('--cluster-cidr=10.244.0.0/16');
  });

  it('never hands out a range a node already has, and writes nothing for such a node', () => {
    const { api } = setup();
    registerNode(api, 'worker-1', { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
    api.sim.runUntil(500);
    registerNode(api, 'worker-2');
    api.sim.runUntil(2_000);

    expect(nodeObj(api, 'worker-2')?.spec?.podCIDR).toBe('10.244.1.0/24');
    expect(api.sim.recorder.steps.filter((s) => s.method === 'PATCH').map((s) => s.path)).toEqual(['/api/v1/nodes/worker-2']);
  });

  it('returns a deleted node\'s range to the pool, reused only after the others (round-robin)', () => {
    const { api, controller } = setup({ podCIDR: '10.244.0.0/22' });
    registerNode(api, 'worker-1');
    api.sim.runUntil(500);
    registerNode(api, 'worker-2');
    api.sim.runUntil(1_000);
    deleteNode(api, 'worker-1');
    api.sim.runUntil(2_000);
    expect(controller.cidrs.allocatedCount).toBe(1);
    expect(api.sim.recorder.steps.some((s) => s.summary === 'release pod CIDR 10.244.0.0/24 of deleted node worker-1')).toBe(true);

    for (const name of ['worker-3', 'worker-4', 'worker-5']) {
      registerNode(api, name);
      api.sim.runUntil(api.sim.nowMs + 500);
    }
    expect(['worker-3', 'worker-4', 'worker-5'].map((n) => nodeObj(api, n)?.spec?.podCIDR)).toEqual(['10.244.2.0/24', '10.244.3.0/24', '10.244.0.0/24']);
  });

  it('reports CIDRNotAvailable when the cluster CIDR is used up', () => {
    const { api } = setup({ podCIDR: '10.244.0.0/24' });
    registerNode(api, 'worker-1');
    registerNode(api, 'worker-2');
    api.sim.runUntil(30_000);

    const specs = ['worker-1', 'worker-2'].map((n) => nodeObj(api, n)?.spec?.podCIDR);
    expect(specs.filter(Boolean)).toEqual(['10.244.0.0/24']);
    const events = api.sim.recorder.steps.filter((s) => s.method === 'POST' && s.path === '/api/v1/namespaces/default/events');
    expect(events).toHaveLength(1);
    expect(events[0].request).toMatchObject({ reason: 'CIDRNotAvailable', involvedObject: { kind: 'Node' }, source: { component: 'cidrAllocator' } });
  });
});

describe('CidrSet', () => {
  it('cuts the cluster CIDR into node-sized blocks and walks them round-robin', () => {
    const set = new CidrSet('10.244.0.0/16', 24);
    expect(set.maxCidrs).toBe(256);
    expect([set.allocateNext(), set.allocateNext(), set.allocateNext()]).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    expect(set.release('10.244.1.0/24')).toBe(true);
    expect(set.allocateNext()).toBe('10.244.3.0/24');
    expect(set.occupy('10.244.4.0/24')).toBe(true);
    expect(set.allocateNext()).toBe('10.244.5.0/24');
    expect(set.occupy('10.245.0.0/24')).toBe(false);
    expect(set.occupy('10.244.0.0/25')).toBe(false);
  });

  it('wraps around to released blocks and reports exhaustion', () => {
    const set = new CidrSet('10.0.0.0/30', 31);
    expect([set.allocateNext(), set.allocateNext(), set.allocateNext()]).toEqual(['10.0.0.0/31', '10.0.0.2/31', undefined]);
    set.release('10.0.0.0/31');
    expect(set.allocateNext()).toBe('10.0.0.0/31');
  });
});
