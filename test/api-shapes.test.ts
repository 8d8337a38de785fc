import { describe, expect, it } from 'vitest';
import type { Step } from '../src/sim/trace.js';
import { builtin, play, scenarioFrom } from './helpers.js';

type Obj = Record<string, any>;

/** Objects as the API returns them: Go's encoding of the API types, omitempty and all. */
describe('objects the API returns', () => {
  const cluster = play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: shapes }
spec:
  duration: 2m
  nodes: [{ name: worker-1 }]
  resources:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 1
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: nginx:1.27 }] }
  timeline:
    - at: 1m
      action: scale
      target: deployment/web
      replicas: 0
`));
  const steps = cluster.sim.recorder.steps;
  const rsWrites = steps.filter((s) => s.kind === 'request' && s.path?.startsWith('/apis/apps/v1/namespaces/default/replicasets') && s.status! < 300 && s.after);

  it('a new ReplicaSet has status.replicas 0 (int32 without omitempty), a new Deployment an empty status', () => {
    const created = rsWrites.find((s) => s.method === 'POST')!;
    expect((created.after as Obj).status).toEqual({ replicas: 0 });
    const deployment = steps.find((s) => s.method === 'POST' && s.path === '/apis/apps/v1/namespaces/default/deployments')!;
    expect((deployment.after as Obj).status).toEqual({});
  });

  it('a ReplicaSet scaled to zero reports replicas: 0 and leaves out the zero omitempty counts', () => {
    const last = rsWrites.filter((s) => s.path!.endsWith('/status')).at(-1)!;
    expect(last.t).toBeGreaterThan(60_000);
    const status = (last.after as Obj).status;
    expect(status.replicas).toBe(0);
    expect(status).not.toHaveProperty('readyReplicas');
    expect(status).not.toHaveProperty('availableReplicas');
    expect(status).not.toHaveProperty('fullyLabeledReplicas');
  });

  it('a pod leaves out podIPs until it has an address, and its container statuses carry lastState: {}', () => {
    const pods = steps.filter((s) => s.kind === 'request' && /\/namespaces\/default\/pods\/web-/.test(s.path ?? '') && s.after);
    for (const s of pods) {
      const status = (s.after as Obj).status;
      if (!status.podIP) expect(status).not.toHaveProperty('podIPs');
      for (const c of status.containerStatuses ?? []) expect(c.lastState).toEqual({});
    }
    expect(pods.some((s) => (s.after as Obj).status.containerStatuses)).toBe(true);
  });

  it('no stored object carries an empty list where Go would omit it', () => {
    const empty: string[] = [];
    const walk = (value: unknown, path: string, kind: string): void => {
      if (Array.isArray(value)) {
        if (value.length === 0 && !/^(spec\.containers|endpoints|ports|rules)$/.test(path)) empty.push(`${kind} ${path}`);
        value.forEach((v) => walk(v, path, kind));
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, kind);
      }
    };
    for (const kv of cluster.store.range('/registry/')) walk(kv.value, '', (kv.value as Obj).kind);
    expect(empty).toEqual([]);
  });
});

describe('timeAdded on taints', () => {
  const steps = play(builtin('short-partition')).sim.recorder.steps;
  const taintWrites = steps.filter((s: Step) => s.from === 'node-lifecycle-controller' && s.method === 'PATCH' && s.path === '/api/v1/nodes/worker-2' && s.status === 200);

  it('is stamped by the node lifecycle controller on the taints it adds (SwapNodeControllerTaint), NoSchedule and NoExecute alike', () => {
    const unreachable = taintWrites.flatMap((s) => ((s.after as Obj).spec.taints ?? []) as Obj[]).filter((t) => t.key === 'node.kubernetes.io/unreachable');
    expect(new Set(unreachable.map((t) => t.effect))).toEqual(new Set(['NoSchedule', 'NoExecute']));
    for (const t of unreachable) expect(t.timeAdded).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('is absent from taints the kubelet registers with (--register-with-taints)', () => {
    const yaml = `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: taints }
