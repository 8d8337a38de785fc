import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { createTestApi, type TestApi } from '../../../cluster/testing.js';
import { ReplicaSetController } from '../replicaset/replica-set-controller.js';
import { DeploymentController } from './deployment-controller.js';
import { computeHash, safeEncodeString } from './deployment-util.js';

const info = (api: TestApi, group: string, resource: string) => api.apiserver.findResource(group, resource)!;
const list = (api: TestApi, group: string, resource: string): any[] => api.apiserver.registry.list(info(api, group, resource), 'default', { labels: [], fields: [] }).items;
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } });

function setup(): TestApi {
  const api = createTestApi({ seed: 11 });
  api.apiserver.registry.create(info(api, 'apps', 'deployments'), 'default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.26') },
  } as KubeObject, { user: { name: 'admin', groups: [] }, now: api.sim.clock.rfc3339() }, () => undefined);
  new DeploymentController(api.context('deployment-controller', 'system:serviceaccount:kube-system:deployment-controller')).start();
  new ReplicaSetController(api.context('replicaset-controller', 'system:serviceaccount:kube-system:replicaset-controller')).start();
  return api;
}

/** Stands in for kubelets: every pod turns Running and Ready shortly after it is created. */
function markPodsReady(api: TestApi): void {
  for (const pod of list(api, '', 'pods')) {
    if (pod.status?.conditions?.some((c: any) => c.type === 'Ready')) continue;
    api.apiserver.registry.patch(info(api, '', 'pods'), 'default', pod.metadata.name, 'merge', {
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: api.sim.clock.rfc3339() }] },
    }, 'status', () => undefined);
  }
}

/** Runs until `untilMs`, letting pods turn ready every 200 ms, and calls `check` after each slice. */
function run(api: TestApi, untilMs: number, check: () => void = () => undefined): void {
  for (let t = api.sim.nowMs + 200; t <= untilMs; t += 200) {
    api.sim.runUntil(t);
    markPodsReady(api);
    check();
  }
}

describe('deployment-controller', () => {
  it('computes the pod-template-hash as FNV-1a then SafeEncodeString', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(computeHash(template('nginx:1.26'))).toMatch(/^[456789bcdf]{1,10}$/);
    expect(computeHash(template('nginx:1.26'))).toBe(computeHash(template('nginx:1.26')));
    expect(computeHash(template('nginx:1.27'))).not.toBe(computeHash(template('nginx:1.26')));
    expect(computeHash(template('nginx:1.26'), 1)).not.toBe(computeHash(template('nginx:1.26')));
  });

  it('creates ReplicaSet <name>-<hash> with the hash in its selector and pod labels, and reports availability', () => {
    const api = setup();
    run(api, 3_000);
    const hash = computeHash(template('nginx:1.26'));
    const [rs] = list(api, 'apps', 'replicasets');
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec.replicas).toBe(3);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(rs.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    const pods = list(api, '', 'pods');
    expect(pods).toHaveLength(3);
    for (const pod of pods) expect(pod.metadata.labels['pod-template-hash']).toBe(hash);

    const d = list(api, 'apps', 'deployments')[0];
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(d.status.conditions[1].message).toBe(`ReplicaSet "web-${hash}" has successfully progressed.`);
  });

  it('rolls a template change within maxSurge 1 and maxUnavailable 0', () => {
    const api = setup();
    run(api, 3_000);
    const oldHash = computeHash(template('nginx:1.26'));
    const newHash = computeHash(template('nginx:1.27'));
    api.apiserver.registry.patch(info(api, 'apps', 'deployments'), 'default', 'web', 'merge', { spec: { template: template('nginx:1.27') } }, undefined, () => undefined);
    let maxPods = 0;
    let minAvailable = Infinity;
    run(api, 15_000, () => {
      maxPods = Math.max(maxPods, list(api, '', 'pods').length);
      const ready = list(api, '', 'pods').filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
      minAvailable = Math.min(minAvailable, ready.length);
    });
    expect(maxPods).toBe(4);
    expect(minAvailable).toBe(3);
    const rss = Object.fromEntries(list(api, 'apps', 'replicasets').map((rs) => [rs.metadata.name, rs]));
    expect(rss[`web-${oldHash}`].spec.replicas).toBe(0);
    expect(rss[`web-${newHash}`].spec.replicas).toBe(3);
    expect(rss[`web-${newHash}`].metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(list(api, '', 'pods').map((p) => p.metadata.labels['pod-template-hash'])).toEqual([newHash, newHash, newHash]);
    const decisions = api.sim.recorder.steps.filter((s) => s.kind === 'decision' && s.from === 'deployment-controller').map((s) => s.summary);
    expect(decisions).toContain(`Scaled up replica set web-${newHash} from 0 to 1`);
    expect(decisions).toContain(`Scaled down replica set web-${oldHash} from 3 to 2`);
    const d = list(api, 'apps', 'deployments')[0];
    expect(d.status).toMatchObject({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  });

  it('scales the only ReplicaSet when spec.replicas changes', () => {
    const api = setup();
    run(api, 3_000);
    api.apiserver.registry.patch(info(api, 'apps', 'deployments'), 'default', 'web', 'merge', { spec: { replicas: 5 } }, undefined, () => undefined);
    run(api, 6_000);
    const [rs] = list(api, 'apps', 'replicasets');
    expect(rs.spec.replicas).toBe(5);
    expect(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas']).toBe('5');
    expect(list(api, '', 'pods')).toHaveLength(5);
  });
});
