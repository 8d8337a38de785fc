import { describe, expect, it } from 'vitest';
import type { Step } from '../src/sim/trace.js';
import { builtin, play, scenarioFrom } from './helpers.js';

type Obj = Record<string, any>;

const LEASE_PUT = (node: string) => (s: Step) => s.method === 'PUT' && s.path === `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}` && s.status === 200;
const UNKNOWN_PUT = (node: string) => (s: Step) =>
  s.method === 'PUT' && s.path === `/api/v1/nodes/${node}/status` && s.status === 200 && (s.after as Obj)?.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'Unknown');
const taintsAt = (s: Step) => ((s.after as Obj)?.spec?.taints ?? []) as Obj[];

function partitionScenario(version: string): string {
  return `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: grace-${version.replace('.', '-')} }
spec:
  duration: 3m
  cluster: { kubernetesVersion: "${version}" }
  nodes: [{ name: worker-1 }, { name: worker-2 }]
  timeline: [{ at: 1m, action: partition, node: worker-2 }]
`;
}

describe('node-goes-dark: a partitioned node', () => {
  const cluster = play(builtin('node-goes-dark'));
  const steps = cluster.sim.recorder.steps;

  it('turns Unknown one grace period (50s) after its last renewed Lease, at the monitor period granularity', () => {
    const lastLease = steps.filter(LEASE_PUT('worker-2')).filter((s) => s.t < 120_000).at(-1)!;
    const unknown = steps.find(UNKNOWN_PUT('worker-2'))!;
    // The controller stamps a heartbeat when its 5s monitor pass sees it (its own clock), and acts
    // on the first pass strictly after the grace period: between 50s and 50s + 2 x 5s later.
    const gap = unknown.t - lastLease.t;
    expect(gap).toBeGreaterThan(50_000);
    expect(gap).toBeLessThanOrEqual(50_000 + 10_000 + 100);
    const ready = (unknown.after as Obj).status.conditions.find((c: Obj) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(unknown.user).toBe('system:serviceaccount:kube-system:node-controller');
  });

  it('gets both unreachable taints, and its pod is deleted 300s after the NoExecute taint', () => {
    const noExecute = steps.find((s) => s.method === 'PATCH' && s.path === '/api/v1/nodes/worker-2' && taintsAt(s).some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'))!;
    expect(taintsAt(noExecute).map((t) => `${t.key}:${t.effect}`)).toEqual(expect.arrayContaining(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']));
    const evict = steps.find((s) => s.method === 'DELETE' && s.from === 'taint-eviction-controller')!;
    expect(evict.t - noExecute.t).toBeGreaterThanOrEqual(300_000);
    expect(evict.t - noExecute.t).toBeLessThan(300_100);
    const disruption = steps.find((s) => s.from === 'taint-eviction-controller' && s.method === 'PATCH')!;
    expect((disruption.after as Obj).status.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', reason: 'DeletionByTaintManager' }));
  });

  it('has its pod replaced on a healthy node, and is Ready with no taints after heal', () => {
    const evictedAt = steps.find((s) => s.method === 'DELETE' && s.from === 'taint-eviction-controller')!.t;
    const rebind = steps.find((s) => s.t > evictedAt && s.method === 'POST' && s.path?.endsWith('/binding'))!;
    expect((rebind.request as Obj).target.name).not.toBe('worker-2');
    const node = cluster.store.get('/registry/minions/worker-2')!.value as Obj;
    expect(node.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('True');
    expect(node.spec.taints ?? []).toEqual([]);
    // The pod deleted while worker-2 was away is finished off by its kubelet once it is back.
    const kubeletDelete = steps.find((s) => s.from === 'kubelet/worker-2' && s.method === 'DELETE')!;
    expect(kubeletDelete.t).toBeGreaterThan(600_000);
  });
});

describe('the node monitor grace period follows kubernetesVersion', () => {
  for (const [version, graceMs] of [['1.31', 40_000], ['1.32', 50_000]] as const) {
    it(`is ${graceMs / 1000}s on ${version}`, () => {
      const cluster = play(scenarioFrom(partitionScenario(version)));
      const steps = cluster.sim.recorder.steps;
      const lastLease = steps.filter(LEASE_PUT('worker-2')).filter((s) => s.t < 60_000).at(-1)!;
      const unknown = steps.find(UNKNOWN_PUT('worker-2'))!;
      expect(unknown.t - lastLease.t).toBeGreaterThan(graceMs);
      expect(unknown.t - lastLease.t).toBeLessThanOrEqual(graceMs + 10_100);
    });
  }
});

describe('crash-node and stop-kubelet', () => {
  const yaml = (action: string) => `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: ${action} }
spec:
  duration: 2m
  nodes: [{ name: worker-1 }]
  resources:
    - apiVersion: v1
      kind: Pod
      metadata: { name: web }
      spec: { containers: [{ name: web, image: nginx:1.27 }] }
  timeline: [{ at: 1m, action: ${action}, node: worker-1 }]
`;

  it('a crash loses every container at once', () => {
    const cluster = play(scenarioFrom(yaml('crash-node')));
    expect(cluster.nodes.get('worker-1')!.runtime.sandboxes.size).toBe(0);
    expect(cluster.sim.recorder.steps.filter((s) => s.kind === 'request' && s.from === 'kubelet/worker-1' && s.t > 60_000)).toEqual([]);
  });

  it('a stopped kubelet leaves its containers running', () => {
    const cluster = play(scenarioFrom(yaml('stop-kubelet')));
    const sandboxes = [...cluster.nodes.get('worker-1')!.runtime.sandboxes.values()].filter((s) => s.podKey === 'default/web');
    expect(sandboxes).toHaveLength(1);
    expect(sandboxes[0].containers.every((c) => c.state === 'running')).toBe(true);
    expect(cluster.sim.recorder.steps.find((s) => s.kind === 'failure')!.explanation).toContain('containers it started keep running');
  });
});

describe('apiserver-restart', () => {
  const cluster = play(builtin('apiserver-restart'));
  const steps = cluster.sim.recorder.steps;

  it('refuses connections while down and pods keep running', () => {
    const refused = steps.filter((s) => s.t > 60_000 && s.t < 120_000 && s.kind === 'request');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((s) => s.status === 0 && (s.response as Obj).error.includes('connection refused'))).toBe(true);
    expect([...cluster.nodes.get('worker-1')!.runtime.sandboxes.values()].length).toBeGreaterThan(0);
  });

  it('answers resumed watches from before the restart with 410 Expired, and the client lists again', () => {
    const expired = steps.filter((s) => s.kind === 'watch' && s.summary === 'watch ERROR 410 Expired');
    expect(expired.length).toBeGreaterThan(0);
    const first = expired[0];
    const relist = steps.find((s) => s.step > first.step && s.from === first.to && s.method === 'GET' && !s.path!.includes('watch=true'));
    expect(relist).toBeDefined();
  });

  it('restarts the controller manager after leader election is lost, so no node is marked Unknown', () => {
    expect(steps.some((s) => s.summary.includes('leader election lost') && s.t === 70_000)).toBe(true);
    expect(steps.some(UNKNOWN_PUT('worker-1'))).toBe(false);
  });
});

describe('etcd-quorum-loss', () => {
  const cluster = play(builtin('etcd-quorum-loss'));
  const steps = cluster.sim.recorder.steps;

  it('is invisible with one member down, and fails writes without quorum', () => {
    const between = (a: number, b: number) => steps.filter((s) => s.kind === 'request' && s.t > a && s.t < b && s.status !== 0);
    expect(between(61_000, 119_000).every((s) => s.status! < 500)).toBe(true);
    const writes = between(121_000, 239_000).filter((s) => s.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((s) => s.status === 500 && (s.response as Obj).message.includes('etcdserver: request timed out'))).toBe(true);
  });

  it('evicts nothing', () => {
    expect(steps.some((s) => s.from === 'taint-eviction-controller' && s.method === 'DELETE')).toBe(false);
    const pods = cluster.store.range('/registry/pods/default/');
    expect(pods).toHaveLength(2);
  });
});

describe('certificate-rotation: an expired client certificate', () => {
  const cluster = play(builtin('certificate-rotation'));
  const steps = cluster.sim.recorder.steps.filter((s) => s.node === 'worker-1' && s.t >= 60_000);

  it('gets 401, the kubelet exits, and it bootstraps again with its token', () => {
    expect(steps.some((s) => s.kind === 'request' && s.status === 401)).toBe(true);
    const exit = steps.find((s) => s.summary.startsWith('kubelet exits'))!;
    expect(exit).toBeDefined();
    const csr = steps.find((s) => s.method === 'POST' && s.path === '/apis/certificates.k8s.io/v1/certificatesigningrequests' && s.t > exit.t)!;
    expect(csr).toMatchObject({ status: 201, user: 'system:bootstrap:abcdef' });
    const node = cluster.store.get('/registry/minions/worker-1')!.value as Obj;
    expect(node.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('True');
  });
});

describe('certificate-rotation: client certificates rotate at 70-90% of their lifetime', () => {
  const cluster = play(builtin('certificate-rotation'));
  const all = cluster.sim.recorder.steps;
  const CSR_POST = (s: Step) => s.method === 'POST' && s.path === '/apis/certificates.k8s.io/v1/certificatesigningrequests' && s.status === 201;

  for (const node of ['worker-1', 'worker-2']) {
    it(`${node} renews with its current certificate, approved as selfnodeclient`, () => {
      const renewal = all.find((s) => CSR_POST(s) && s.user === `system:node:${node}`)!;
      expect(renewal).toBeDefined();
      expect(renewal.groups).toContain('system:nodes');
      expect((renewal.request as Obj).metadata).toEqual({ generateName: 'csr-' });
      const name = (renewal.response as Obj).metadata.name as string;
      expect(name).toMatch(/^csr-[a-z0-9]{5}$/);
      const approval = all.find((s) => s.summary === `approve CSR ${name} (selfnodeclient)`);
      expect(approval?.from).toBe('csrapproving');
      const signed = all.find((s) => s.method === 'PUT' && s.path === `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}/status`);
      expect(signed?.status).toBe(200);
    });
  }

  it('renews between 70% and 90% of a 10-minute certificate (15 minutes from the backdated notBefore)', () => {
    // worker-2 keeps the certificate it got at about 0s: notBefore = issue - 5m, notAfter = issue + 10m.
    const issued = all.find((s) => s.node === 'worker-2' && s.summary.startsWith('certificate expiration is'))!;
    const renewal = all.find((s) => CSR_POST(s) && s.user === 'system:node:worker-2')!;
    const notBefore = issued.t - 5 * 60_000;
    const lifetime = 15 * 60_000;
    expect(renewal.t - notBefore).toBeGreaterThanOrEqual(0.7 * lifetime);
    expect(renewal.t - notBefore).toBeLessThanOrEqual(0.9 * lifetime + 100);
    expect(issued.summary).toBe('certificate expiration is 2026-01-01T09:10:00Z, rotation deadline is ' + new Date(Date.UTC(2026, 0, 1, 9, 0) + Math.floor(renewal.t / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
  });

  it('keeps both nodes authenticated after the token is revoked and the first certificates would have expired', () => {
    const late = all.filter((s) => s.t > 11 * 60_000 && s.kind === 'request' && s.user?.startsWith('system:node:'));
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((s) => s.status !== 401)).toBe(true);
  });
});

describe('certificate rotation while kube-apiserver is away', () => {
  it('retries the renewal with the certificate manager\'s backoff (2s, doubling), not at once', () => {
    const cluster = play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: rotation-backoff }
spec:
  seed: 13
  duration: 10m
  cluster: { controlPlane: { clusterSigningDuration: 10m } }
  nodes: [{ name: worker-1 }]
  # The rotation deadline falls between 5m30s and 8m30s: inside the outage whatever the jitter.
  timeline: [{ at: 5m, action: stop-apiserver, for: 4m }]
`));
    const attempts = cluster.sim.recorder.steps.filter(
      (s) => s.from === 'kubelet/worker-1' && s.method === 'POST' && s.path === '/apis/certificates.k8s.io/v1/certificatesigningrequests' && s.t > 60_000,
    );
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    const failed = attempts.filter((s) => s.status !== 201);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    const gaps = failed.slice(1).map((s, i) => s.t - failed[i].t);
    expect(gaps[0]).toBeGreaterThanOrEqual(2_000);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(Math.min(gaps[i - 1], 32_000) - 100);
    expect(attempts.at(-1)!.status).toBe(201);
    expect(attempts.at(-1)!.t).toBeGreaterThanOrEqual(9 * 60_000);
    expect(attempts.at(-1)!.user).toBe('system:node:worker-1');
  });
});

describe('revoke-bootstrap-token', () => {
  it('stops a node that has not joined yet, and leaves joined nodes alone', () => {
    const cluster = play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: revoke }
spec:
  duration: 2m
  nodes: [{ name: worker-1 }, { name: worker-2, joinAt: 1m }]
  timeline: [{ at: 30s, action: revoke-bootstrap-token }]
`));
    const late = cluster.sim.recorder.steps.filter((s) => s.from === 'kubelet/worker-2' && s.kind === 'request');
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((s) => s.status === 401)).toBe(true);
    expect(cluster.store.get('/registry/minions/worker-2')).toBeUndefined();
    const w1 = cluster.store.get('/registry/minions/worker-1')!.value as Obj;
    expect(w1.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('True');
  });
});

describe('zone-outage: every node unreachable', () => {
  const cluster = play(builtin('zone-outage'));
  const steps = cluster.sim.recorder.steps;

  it('marks the nodes Unknown but adds no NoExecute taint and evicts nothing', () => {
    expect(steps.some(UNKNOWN_PUT('worker-1'))).toBe(true);
    const noExecute = steps.some((s) => s.method === 'PATCH' && taintsAt(s).some((t) => t.effect === 'NoExecute'));
    expect(noExecute).toBe(false);
    expect(steps.some((s) => s.from === 'taint-eviction-controller' && s.method === 'DELETE')).toBe(false);
  });
});

/** A Deployment `web` (app=web, nginx) as a scenario's resources list item; `podSpec` adds pod spec fields. */
function webDeployment(replicas: number, podSpec = ''): string {
  return `    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: ${replicas}
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: nginx:1.27 }]${podSpec} }`;
}

describe('restart-node: a crashed node boots again', () => {
  it('renews its Lease again, turns Ready, loses its unreachable taints, and does not run pods deleted while it was down', () => {
    const cluster = play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: crash-and-boot }
spec:
  duration: 10m
  nodes: [{ name: worker-1 }, { name: worker-2 }]
  resources:
${webDeployment(2, ', nodeSelector: { kubernetes.io/hostname: worker-2 }')}
  timeline: [{ at: 1m, action: crash-node, node: worker-2, for: 7m }]
`));
    const steps = cluster.sim.recorder.steps;
    const boot = steps.find((s) => s.kind === 'failure' && s.t === 480_000)!;
    expect(boot).toBeDefined();
    // While it was down: Unknown, both unreachable taints, its pods deleted after 300s.
    expect(steps.some(UNKNOWN_PUT('worker-2'))).toBe(true);
    const deleted = steps.filter((s) => s.from === 'taint-eviction-controller' && s.method === 'DELETE' && s.path!.includes('/namespaces/default/') && s.t < boot.t);
    expect(deleted).toHaveLength(2);
    // After it boots: Lease renewals again, Ready, taints gone.
    expect(steps.some((s) => LEASE_PUT('worker-2')(s) && s.t > boot.t)).toBe(true);
    const node = cluster.store.get('/registry/minions/worker-2')!.value as Obj;
    expect(node.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('True');
    expect((node.spec.taints ?? []).filter((t: Obj) => t.key === 'node.kubernetes.io/unreachable')).toEqual([]);
    // The pods bound to it now are the replacements, and they run; the deleted ones are gone for good.
    const pods = cluster.store.range('/registry/pods/default/').map((kv) => kv.value as Obj);
    expect(pods).toHaveLength(2);
    const deletedNames = deleted.map((s) => s.path!.split('/').pop());
    expect(pods.every((p) => !deletedNames.includes(p.metadata.name) && p.spec.nodeName === 'worker-2' && p.status.phase === 'Running')).toBe(true);
  });
});

describe('apply, delete and scale from the timeline', () => {
  const cluster = play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: kubectl-actions }
spec:
  duration: 3m
  nodes: [{ name: worker-1 }]
  resources:
${webDeployment(1)}
  timeline:
    - { at: 30s, action: scale, target: deployment/web, replicas: 3 }
    - { at: 1m, action: apply, manifest: { apiVersion: v1, kind: Pod, metadata: { name: late }, spec: { containers: [{ name: c, image: busybox }] } } }
    - { at: 2m, action: delete, target: pod/late }
`));
  const steps = cluster.sim.recorder.steps;
  const admin = (s: Step) => s.user === 'kubernetes-admin' && s.kind === 'request';

  it('sends what kubectl would, as kubernetes-admin; scale goes through the scale subresource', () => {
    const sent = steps.filter(admin).map((s) => `${s.method} ${s.path} ${s.status}`);
    const scaled = steps.find((s) => admin(s) && s.path!.endsWith('/scale'))!;
    expect(scaled.response).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { selector: 'app=web' } });
    expect((scaled.after as Obj).spec.replicas).toBe(3);
    expect((scaled.after as Obj).metadata.generation).toBe(2);
    expect(sent).toEqual([
      'POST /apis/apps/v1/namespaces/default/deployments 201',
      'PATCH /apis/apps/v1/namespaces/default/deployments/web/scale 200',
      'GET /api/v1/namespaces/default/pods/late 404',
      'POST /api/v1/namespaces/default/pods 201',
      'DELETE /api/v1/namespaces/default/pods/late 200',
    ]);
  });

  it('the controllers react: three web pods run, and late is gone', () => {
    const pods = cluster.store.range('/registry/pods/default/').map((kv) => kv.value as Obj);
    expect(pods.filter((p) => p.metadata.labels?.app === 'web' && p.status.phase === 'Running')).toHaveLength(3);
    expect(pods.some((p) => p.metadata.name === 'late')).toBe(false);
    const lateBound = steps.find((s) => s.path === '/api/v1/namespaces/default/pods/late/binding' && s.status === 201);
    expect(lateBound?.user).toBe('system:kube-scheduler');
  });
});

describe('zone logic when many nodes of a large cluster are partitioned', () => {
  // 60 nodes (more than --large-cluster-size-threshold=50), 36 of them (60%, above
  // --unhealthy-zone-threshold=0.55) partitioned at once: the zone is in PartialDisruption and
  // NoExecute tainting slows to --secondary-node-eviction-rate=0.01 nodes/s.
  const nodes = Array.from({ length: 60 }, (_, i) => `worker-${i + 1}`);
  const cluster = play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: large-partial-disruption }
spec:
  duration: 5m
  nodes: [${nodes.map((n) => `{ name: ${n} }`).join(', ')}]
  timeline: [${nodes.slice(0, 36).map((n) => `{ at: 1m, action: partition, node: ${n} }`).join(', ')}]
`));
  const steps = cluster.sim.recorder.steps;

  it('records the zone going to PartialDisruption', () => {
    const change = steps.find((s) => s.kind === 'decision' && s.summary.includes('PartialDisruption'));
    expect(change?.summary).toMatch(/Normal → PartialDisruption \(3\d\/60 not ready\)/);
    expect(change?.explanation).toContain('0.01 nodes/s');
  });

  it('adds NoExecute taints at most one per 100 s', () => {
    const added = steps
      .filter((s) => s.method === 'PATCH' && s.from === 'node-lifecycle-controller' && s.status === 200)
      .filter((s) => taintsAt(s).some((t) => t.effect === 'NoExecute') && !((s.before as Obj)?.spec?.taints ?? []).some((t: Obj) => t.effect === 'NoExecute'))
      .map((s) => s.t);
    expect(added.length).toBeGreaterThan(0);
    expect(added.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < added.length; i++) expect(added[i] - added[i - 1]).toBeGreaterThanOrEqual(100_000 - 1_000);
  });
});
