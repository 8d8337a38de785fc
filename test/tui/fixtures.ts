/**
 * Hand-written steps for the UI's tests: a small story (a node authenticates, registers,
 * heartbeats, runs a pod, then fails) whose every field is known, so tests can assert exact
 * screens without depending on the simulation's wording. `source()` grows lazily like a Session.
 */
import type { Checkpoint, Expectation, Scenario } from '../../src/scenario/index.js';
import { EPOCH_MS } from '../../src/sim/clock.js';
import type { Stage, Step, StepInput } from '../../src/sim/trace.js';
import type { StepSource } from '../../src/view/step-source.js';

export function fixtureScenario(
  nodes: readonly string[] = ['worker-1', 'worker-2'],
  stages: readonly Stage[] = ['authentication', 'registration', 'synchronization'],
  checkpoints: readonly Checkpoint[] = [],
  expect: readonly Expectation[] = [],
  timeline: Scenario['spec']['timeline'] = [],
): Scenario {
  return {
    apiVersion: 'kube-learn/v1',
    kind: 'Scenario',
    metadata: {
      name: 'fixture',
      title: 'A fixture cluster',
      description: 'Two workers join; one of them later loses power.',
      difficulty: 'beginner',
      stages,
    },
    spec: {
      seed: 7,
      durationMs: 120_000,
      nodes: nodes.map((name, i) => ({
        name,
        address: `192.168.0.${10 + i}`,
        capacity: { cpuMillis: 2000, memoryBytes: 4 * 2 ** 30, pods: 110 },
        labels: {},
        taints: [],
        joinAtMs: i * 5000,
        auth: { method: 'bootstrap-token' },
      })),
      checkpoints,
      expect,
      timeline,
    } as unknown as Scenario['spec'],
  };
}

const iso = (ms: number) => new Date(EPOCH_MS + ms).toISOString().replace(/Z$/, '000Z');

function node(name: string, ready: string, podCIDR?: string, taints: { key: string; effect: string }[] = []) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, resourceVersion: '1' },
    spec: { ...(podCIDR ? { podCIDR } : {}), ...(taints.length ? { taints } : {}) },
    status: { conditions: [{ type: 'Ready', status: ready }] },
  };
}
const lease = (name: string, atMs: number) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, renewTime: iso(atMs) } });
const pod = (name: string, phase: string, nodeName?: string, podIP?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'web', image: 'nginx:1.27' }] },
  status: { phase, ...(podIP ? { podIP } : {}) },
});

type Draft = Omit<StepInput, 'explanation' | 'summary'> & { t: number; summary?: string; explanation?: string };

function request(t: number, stage: Stage, from: string, method: string, path: string, status: number, extra: Partial<Draft> = {}): Draft {
  return { t, stage, from, to: 'kube-apiserver', kind: 'request', method, path, status, user: `system:node:${from.split('/')[1] ?? from}`, groups: ['system:nodes', 'system:authenticated'], ...extra };
}

