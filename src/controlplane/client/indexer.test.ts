import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { CONTROLLER_INDEX, Indexer, NODE_NAME_INDEX, controllerIndexFunc, controllerIndexValues, nodeNameIndexFunc } from './indexer.js';

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
const OWNERS = ['rs-1', 'rs-2', undefined];
const NODES = ['worker-1', 'worker-2', undefined];

function pod(name: string, owner: string | undefined, nodeName: string | undefined): KubeObject {
  const ownerReferences = owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] : undefined;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ownerReferences }, spec: { nodeName } };
}

type Op = { set: true; name: string; owner?: string; node?: string } | { set: false; name: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ set: fc.constant(true as const), name: fc.constantFrom(...NAMES), owner: fc.constantFrom(...OWNERS), node: fc.constantFrom(...NODES) }),
  fc.record({ set: fc.constant(false as const), name: fc.constantFrom(...NAMES) }),
);

describe('Indexer', () => {
  it('answers every index query with exactly what filtering the whole cache would, in the same order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.boolean(), (ops, indexFirst) => {
        const cache = new Indexer<KubeObject>();
        const addIndexes = (): void => {
          cache.addIndexer(CONTROLLER_INDEX, controllerIndexFunc);
          cache.addIndexer(NODE_NAME_INDEX, nodeNameIndexFunc);
        };
        if (indexFirst) addIndexes();
        ops.forEach((op, i) => {
          if (op.set) cache.set(`default/${op.name}`, pod(op.name, op.owner, op.node));
          else cache.delete(`default/${op.name}`);
          if (!indexFirst && i === Math.floor(ops.length / 2)) addIndexes();
        });
        if (!indexFirst && ops.length === 0) addIndexes();
        const all = [...cache.values()];
        for (const owner of ['rs-1', 'rs-2']) {
          const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: owner, namespace: 'default', uid: owner } } as KubeObject;
          const expected = all.filter((p) => [owner, undefined].includes(p.metadata.ownerReferences?.[0]?.uid));
          expect(cache.byIndexes(CONTROLLER_INDEX, controllerIndexValues(rs))).toEqual(expected);
          expect(cache.byIndex(CONTROLLER_INDEX, `default/${owner}`)).toEqual(all.filter((p) => p.metadata.ownerReferences?.[0]?.uid === owner));
        }
        for (const node of ['worker-1', 'worker-2']) {
          expect(cache.byIndex(NODE_NAME_INDEX, node)).toEqual(all.filter((p) => (p.spec as { nodeName?: string }).nodeName === node));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is the Map it replaces: get, has, size and iteration order are unchanged', () => {
    const cache = new Indexer<KubeObject>();
    cache.set('default/a', pod('a', 'rs-1', undefined));
    cache.set('default/b', pod('b', undefined, undefined));
    cache.set('default/a', pod('a', 'rs-2', 'worker-1'));
    expect([...cache.keys()]).toEqual(['default/a', 'default/b']);
    expect(cache.size).toBe(2);
    expect(cache.delete('default/a')).toBe(true);
    expect(cache.has('default/a')).toBe(false);
  });

  it('refuses a query on an index nobody added', () => {
    expect(() => new Indexer<KubeObject>().byIndex('nope', 'x')).toThrow('Index with name nope does not exist');
  });
});
