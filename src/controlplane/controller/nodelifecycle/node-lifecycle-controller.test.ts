import { describe, expect, it } from 'vitest';
import { SharedInformerFactory } from '../../client/shared-informer.js';
import type { KubeObject } from '../../../api/meta.js';
import { createTestApi, type TestApi } from '../../../cluster/testing.js';
import { sleep } from '../../../sim/simulation.js';
import { virtualMs } from '../../../sim/clock.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';
import type { NodeCondition, NodeObject, PodObject } from './types.js';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';

interface FakeKubelet {
  /** Stops heartbeats from this time on (a dead kubelet). */
  stopAtMs?: number;
  /** Heartbeats (and a fresh Ready=True status) again from this time. */
  resumeAtMs?: number;
  zone?: string;
}

function conditions(api: TestApi, ready: 'True' | 'False'): NodeCondition[] {
  const now = api.sim.clock.rfc3339();
  const c = (type: string, status: 'True' | 'False', reason: string): NodeCondition => ({ type, status, reason, message: reason, lastHeartbeatTime: now, lastTransitionTime: now });
  return [c('MemoryPressure', 'False', 'KubeletHasSufficientMemory'), c('DiskPressure', 'False', 'KubeletHasNoDiskPressure'), c('PIDPressure', 'False', 'KubeletHasSufficientPID'), c('Ready', ready, 'KubeletReady')];
}

/** Registers a Ready node and renews its Lease every 10s, as a kubelet does, until told to stop. */
function kubelet(api: TestApi, name: string, options: FakeKubelet = {}): void {
  const client = api.client(`kubelet/${name}`, `system:node:${name}`, ['system:nodes'], name, name);
  const labels = { 'kubernetes.io/hostname': name, ...(options.zone ? { 'topology.kubernetes.io/zone': options.zone } : {}) };
  api.sim.spawn(client.actor, (function* () {
    yield* client.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {}, status: { conditions: conditions(api, 'True') } }, { why: 'test: register' });
    const leaseBody = () => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: api.sim.clock.rfc3339Micro() } });
    let lease = (yield* client.create(LEASES, leaseBody(), { why: 'test: create lease' })).body as KubeObject;
    let wasStopped = false;
    for (;;) {
      yield* sleep(api.sim, client.actor, 10_000);
      const now = api.sim.nowMs;
      const stopped = options.stopAtMs !== undefined && now >= options.stopAtMs && (options.resumeAtMs === undefined || now < options.resumeAtMs);
      if (stopped) {
        wasStopped = true;
        continue;
      }
      lease = (yield* client.update(`${LEASES}/${name}`, { ...lease, spec: { ...(lease.spec as object), renewTime: api.sim.clock.rfc3339Micro() } }, { why: 'test: renew', heartbeat: true })).body as KubeObject;
      if (wasStopped) {
        wasStopped = false;
        yield* client.patch(`/api/v1/nodes/${name}/status`, { status: { conditions: conditions(api, 'True') } }, { why: 'test: kubelet is back and posts Ready' });
      }
    }
  })());
}

/** A pod bound to `node` whose kubelet reported it Ready. */
function readyPod(api: TestApi, name: string, node: string): void {
  const info = api.apiserver.findResource('', 'pods')!;
  const ctx = { user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() };
  const created = api.apiserver.registry.create(info, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'app', image: 'nginx:1.27' }] } }, ctx, () => undefined);
  const pod = created.body as PodObject;
  const ready = { type: 'Ready', status: 'True' as const, lastProbeTime: null, lastTransitionTime: ctx.now };
  api.apiserver.registry.update(info, 'default', name, { ...pod, status: { ...pod.status, phase: 'Running', conditions: [ready] } }, 'status', () => undefined);
}

