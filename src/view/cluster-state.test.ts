import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Step } from '../sim/trace.js';
import { ClusterStateIndex, ObjectsAt } from './cluster-state.js';
import { ClusterPanelCache, clusterPanel, formatAge } from './cluster-panel.js';
import { fixtureSteps, manySteps } from '../../test/tui/fixtures.js';

/** The obvious way: apply every store write from the start. */
function naive(steps: readonly Step[], n: number): Map<string, unknown> {
  const objects = new Map<string, unknown>();
  for (const step of steps.slice(0, n)) {
    if (step.kind === 'request' && step.key && step.after !== undefined) {
      if (step.after === null) objects.delete(step.key);
      else objects.set(step.key, step.after);
    }
  }
  return objects;
}

describe('ObjectsAt', () => {
  it('reads as a plain map would after any writes and deletes, through copies of copies, and a copy never changes what it was copied from', () => {
    const op = fc.record({ key: fc.integer({ min: 0, max: 2999 }), remove: fc.boolean(), copy: fc.integer({ min: 0, max: 400 }) });
    fc.assert(
      fc.property(fc.array(op, { minLength: 3000, maxLength: 6000 }), (ops) => {
        const model = new Map<string, unknown>();
        for (let i = 0; i < 1000; i++) model.set(`k${i}`, i);
        let objects = ObjectsAt.from(new Map(model));
        let earlier: [ObjectsAt, Map<string, unknown>] | undefined;
        ops.forEach(({ key, remove, copy }, i) => {
          if (remove) {
            model.delete(`k${key}`);
            objects.delete(`k${key}`);
          } else {
            model.set(`k${key}`, i);
            objects.set(`k${key}`, i);
          }
          if (copy === 0) {
            earlier = [objects, new Map(model)];
            objects = ObjectsAt.from(objects);
          }
        });
        expect(objects.size).toBe(model.size);
        expect(new Map(objects)).toEqual(model);
        for (let key = 0; key < 3000; key++) expect([objects.has(`k${key}`), objects.get(`k${key}`)]).toEqual([model.has(`k${key}`), model.get(`k${key}`)]);
        if (earlier) expect(new Map(earlier[0])).toEqual(earlier[1]);
      }),
      { numRuns: 40, endOnFailure: true },
    );
  });
});

describe('ClusterStateIndex', () => {
  it('gives the same objects as replaying every write from the start, in any order of questions', () => {
    const steps = manySteps(2000);
    const index = new ClusterStateIndex(() => steps, 64);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 30 }), (ns) => {
        for (const n of ns) {
          const objects = index.at(n).objects;
          const expected = naive(steps, n);
          expect(new Map(objects)).toEqual(expected);
          expect(objects.size).toBe(expected.size);
          for (const key of expected.keys()) expect(objects.has(key) && objects.get(key) === expected.get(key)).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('shows an earlier moment exactly after moving past it', () => {
    const steps = fixtureSteps();
    const index = new ClusterStateIndex(() => steps, 4);
    const readyAt = (n: number) => clusterPanel(index.at(n), ['worker-1', 'worker-2']).nodes[0].ready;
    expect(readyAt(3)).toBe('—');
    expect(readyAt(5)).toBe('False');
    expect(readyAt(6)).toBe('True');
    expect(readyAt(16)).toBe('True');
    expect(readyAt(5)).toBe('False');
  });

  it('replays at most one snapshot interval of steps per question, however long the history', () => {
    const steps = manySteps(10_000);
    let reads = 0;
    const counted = new Proxy(steps, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
        return Reflect.get(target, prop, receiver);
      },
    });
    const index = new ClusterStateIndex(() => counted, 256);
    index.at(10_000); // first visit builds the snapshots once
    for (const n of [9_999, 17, 5_000, 9_000, 123, 10_000, 4_321]) {
      reads = 0;
      index.at(n);
      expect(reads).toBeLessThanOrEqual(256);
    }
  });

  it('in a large cluster (snapshots thousands of steps apart), stepping back from the end replays a few dozen steps per key, and the objects are right', () => {
    // 20,000 pods written once each, then 10,000 lease renewals: a snapshot every 5,000 steps.
    const base = manySteps(30_000);
    const steps = base.map((s, i) => (i < 20_000 ? { ...s, key: `/registry/pods/default/p-${i}`, after: { metadata: { name: `p-${i}` } } } : s));
    let reads = 0;
    const counted = new Proxy(steps, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
        return Reflect.get(target, prop, receiver);
      },
    });
    const index = new ClusterStateIndex(() => counted, 256);
    index.at(30_000);
    for (let n = 29_999; n > 29_700; n--) {
      reads = 0;
      index.at(n);
      expect(reads).toBeLessThanOrEqual(64);
    }
    for (let n = 29_701; n <= 30_000; n += 37) {
      reads = 0;
      index.at(n);
      expect(reads).toBeLessThanOrEqual(64);
    }
    expect(new Map(index.at(29_800).objects)).toEqual(naive(steps, 29_800));
    expect(new Map(index.at(19_990).objects)).toEqual(naive(steps, 19_990));
  });

  it('answers within a frame for a 10,000-step history', () => {
    const steps = manySteps(10_000);
    const index = new ClusterStateIndex(() => steps);
    index.at(10_000);
    const started = performance.now();
    for (let n = 10_000; n > 9_000; n--) clusterPanel(index.at(n), ['worker-1']);
    expect((performance.now() - started) / 1000).toBeLessThan(16);
  });

  it('tracks what failure steps take down and bring back', () => {
    const steps = fixtureSteps();
    const index = new ClusterStateIndex(() => steps);
    const at = (n: number) => clusterPanel(index.at(n), ['worker-1', 'worker-2']);
    expect(at(16).nodes[0].fault).toBe('down');
    expect(at(17).components.find((c) => c.name === 'kube-apiserver')?.up).toBe(false);
    expect(at(19).components.find((c) => c.name === 'kube-apiserver')?.up).toBe(true);
    expect(at(15).nodes[0].fault).toBeUndefined();
  });

  it('marks a stopped kubelet as a component down, not its node', () => {
    const base = fixtureSteps();
    const stop: Step = {
      step: base.length + 1, t: 70_000, stage: 'synchronization', from: 'timeline', to: 'kubelet/worker-2', kind: 'failure',
      summary: 'kubelet on worker-2 stopped', explanation: '', node: 'worker-2',
      detail: { action: 'stop-kubelet', node: 'worker-2', component: 'kubelet/worker-2', state: 'down' },
    };
    const steps = [...base, stop];
    const panel = clusterPanel(new ClusterStateIndex(() => steps).at(stop.step), ['worker-1', 'worker-2']);
    expect(panel.nodes[1].fault).toBeUndefined();
    expect(panel.nodes[1].stopped).toEqual(['kubelet']);
    expect(panel.nodes[0].stopped).toEqual([]);
    expect(panel.components.map((c) => c.name)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
  });
});

