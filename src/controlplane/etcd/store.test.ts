import { describe, expect, it } from 'vitest';
import { CompactedError, Store, type StoreEvent } from './store.js';

describe('Store', () => {
  it('gives every write the next global revision, with per-key create/mod revision and version', () => {
    const store = new Store<string>();
    const a = store.create('/registry/minions/worker-1', 'v1');
    const b = store.create('/registry/pods/default/web', 'p1');
    const c = store.update('/registry/minions/worker-1', 'v2');
    expect(a.ok && a.kv.modRevision).toBe(2);
    expect(b.ok && b.kv.modRevision).toBe(3);
    expect(c.ok && c.kv).toMatchObject({ createRevision: 2, modRevision: 4, version: 2 });
    expect(store.revision).toBe(4);
  });

  it('refuses a compare-and-swap against a stale mod revision', () => {
    const store = new Store<string>();
    store.create('/registry/leases/kube-node-lease/worker-1', 'a');
    const first = store.update('/registry/leases/kube-node-lease/worker-1', 'b', 2);
    const stale = store.update('/registry/leases/kube-node-lease/worker-1', 'c', 2);
    expect(first.ok).toBe(true);
    expect(stale).toMatchObject({ ok: false, reason: 'conflict' });
    expect(store.get('/registry/leases/kube-node-lease/worker-1')?.value).toBe('b');
  });

  it('ranges a prefix in key order', () => {
    const store = new Store<string>();
    store.create('/registry/pods/default/b', 'b');
    store.create('/registry/pods/default/a', 'a');
    store.create('/registry/minions/n', 'n');
    expect(store.range('/registry/pods/').map((kv) => kv.key)).toEqual(['/registry/pods/default/a', '/registry/pods/default/b']);
  });

  it('delivers every change after revision R exactly once, in order, history first then live', () => {
    const store = new Store<number>();
    for (let i = 0; i < 5; i++) store.create(`/registry/pods/default/p${i}`, i);
    const r = store.revision - 2; // p3 and p4 come after R
    const seen: StoreEvent<number>[] = [];
    store.watch('/registry/pods/', r, (e) => seen.push(e));
    store.update('/registry/pods/default/p0', 10);
    store.delete('/registry/pods/default/p1');
    store.create('/registry/minions/other', 0); // outside the prefix
    expect(seen.map((e) => [e.type, e.key, e.revision])).toEqual([
      ['PUT', '/registry/pods/default/p3', 5],
      ['PUT', '/registry/pods/default/p4', 6],
      ['PUT', '/registry/pods/default/p0', 7],
      ['DELETE', '/registry/pods/default/p1', 8],
    ]);
    const revisions = seen.map((e) => e.revision);
    expect(new Set(revisions).size).toBe(revisions.length);
  });

  it('answers a watch from a compacted revision with the too-old error', () => {
    const store = new Store<number>();
    for (let i = 0; i < 10; i++) store.create(`/registry/pods/default/p${i}`, i);
    store.compact(8);
    expect(() => store.watch('/registry/pods/', 3, () => {})).toThrow(CompactedError);
    expect(() => store.watch('/registry/pods/', 3, () => {})).toThrow('too old resource version: 3 (9)');
    const seen: number[] = [];
    store.watch('/registry/pods/', 8, (e) => seen.push(e.revision));
    expect(seen).toEqual([9, 10, 11]);
  });

  it('fails writes while unavailable (quorum lost) and keeps reads', () => {
    const store = new Store<string>();
    store.create('/k', 'v');
    store.available = false;
    expect(store.update('/k', 'w')).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(store.get('/k')?.value).toBe('v');
  });
});
