import { describe, expect, it } from 'vitest';
import type { Step } from '../src/sim/trace.js';
import { builtin, play, scenarioFrom } from './helpers.js';

type Obj = Record<string, any>;

const readyIn = (obj: unknown): string | undefined => ((obj as Obj)?.status?.conditions as Obj[] | undefined)?.find((c) => c.type === 'Ready')?.status;
const taintsIn = (obj: unknown): string[] => (((obj as Obj)?.spec?.taints ?? []) as Obj[]).map((t) => `${t.key}:${t.effect}`);
const kubeletNodeStatus = (node: string) => (s: Step) => s.from === `kubelet/${node}` && s.method === 'PATCH' && s.path === `/api/v1/nodes/${node}/status`;

describe('short-partition: a one-minute partition heals without waiting for the 5m status report', () => {
  const cluster = play(builtin('short-partition'));
  const steps = cluster.sim.recorder.steps;
  const HEAL_MS = 180_000;

  it('the kubelet PATCHes Ready=True within one 10s status sync of its node watch delivering the Unknown Node', () => {
    const unknownSeen = steps.find((s) => s.t > HEAL_MS && s.kind === 'watch' && s.to === 'kubelet/worker-2' && readyIn(s.after) === 'Unknown')!;
    expect(unknownSeen).toBeDefined();
    const patch = steps.find((s) => s.t > HEAL_MS && kubeletNodeStatus('worker-2')(s))!;
    expect(patch).toBeDefined();
    expect(patch.status).toBe(200);
    expect(readyIn(patch.before)).toBe('Unknown');
    expect(readyIn(patch.after)).toBe('True');
    expect(patch.explanation).toContain('Ready=Unknown');
    // Well before a 5-minute report could come, and within one status sync of the watch reconnecting.
    expect(patch.t - HEAL_MS).toBeLessThan(45_000);
    expect(patch.t - unknownSeen.t).toBeLessThanOrEqual(10_100);
    const ready = (patch.after as Obj).status.conditions.find((c: Obj) => c.type === 'Ready');
    expect(ready).toMatchObject({ reason: 'KubeletReady', lastTransitionTime: cluster.sim.clock.rfc3339(patch.t) });
  });

  it('the node lifecycle controller lifts the NoSchedule taint on seeing the update and the NoExecute one within its 5s monitor period', () => {
    const patch = steps.find((s) => s.t > HEAL_MS && kubeletNodeStatus('worker-2')(s))!;
    const taintWrites = steps.filter((s) => s.t >= patch.t && s.from === 'node-lifecycle-controller' && s.method === 'PATCH' && s.path === '/api/v1/nodes/worker-2' && s.status === 200);
    const noSchedule = taintWrites.find((s) => !taintsIn(s.after).includes('node.kubernetes.io/unreachable:NoSchedule'))!;
    const noExecute = taintWrites.find((s) => !taintsIn(s.after).includes('node.kubernetes.io/unreachable:NoExecute'))!;
    expect(noSchedule.t - patch.t).toBeLessThan(100);
    expect(noExecute.t - patch.t).toBeLessThanOrEqual(5_100);
    expect(taintsIn(noExecute.after)).toEqual([]);
    // Go omits an empty taint list (omitempty): the Node has no spec.taints at all.
    expect((noExecute.after as Obj).spec).not.toHaveProperty('taints');
  });

  it('evicts nothing: the 300s toleration never runs out', () => {
    expect(steps.some((s) => s.from === 'taint-eviction-controller' && s.method === 'DELETE')).toBe(false);
  });
});