const nodeObj = (api: TestApi, name: string) => api.apiserver.registry.get(api.apiserver.findResource('', 'nodes')!, undefined, name) as NodeObject;
const podObj = (api: TestApi, name: string) => api.apiserver.registry.get(api.apiserver.findResource('', 'pods')!, 'default', name) as PodObject;
const readyOf = (api: TestApi, name: string) => nodeObj(api, name).status?.conditions?.find((c) => c.type === 'Ready');
const taintsOf = (api: TestApi, name: string) => (nodeObj(api, name).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

function setup(version = '1.32') {
  const api = createTestApi({ seed: 21, config: { kubernetesVersion: version } });
  const controller = new NodeLifecycleController(api.context('node-lifecycle-controller', 'system:serviceaccount:kube-system:node-controller'));
  controller.start();
  return { api, controller };
}

describe('node lifecycle controller', () => {
  for (const [version, graceMs] of [['1.32', 50_000], ['1.31', 40_000]] as const) {
    it(`marks a node whose Lease stops renewing Unknown one ${graceMs / 1000}s grace period later (Kubernetes ${version})`, () => {
      const { api } = setup(version);
      kubelet(api, 'worker-1', { stopAtMs: 31_000 });
      kubelet(api, 'worker-2');
      api.sim.runUntil(200_000);

      const timer = api.sim.recorder.steps.find((s) => s.kind === 'timer' && s.node === 'worker-1')!;
      const probeMs = (timer.detail as { probeTimestampMs: number }).probeTimestampMs;
      // The last renewal (t=30s) was noticed by the first monitor pass after it, on the controller's clock...
      expect(probeMs).toBeGreaterThan(30_000);
      expect(probeMs).toBeLessThanOrEqual(35_010);
      // ...and Ready turns Unknown in the first 5s pass strictly after the grace period.
      expect(timer.t - probeMs).toBe(graceMs + 5_000);
      expect(timer.summary).toContain(`--node-monitor-grace-period=${graceMs / 1000}s`);

      const put = api.sim.recorder.steps.find((s) => s.method === 'PUT' && s.path === '/api/v1/nodes/worker-1/status')!;
      expect(put.t - timer.t).toBe(api.network.latencyMs);
      const unknown = (put.request as NodeObject).status!.conditions!.filter((c) => c.status === 'Unknown');
      expect(unknown.map((c) => c.type).sort()).toEqual(['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready']);
      expect(unknown.every((c) => c.reason === 'NodeStatusUnknown' && c.message === 'Kubelet stopped posting node status.')).toBe(true);
      expect(readyOf(api, 'worker-1')?.lastTransitionTime).toBe(api.sim.clock.rfc3339(timer.t));
      expect(readyOf(api, 'worker-2')?.status).toBe('True');
    });
  }

  it('taints an unreachable node NoSchedule and NoExecute, marks its pods not ready and reports NodeNotReady', () => {
    const { api } = setup();
    kubelet(api, 'worker-1', { stopAtMs: 31_000 });
    kubelet(api, 'worker-2');
    api.sim.runUntil(1_000);
    readyPod(api, 'web-1', 'worker-1');
    readyPod(api, 'web-2', 'worker-2');
    api.sim.runUntil(150_000);

    expect(taintsOf(api, 'worker-1')).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(taintsOf(api, 'worker-2')).toEqual([]);
    const noExecute = nodeObj(api, 'worker-1').spec!.taints!.find((t) => t.effect === 'NoExecute')!;
    const timer = api.sim.recorder.steps.find((s) => s.kind === 'timer' && s.node === 'worker-1')!;
    // NoExecute follows in the next monitor pass, through the zone's rate limiter.
    expect(Math.abs(virtualMs(noExecute.timeAdded!) - (timer.t + 5_000))).toBeLessThan(1_000);

    expect(podObj(api, 'web-1').status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(podObj(api, 'web-2').status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const podWrite = api.sim.recorder.steps.find((s) => s.path === '/api/v1/namespaces/default/pods/web-1/status')!;
    expect(podWrite).toMatchObject({ method: 'PUT', status: 200, user: 'system:serviceaccount:kube-system:node-controller' });
    const reasons = api.sim.recorder.steps.filter((s) => s.path === '/api/v1/namespaces/default/events').map((s) => (s.request as { reason: string }).reason);
    expect(reasons).toContain('NodeNotReady');
    expect(reasons.filter((r) => r === 'RegisteredNode')).toHaveLength(2);
  });

  it('removes the unreachable taints when the kubelet comes back and Ready is True again', () => {
    const { api } = setup();
    kubelet(api, 'worker-1', { stopAtMs: 31_000, resumeAtMs: 150_000 });
    kubelet(api, 'worker-2');
    api.sim.runUntil(140_000);
    expect(taintsOf(api, 'worker-1')).toHaveLength(2);
    api.sim.runUntil(200_000);

    expect(readyOf(api, 'worker-1')?.status).toBe('True');
    expect(taintsOf(api, 'worker-1')).toEqual([]);
    expect(api.sim.recorder.steps.some((s) => s.kind === 'decision' && s.summary === 'remove node.kubernetes.io/unreachable:NoExecute from worker-1')).toBe(true);
  });

  it('adds no NoExecute taint when every node is unreachable (no mass eviction)', () => {
    const { api } = setup();
    for (const name of ['worker-1', 'worker-2', 'worker-3']) kubelet(api, name, { stopAtMs: 31_000 });
    api.sim.runUntil(400_000);

    for (const name of ['worker-1', 'worker-2', 'worker-3']) {
      expect(readyOf(api, name)?.status).toBe('Unknown');
      expect(taintsOf(api, name)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    }
    expect(api.sim.recorder.steps.filter((s) => s.kind === 'decision' && s.summary.startsWith('every node looks unhealthy'))).toHaveLength(1);
  });

  it('taints at most --node-eviction-rate nodes per second in a zone', () => {
    const { api } = setup();
    kubelet(api, 'worker-1', { stopAtMs: 31_000 });
    kubelet(api, 'worker-2', { stopAtMs: 31_000 });
    for (const name of ['worker-3', 'worker-4', 'worker-5']) kubelet(api, name);
    api.sim.runUntil(150_000);

    const added = ['worker-1', 'worker-2'].map((n) => Date.parse(nodeObj(api, n).spec!.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded!)).sort();
    expect(added[1] - added[0]).toBe(10_000); // 0.1 nodes/s, burst 1
  });

  it('stops tainting in a partially disrupted small zone', () => {
    const { api } = setup();
    for (const name of ['worker-1', 'worker-2', 'worker-3']) kubelet(api, name, { stopAtMs: 31_000, zone: 'eu-1a' });
    for (const name of ['worker-4', 'worker-5']) kubelet(api, name, { zone: 'eu-1a' });
    api.sim.runUntil(200_000);

    expect(['worker-1', 'worker-2', 'worker-3'].map((n) => taintsOf(api, n).filter((t) => t.endsWith('NoExecute')))).toEqual([[], [], []]);
    const change = api.sim.recorder.steps.find((s) => s.kind === 'decision' && s.summary.includes('PartialDisruption'));
    expect(change?.summary).toBe('zone eu-1a: Normal → PartialDisruption (3/5 not ready)');
  });

  it('can read through the shared-informer identity when its own service account may not list Leases', () => {
    const api = createTestApi({
      seed: 21,
      authorizer: {
        name: 'TestRBAC',
        authorize: (attrs) => attrs.resource === 'leases' && attrs.user.name.endsWith(':node-controller')
          ? { decision: 'no-opinion', reason: 'RBAC: no rule for leases' }
          : { decision: 'allow', reason: 'test' },
      },
    });
    const informerClient = api.client('kube-controller-manager', 'system:kube-controller-manager');
    const informers = new SharedInformerFactory(api.sim, informerClient, api.sim.prng.fork('kcm-informers'));
    new NodeLifecycleController({ ...api.context('node-lifecycle-controller', 'system:serviceaccount:kube-system:node-controller'), informers }).start();
    kubelet(api, 'worker-1', { stopAtMs: 31_000 });
    kubelet(api, 'worker-2');
    api.sim.runUntil(100_000);

    expect(readyOf(api, 'worker-1')?.status).toBe('Unknown');
    expect(readyOf(api, 'worker-2')?.status).toBe('True');
    const leaseList = api.sim.recorder.steps.find((s) => s.path?.startsWith(LEASES) && s.method === 'GET')!;
    expect(leaseList).toMatchObject({ status: 200, user: 'system:kube-controller-manager' });
    const write = api.sim.recorder.steps.find((s) => s.path === '/api/v1/nodes/worker-1/status' && s.method === 'PUT')!;
    expect(write.user).toBe('system:serviceaccount:kube-system:node-controller');
  });

  it('gives a node that never posted status the startup grace period (NodeStatusNeverUpdated)', () => {
    const { api } = setup();
    const client = api.client('kubelet/worker-9', 'system:node:worker-9', ['system:nodes']);
    api.sim.spawn(client.actor, (function* () {
      yield* client.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-9' } }, { why: 'test: register without status' });
    })());
    kubelet(api, 'worker-1');
    api.sim.runUntil(58_000);
    expect(readyOf(api, 'worker-9')).toBeUndefined();
    api.sim.runUntil(70_000);

    expect(readyOf(api, 'worker-9')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
    expect(api.sim.recorder.steps.find((s) => s.kind === 'timer' && s.node === 'worker-9')?.summary).toContain('--node-startup-grace-period=60s');
  });
});