describe('clusterPanel', () => {
  it('lists nodes with Ready, lease age from virtual time, podCIDR and taints, and pods with phase, node and IP', () => {
    const steps = fixtureSteps();
    const index = new ClusterStateIndex(() => steps);
    const early = clusterPanel(index.at(5), ['worker-1', 'worker-2']);
    expect(early.nodes[0]).toMatchObject({ name: 'worker-1', registered: true, ready: 'False', leaseAgeMs: 0, taints: ['node.kubernetes.io/not-ready:NoSchedule'] });
    expect(early.nodes[1]).toMatchObject({ name: 'worker-2', registered: false, ready: '—' });
    const later = clusterPanel(index.at(15), ['worker-1', 'worker-2']);
    expect(later.nodes[0]).toMatchObject({ ready: 'True', podCIDR: '10.244.0.0/24', taints: [], leaseAgeMs: 42_000 - 41_040 });
    expect(later.pods).toEqual([{ namespace: 'default', name: 'web-1', phase: 'Running', ready: '0/1', node: 'worker-1', ip: '10.244.0.5' }]);
    expect(later.components.map((c) => c.name)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
  });

  it('lists, stepping back and forth with one cache, the first pods of the whole list and counts the rest', () => {
    const write = fc.record({
      namespace: fc.constantFrom('default', 'kube-system', 'team-a'),
      name: fc.constantFrom('web-1', 'web-2', 'db-0', 'api-7', 'Zeta', 'alpha'),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 60 }), fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (writes, visits, maxPods) => {
        const steps: Step[] = writes.map((w, i) => ({
          step: i + 1, t: i * 10, stage: 'synchronization', from: 'kubelet/worker-1', to: 'kube-apiserver', kind: 'request', summary: '', explanation: '',
          key: `/registry/pods/${w.namespace}/${w.name}`,
          after: w.remove ? null : { metadata: { name: w.name, namespace: w.namespace }, spec: { nodeName: 'worker-1', containers: [{}] }, status: { phase: 'Running' } },
        }));
        const index = new ClusterStateIndex(() => steps, 4);
        const cache = new ClusterPanelCache();
        for (const visit of visits) {
          const n = visit % (steps.length + 1);
          const panel = clusterPanel(index.at(n), ['worker-1'], cache, maxPods);
          const all = [...naive(steps, n).keys()].map((key) => key.split('/')).map((parts) => ({ namespace: parts[3], name: parts[4] }));
          const expected = all.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)).slice(0, maxPods);
          expect(panel.pods.map((p) => ({ namespace: p.namespace, name: p.name }))).toEqual(expected);
          expect(panel.podCount).toBe(all.length);
          expect(panel.namespaced).toBe(all.some((p) => p.namespace !== 'default'));
        }
      }),
    );
  });

  it('prints ages as kubectl does', () => {
    expect(formatAge(950)).toBe('0s');
    expect(formatAge(42_000)).toBe('42s');
    expect(formatAge(65_000)).toBe('1m05s');
  });
});
