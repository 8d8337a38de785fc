import { describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../../cluster/testing.js';
import { defaultTolerationSeconds } from '../../apiserver/admission/index.js';
import type { PodObject, Taint, Toleration } from '../nodelifecycle/types.js';
import { TaintEvictionController } from './taint-eviction-controller.js';
import { getMatchingTolerations, getMinTolerationTimeMs } from './tolerations.js';

const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const USER = 'system:serviceaccount:kube-system:node-controller';

function setup() {
  const api = createTestApi({ seed: 13, admission: [defaultTolerationSeconds()] });
  const info = api.apiserver.findResource('', 'nodes')!;
  api.apiserver.registry.create(info, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, spec: {} }, { user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() }, () => undefined);
  const controller = new TaintEvictionController(api.context('taint-eviction-controller', USER));
  controller.start();
  return api;
}

/** A pod on worker-1 created through the API, so DefaultTolerationSeconds adds its 300s tolerations. */
function podViaApi(api: TestApi, name: string, tolerations?: Toleration[]): void {
  const admin = api.client('kubectl', 'kubernetes-admin', ['system:masters']);
  api.sim.spawn(admin.actor, (function* () {
    yield* admin.create('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
      spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'nginx:1.27' }], ...(tolerations ? { tolerations } : {}) },
    }, { why: 'test: create a pod' });
  })());
}

/** A pod stored without admission, so it has no tolerations at all. */
function podWithoutTolerations(api: TestApi, name: string): void {
  const info = api.apiserver.findResource('', 'pods')!;
  api.apiserver.registry.create(info, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'nginx:1.27' }] } }, { user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() }, () => undefined);
}

function setTaints(api: TestApi, taints: Taint[]): void {
  const admin = api.client('node-lifecycle', 'kubernetes-admin', ['system:masters']);
  api.sim.spawn(admin.actor, (function* () {
    yield* admin.patch('/api/v1/nodes/worker-1', { spec: { taints: taints.map((t) => ({ ...t, timeAdded: api.sim.clock.rfc3339() })) } }, { why: 'test: taint the node' }, 'application/merge-patch+json');
  })());
}

const pod = (api: TestApi, name: string) => api.apiserver.registry.get(api.apiserver.findResource('', 'pods')!, 'default', name) as PodObject | undefined;
const deletes = (api: TestApi, name: string) => api.sim.recorder.steps.filter((s) => s.method === 'DELETE' && s.path === `/api/v1/namespaces/default/pods/${name}`);

describe('taint-eviction controller', () => {
  it('deletes a pod without a matching toleration at once, and a tolerating one 300s after the taint', () => {
    const api = setup();
    podViaApi(api, 'web-x');
    podWithoutTolerations(api, 'web-y');
    podViaApi(api, 'agent', [{ operator: 'Exists' }]); // tolerates everything, forever (like a DaemonSet pod)
    api.sim.runUntil(10_000);
    setTaints(api, [UNREACHABLE]);
    api.sim.runUntil(11_000);

    // The non-tolerating pod goes right away: condition first, then a graceful DELETE.
    const [deleteY] = deletes(api, 'web-y');
    expect(deleteY.t).toBeLessThan(10_020);
    expect(deleteY.user).toBe(USER);
    expect(pod(api, 'web-y')?.metadata.deletionTimestamp).toBeDefined();
    expect(pod(api, 'web-y')?.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint',
    });
    const decision = api.sim.recorder.steps.find((s) => s.kind === 'decision' && s.summary.startsWith('pod default/web-x'));
    expect(decision?.summary).toBe('pod default/web-x tolerates node.kubernetes.io/unreachable for 300s; evicting at t=05:10.002');

    api.sim.runUntil(309_999);
    expect(deletes(api, 'web-x')).toHaveLength(0);
    api.sim.runUntil(320_000);
    const [deleteX] = deletes(api, 'web-x');
    expect(deleteX.t - 10_000).toBeGreaterThanOrEqual(300_000);
    expect(deleteX.t - 10_000).toBeLessThan(300_050);
    expect(pod(api, 'web-x')?.status?.conditions?.some((c) => c.type === 'DisruptionTarget' && c.reason === 'DeletionByTaintManager')).toBe(true);
    expect(api.sim.recorder.steps.some((s) => s.kind === 'timer' && s.summary.startsWith('toleration of default/web-x ran out'))).toBe(true);

    expect(deletes(api, 'agent')).toHaveLength(0);
    const reasons = api.sim.recorder.steps.filter((s) => s.path === '/api/v1/namespaces/default/events').map((s) => (s.request as { message: string }).message);
    expect(reasons).toEqual(['Marking for deletion Pod default/web-y', 'Marking for deletion Pod default/web-x']);
  });

  it('cancels the pending eviction when the taint is removed in time', () => {
    const api = setup();
    podViaApi(api, 'web-x');
    api.sim.runUntil(10_000);
    setTaints(api, [UNREACHABLE]);
    api.sim.runUntil(100_000);
    setTaints(api, []);
    api.sim.runUntil(600_000);

    expect(deletes(api, 'web-x')).toHaveLength(0);
    expect(pod(api, 'web-x')?.metadata.deletionTimestamp).toBeUndefined();
    expect(api.sim.recorder.steps.some((s) => s.kind === 'decision' && s.summary.startsWith('cancel eviction of default/web-x'))).toBe(true);
    const messages = api.sim.recorder.steps.filter((s) => s.path === '/api/v1/namespaces/default/events').map((s) => (s.request as { message: string }).message);
    expect(messages).toEqual(['Cancelling deletion of Pod default/web-x']);
  });

  it('evicts at once for a NoExecute taint nobody tolerates', () => {
    const api = setup();
    podViaApi(api, 'web-x');
    api.sim.runUntil(5_000);
    setTaints(api, [{ key: 'example.com/maintenance', value: 'true', effect: 'NoExecute' }]);
    api.sim.runUntil(6_000);

    expect(deletes(api, 'web-x')).toHaveLength(1);
  });
});

describe('toleration helpers', () => {
  it('picks the smallest tolerationSeconds among the matching tolerations; none means forever', () => {
    const taints: Taint[] = [UNREACHABLE, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }];
    const match = getMatchingTolerations(taints, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 120 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(match.allTolerated && getMinTolerationTimeMs(match.used)).toBe(120_000);
    expect(getMinTolerationTimeMs([{ operator: 'Exists' }])).toBe(-1);
    expect(getMinTolerationTimeMs([{ operator: 'Exists', tolerationSeconds: 0 }])).toBe(0);
    expect(getMatchingTolerations(taints, [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }])).toMatchObject({ allTolerated: false, untolerated: { key: 'node.kubernetes.io/not-ready' } });
  });
});

