import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { ServiceTable, type ServiceEntry } from './service-table.js';

const entry = (key: string, seq: number, version: number): ServiceEntry => ({
  key, seq, service: { metadata: { name: key, resourceVersion: String(version) } } as KubeObject, slices: [],
  ports: { ports: [], keys: [], endpoints: version }, fragments: new Map(), lines: 0,
});

describe('ServiceTable (each sync\'s Services, kept without copying)', () => {
  it('reads every version as it was, in cache order, however its changes and full copies interleave', () => {
    const op = fc.record({ key: fc.integer({ min: 0, max: 7 }), remove: fc.boolean(), copy: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), sync: fc.boolean() });
    fc.assert(fc.property(fc.array(op, { maxLength: 80, size: 'max' }), (ops) => {
      const live = new Map<string, ServiceEntry>();
      let seq = 0;
      let table = ServiceTable.of(live);
      let delta = new Map<string, ServiceEntry | null>();
      const versions: [ServiceTable, ServiceEntry[]][] = [[table, []]];
      ops.forEach(({ key, remove, copy, sync }, version) => {
        const name = `default/svc-${key}`;
        if (remove) {
          if (live.delete(name)) delta.set(name, null);
        } else {
          // A Service that is new (or created again) goes last; an update keeps its place.
          const e = entry(name, live.get(name)?.seq ?? seq++, version);
          live.set(name, e);
          delta.set(name, e);
        }
        if (!sync) return;
        table = copy ? ServiceTable.of(live) : table.then(delta);
        delta = new Map();
        versions.push([table, [...live.values()].sort((a, b) => a.seq - b.seq)]);
      });
      for (const [t, expected] of versions) expect(t.entries()).toEqual(expected);
    }), { numRuns: 200 });
  });

  it('counts the changes since its last full copy', () => {
    const a = entry('default/a', 0, 1);
    const t = ServiceTable.of(new Map([[a.key, a]]));
    expect(t.changes).toBe(0);
    const u = t.then(new Map([[a.key, entry(a.key, 0, 2)], ['default/b', entry('default/b', 1, 2)]]));
    expect(u.changes).toBe(2);
    expect(u.then(new Map())).toBe(u);
    expect(u.then(new Map([['default/b', null]])).changes).toBe(3);
  });
});