/** The story, in order. Step numbers are assigned by position. */
export function fixtureSteps(): Step[] {
  const w1 = 'kubelet/worker-1';
  const drafts: Draft[] = [
    { t: 0, stage: 'authentication', from: 'kubeadm', to: 'kube-apiserver', kind: 'decision', summary: 'control plane up' },
    request(10, 'authentication', w1, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', 201, { node: 'worker-1', request: { kind: 'CertificateSigningRequest', spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet' } }, response: { kind: 'CertificateSigningRequest', metadata: { name: 'csr-abc' } }, key: '/registry/certificatesigningrequests/csr-abc', revision: 40, after: { kind: 'CertificateSigningRequest', metadata: { name: 'csr-abc' } } }),
    { t: 20, stage: 'authentication', from: 'csrapproving', to: 'csrapproving', kind: 'decision', summary: 'approve csr-abc', node: 'worker-1' },
    request(30, 'registration', w1, 'POST', '/api/v1/nodes', 201, { node: 'worker-1', key: '/registry/minions/worker-1', revision: 41, after: node('worker-1', 'False', undefined, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]) }),
    request(40, 'registration', w1, 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', 201, { node: 'worker-1', key: '/registry/leases/kube-node-lease/worker-1', revision: 42, after: lease('worker-1', 40) }),
    request(1040, 'registration', w1, 'PATCH', '/api/v1/nodes/worker-1/status', 200, { node: 'worker-1', key: '/registry/minions/worker-1', revision: 43, before: node('worker-1', 'False', undefined, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]), after: node('worker-1', 'True', '10.244.0.0/24') }),
  ];
  for (let i = 1; i <= 4; i++) {
    const t = 1040 + i * 10_000;
    drafts.push(request(t, 'registration', w1, 'PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1', 200, { node: 'worker-1', heartbeat: true, key: '/registry/leases/kube-node-lease/worker-1', revision: 43 + i, before: lease('worker-1', t - 10_000), after: lease('worker-1', t) }));
  }
  drafts.push(
    request(41_100, 'synchronization', 'replicaset-controller', 'POST', '/api/v1/namespaces/default/pods', 201, { key: '/registry/pods/default/web-1', revision: 50, after: pod('web-1', 'Pending'), user: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts'] }),
    { t: 41_200, stage: 'synchronization', from: 'kube-scheduler', to: 'kube-scheduler', kind: 'decision', summary: 'bind default/web-1 to worker-1', node: 'worker-1' },
    request(41_300, 'synchronization', 'kube-scheduler', 'POST', '/api/v1/namespaces/default/pods/web-1/binding', 201, { key: '/registry/pods/default/web-1', revision: 51, before: pod('web-1', 'Pending'), after: pod('web-1', 'Pending', 'worker-1'), user: 'system:kube-scheduler', groups: [] }),
    { t: 41_400, stage: 'synchronization', from: 'kube-apiserver', to: w1, kind: 'watch', summary: 'watch ADDED Pod default/web-1', node: 'worker-1', after: pod('web-1', 'Pending', 'worker-1'), revision: 51 },
    request(42_000, 'synchronization', w1, 'PATCH', '/api/v1/namespaces/default/pods/web-1/status', 200, { node: 'worker-1', key: '/registry/pods/default/web-1', revision: 52, before: pod('web-1', 'Pending', 'worker-1'), after: pod('web-1', 'Running', 'worker-1', '10.244.0.5') }),
    { t: 50_000, stage: 'synchronization', from: 'scenario', to: 'worker-1', kind: 'failure', summary: 'crash-node worker-1', banner: 'worker-1 loses power', node: 'worker-1', detail: { node: 'worker-1', state: 'down' } },
    { t: 51_000, stage: 'synchronization', from: 'scenario', to: 'kube-apiserver', kind: 'failure', summary: 'stop-apiserver', banner: 'kube-apiserver stops', detail: { component: 'kube-apiserver', state: 'down' } },
    request(52_000, 'registration', 'kubelet/worker-2', 'POST', '/api/v1/nodes', 0, { node: 'worker-2', response: { error: 'connection refused' } }),
    { t: 60_000, stage: 'synchronization', from: 'scenario', to: 'kube-apiserver', kind: 'failure', summary: 'start-apiserver', banner: 'kube-apiserver is back', detail: { component: 'kube-apiserver', state: 'up' } },
  );
  return drafts.map((d, i) => ({ explanation: `Explanation of step ${i + 1}.`, summary: `${d.method ?? d.kind} ${d.path ?? ''}`.trim(), ...d, step: i + 1 }) as Step);
}

/**
 * A StepSource over a fixed list that reveals steps only as they are asked for, as a Session
 * does, so tests see the same lazy growth.
 */
export class FixtureSource implements StepSource {
  private readonly visible: Step[] = [];

  constructor(
    private readonly all: readonly Step[] = fixtureSteps(),
    readonly scenario: Scenario = fixtureScenario(),
    eager = false,
    /** The step of each timeline action, by index, as a Cluster notes them. */
    private readonly actionSteps: ReadonlyMap<number, number> = new Map(),
  ) {
    if (eager) this.ensure(all.length);
  }

  actionStep(index: number): number | undefined {
    const step = this.actionSteps.get(index);
    return step !== undefined && step <= this.visible.length ? step : undefined;
  }

  get steps(): readonly Step[] {
    return this.visible;
  }

  get finished(): boolean {
    return this.visible.length >= this.all.length;
  }

  ensure(count: number): void {
    while (this.visible.length < Math.min(count, this.all.length)) this.visible.push(this.all[this.visible.length]);
  }
}

/** `count` steps of one node heartbeating with a pod write every 50 steps: for speed tests. */
export function manySteps(count: number): Step[] {
  const steps: Step[] = [];
  for (let i = 1; i <= count; i++) {
    const t = i * 100;
    const podWrite = i % 50 === 0;
    steps.push({
      step: i,
      t,
      stage: i < 10 ? 'registration' : 'synchronization',
      from: podWrite ? 'replicaset-controller' : 'kubelet/worker-1',
      to: 'kube-apiserver',
      kind: 'request',
      summary: 'write',
      explanation: `step ${i}`,
      node: 'worker-1',
      method: podWrite ? 'POST' : 'PUT',
      path: podWrite ? `/api/v1/namespaces/default/pods` : '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1',
      status: podWrite ? 201 : 200,
      heartbeat: !podWrite,
      key: podWrite ? `/registry/pods/default/p-${i}` : '/registry/leases/kube-node-lease/worker-1',
      revision: i,
      after: podWrite ? pod(`p-${i}`, 'Running', 'worker-1', `10.244.0.${i % 250}`) : lease('worker-1', t),
    });
  }
  return steps;
}