describe('node status PATCHes are strategic merge patches, as PatchNodeStatus sends them', () => {
  const cluster = play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: report }
spec:
  duration: 5m30s
  nodes: [{ name: worker-1 }]
`));
  const patches = cluster.sim.recorder.steps.filter(kubeletNodeStatus('worker-1'));

  it('carry Content-Type application/strategic-merge-patch+json and $setElementOrder/conditions with every condition type', () => {
    expect(patches.length).toBeGreaterThan(0);
    for (const p of patches) {
      expect(p.contentType).toBe('application/strategic-merge-patch+json');
      const status = (p.request as Obj).status;
      expect(status['$setElementOrder/conditions'].map((c: Obj) => c.type)).toEqual((p.after as Obj).status.conditions.map((c: Obj) => c.type));
      expect(Object.keys(p.request as Obj)).toEqual(['status']);
    }
  });

  it('hold only what changed: a routine report sends each condition as its type and lastHeartbeatTime', () => {
    const routine = patches.find((p) => p.heartbeat)!;
    expect(routine).toBeDefined();
    const status = (routine.request as Obj).status;
    expect(Object.keys(status)).toEqual(['$setElementOrder/conditions', 'conditions']);
    for (const c of status.conditions) expect(Object.keys(c)).toEqual(['lastHeartbeatTime', 'type']);
    expect(status.conditions.map((c: Obj) => c.type)).toEqual(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
  });
});

describe('pod status PATCHes are strategic merge patches, as the status manager sends them', () => {
  const cluster = play(builtin('short-partition'), 60_000);
  const steps = cluster.sim.recorder.steps;
  const patches = steps.filter((s) => s.from.startsWith('kubelet/') && s.method === 'PATCH' && /\/pods\/[^/]+\/status$/.test(s.path ?? ''));

  it('are each preceded by a GET of the pod, and carry metadata.uid as a precondition', () => {
    expect(patches.length).toBeGreaterThan(0);
    for (const p of patches) {
      const podPath = p.path!.replace(/\/status$/, '');
      const get = steps.filter((s) => s.step < p.step && s.from === p.from && s.method === 'GET' && s.path === podPath).at(-1);
      expect(get).toBeDefined();
      expect(p.contentType).toBe('application/strategic-merge-patch+json');
      expect((p.request as Obj).metadata).toEqual({ uid: (p.after as Obj).metadata.uid });
    }
  });

  it('send the Running update as a diff: changed conditions only, keyed by type, PodScheduled kept', () => {
    const running = patches.find((p) => (p.request as Obj).status.phase === 'Running')!;
    const status = (running.request as Obj).status;
    expect(status['$setElementOrder/conditions'].map((c: Obj) => c.type)).toEqual(['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);
    expect(status.conditions.map((c: Obj) => c.type)).toEqual(['Ready', 'ContainersReady']);
    expect(status).not.toHaveProperty('hostIP');
    expect((running.after as Obj).status.conditions.map((c: Obj) => c.type)).toEqual(['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);
    expect((running.after as Obj).status.qosClass).toBe('Burstable');
  });
});

describe('a restarted kubelet reports node status at its first sync', () => {
  const yaml = `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: restart }
spec:
  duration: 3m
  nodes: [{ name: worker-1 }]
  timeline: [{ at: 1m, action: stop-kubelet, node: worker-1, for: 20s }]
`;
  const steps = play(scenarioFrom(yaml)).sim.recorder.steps;

  it('PATCHes nodes/worker-1/status within one sync period of starting, though nothing changed', () => {
    // Stopped for 20s (less than the 50s grace period): the Node is still Ready=True in the API.
    const restartedAt = 80_000;
    const first = steps.find((s) => s.t > restartedAt && kubeletNodeStatus('worker-1')(s))!;
    expect(first).toBeDefined();
    expect(readyIn(first.before)).toBe('True');
    expect(first.t - restartedAt).toBeLessThan(12_000);
    expect(first.explanation).toContain('first sync');
  });
});

describe('where the kubelet reads its Node for a status update', () => {
  const run = (version: string) =>
    play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: read-node }
spec:
  duration: 1m
  cluster: { kubernetesVersion: "${version}" }
  nodes: [{ name: worker-1 }]
`)).sim.recorder.steps.filter((s) => s.from === 'kubelet/worker-1' && s.method === 'GET' && s.path?.startsWith('/api/v1/nodes/worker-1'));

  it('before 1.31: a GET served from kube-apiserver\'s cache (resourceVersion=0) every 10s', () => {
    const gets = run('1.30');
    expect(gets.length).toBeGreaterThanOrEqual(5);
    expect(gets.every((s) => s.path === '/api/v1/nodes/worker-1?resourceVersion=0' && s.heartbeat)).toBe(true);
    for (let i = 1; i < gets.length; i++) expect(gets[i].t - gets[i - 1].t).toBeLessThanOrEqual(10_100);
  });

  it('from 1.31: the node informer\'s cache, so no GET at all once it has synced', () => {
    expect(run('1.32').filter((s) => s.t > 5_000)).toEqual([]);
  });
});
