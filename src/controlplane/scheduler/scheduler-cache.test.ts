import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildNodeInfos } from './node-info.js';
import { SchedulerCache } from './scheduler-cache.js';
import type { SchedulingNode, SchedulingPod } from './types.js';

const NODES = ['worker-1', 'worker-10', 'worker-2', 'worker-3'];
const PODS = ['a', 'b', 'c', 'd', 'e'];

function node(name: string, cpu: string): SchedulingNode {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } };
}

function pod(name: string, nodeName: string | undefined, cpu: string | undefined): SchedulingPod {
  const resources = cpu === undefined ? undefined : { requests: { cpu, memory: '64Mi' } };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'app', resources }] } };
}

/** One informer or scheduler event, as the scheduler feeds them to its cache. */
type Op =
  | { op: 'node'; name: string; cpu: string }
  | { op: 'removeNode'; name: string }
  | { op: 'pod'; name: string; nodeName?: string; cpu?: string }
  | { op: 'removePod'; name: string }
  | { op: 'assume'; name: string; nodeName: string }
  | { op: 'forget'; name: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('node' as const), name: fc.constantFrom(...NODES), cpu: fc.constantFrom('2', '4', '500m') }),
  fc.record({ op: fc.constant('removeNode' as const), name: fc.constantFrom(...NODES) }),
  fc.record(
    { op: fc.constant('pod' as const), name: fc.constantFrom(...PODS), nodeName: fc.constantFrom(...NODES, 'gone-node'), cpu: fc.constantFrom('100m', '1') },
    { requiredKeys: ['op', 'name'] },
  ),
  fc.record({ op: fc.constant('removePod' as const), name: fc.constantFrom(...PODS) }),
  fc.record({ op: fc.constant('assume' as const), name: fc.constantFrom(...PODS), nodeName: fc.constantFrom(...NODES) }),
  fc.record({ op: fc.constant('forget' as const), name: fc.constantFrom(...PODS) }),
);

/** The same events applied to plain maps, from which buildNodeInfos recomputes everything. */
class Reference {
  readonly nodes = new Map<string, SchedulingNode>();
  readonly pods = new Map<string, SchedulingPod>();
  readonly assumed = new Map<string, { pod: SchedulingPod; nodeName: string }>();
}

function apply(cache: SchedulerCache, ref: Reference, op: Op): void {
  const key = `default/${op.name}`;
  switch (op.op) {
    case 'node':
      ref.nodes.set(op.name, node(op.name, op.cpu));
      return cache.setNode(ref.nodes.get(op.name)!);
    case 'removeNode':
      ref.nodes.delete(op.name);
      return cache.removeNode(op.name);
    case 'pod':
      ref.pods.set(key, pod(op.name, op.nodeName, op.cpu));
      return cache.setPod(key, ref.pods.get(key)!);
    case 'removePod':
      ref.pods.delete(key);
      return cache.removePod(key);
    case 'assume': {
      const p = ref.pods.get(key) ?? pod(op.name, undefined, '250m');
      ref.assumed.set(key, { pod: p, nodeName: op.nodeName });
      return cache.assume(key, p, op.nodeName);
    }
    case 'forget':
      ref.assumed.delete(key);
      return cache.forget(key);
  }
}

const summary = (infos: ReturnType<typeof buildNodeInfos>) =>
  infos.map((i) => ({ name: i.name, requested: i.requested, nonZero: i.nonZeroRequested, allocatable: i.allocatable, pods: i.pods.map((p) => p.metadata.name).sort() }));

describe('SchedulerCache', () => {
  it('always holds what rebuilding every NodeInfo from all pods would give', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const cache = new SchedulerCache();
        const ref = new Reference();
        for (const op of ops) {
          apply(cache, ref, op);
          expect(summary([...cache.snapshot()])).toEqual(summary(buildNodeInfos([...ref.nodes.values()], [...ref.pods.values()], ref.assumed)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts an assumed pod on its chosen node until the watch shows it bound', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('worker-1', '4'));
    cache.setNode(node('worker-2', '4'));
    const pending = pod('web', undefined, '1');
    cache.setPod('default/web', pending);
    cache.assume('default/web', pending, 'worker-2');
    expect(cache.snapshot().map((i) => i.requested.milliCpu)).toEqual([0, 1000]);
    // The Binding landed on worker-2 as assumed; forgetting the assumption changes nothing.
    cache.setPod('default/web', pod('web', 'worker-2', '1'));
    cache.forget('default/web');
    expect(cache.snapshot().map((i) => i.requested.milliCpu)).toEqual([0, 1000]);
  });

  it('never changes a NodeInfo it handed out; a changed node gets a new one', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('worker-1', '4'));
    cache.setNode(node('worker-2', '4'));
    const [one, two] = cache.snapshot();
    cache.setPod('default/a', pod('a', 'worker-1', '1'));
    const [oneAfter, twoAfter] = cache.snapshot();
    expect(one.requested.milliCpu).toBe(0);
    expect(oneAfter.requested.milliCpu).toBe(1000);
    expect(twoAfter).toBe(two);
  });
});