spec:
  duration: 30s
  nodes: [{ name: worker-1, taints: [{ key: dedicated, value: gpu, effect: NoSchedule }] }]
`;
    const created = play(scenarioFrom(yaml)).sim.recorder.steps.find((s) => s.method === 'POST' && s.path === '/api/v1/nodes')!;
    // TaintNodesByCondition admission adds not-ready:NoSchedule, also without timeAdded.
    expect((created.after as Obj).spec.taints).toEqual([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
    ]);
  });
});

describe('watch bookmarks', () => {
  const steps = play(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: bookmarks }
spec:
  duration: 12m
  nodes: [{ name: worker-1 }]
`)).sim.recorder.steps;
  const bookmarks = steps.filter((s) => s.kind === 'watch' && s.summary.startsWith('watch BOOKMARK'));
  const watchOf = (s: Step): string => (s.detail as Obj).watch;

  it('carry an object of the watched kind with only metadata.resourceVersion', () => {
    expect(bookmarks.length).toBeGreaterThan(0);
    const kinds: Record<string, string> = { '/api/v1/nodes': 'Node', '/api/v1/pods': 'Pod', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases': 'Lease' };
    for (const b of bookmarks) {
      const obj = b.after as Obj;
      expect(Object.keys(obj).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
      expect(Object.keys(obj.metadata)).toEqual(['resourceVersion']);
      expect(Number(obj.metadata.resourceVersion)).toBe(b.revision);
      const kind = kinds[watchOf(b).split('?')[0]];
      if (kind) expect(obj.kind).toBe(kind);
      expect(b.heartbeat).toBe(true);
    }
  });

  it('come about every 60s on each watch, and once more 2s before its timeout', () => {
    const byWatch = new Map<string, Step[]>();
    for (const b of bookmarks) byWatch.set(`${b.to} ${watchOf(b)}`, [...(byWatch.get(`${b.to} ${watchOf(b)}`) ?? []), b]);
    let sawFinal = false;
    for (const [key, list] of byWatch) {
      const opened = steps.find((s) => s.kind === 'request' && s.method === 'GET' && `${s.from} ${s.path}` === key && s.status === 200)!;
      const timeoutMs = Number(/timeoutSeconds=(\d+)/.exec(key)![1]) * 1000;
      const times = list.map((b) => b.t - opened.t);
      expect(times[0]).toBeGreaterThanOrEqual(60_000);
      expect(times[0]).toBeLessThan(60_100);
      for (let i = 1; i < times.length; i++) {
        const gap = times[i] - times[i - 1];
        if (gap !== 60_000) {
          // Only the last one may come sooner: 2s before the deadline.
          expect(i).toBe(times.length - 1);
          expect(gap).toBeLessThan(60_000);
          expect(Math.abs(times[i] - (timeoutMs - 2_000))).toBeLessThan(100);
          sawFinal = true;
        }
      }
      expect(times.at(-1)!).toBeLessThan(timeoutMs);
    }
    expect(sawFinal).toBe(true);
  });
});

describe("the node lifecycle controller's taint PATCHes (PatchNodeTaints)", () => {
  const steps = play(builtin('short-partition')).sim.recorder.steps;
  const writes = steps.filter((s) => s.from === 'node-lifecycle-controller' && s.method === 'PATCH' && s.path === '/api/v1/nodes/worker-2' && s.status === 200);

  it('are strategic merge patches of the whole taint list, conditional on the resourceVersion read', () => {
    expect(writes.length).toBeGreaterThanOrEqual(4);
    for (const w of writes) {
      expect(w.contentType).toBe('application/strategic-merge-patch+json');
      expect(Object.keys(w.request as Obj)).toEqual(['metadata', 'spec']);
      expect((w.request as Obj).metadata).toEqual({ resourceVersion: (w.before as Obj).metadata.resourceVersion });
    }
  });

  it('remove the last taint with taints: null, as Go omits the empty list', () => {
    const last = writes.at(-1)!;
    expect((last.request as Obj).spec).toEqual({ taints: null });
    expect((last.after as Obj).spec).not.toHaveProperty('taints');
  });
});
