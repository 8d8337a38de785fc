import { describe, expect, it } from 'vitest';
import { kernelTables } from '../src/node/network/index.js';
import type { Step } from '../src/sim/trace.js';
import { builtin, play } from './helpers.js';

type Obj = Record<string, any>;

/** What each kube-proxy sync records: the rules and their diff when they change, nothing else when they do not. */
describe('kube-proxy sync steps', () => {
  const cluster = play(builtin('service-networking'));
  const syncs = (node: string): Step[] => cluster.sim.recorder.steps.filter((s) => s.from === `kube-proxy/${node}` && s.to === `kernel/${node}`);

  it('the first sync programs the whole table: every line added, the diff is the table', () => {
    const first = syncs('worker-1')[0].detail as Obj;
    const lines = (first.rules as string).trimEnd().split('\n');
    expect(first.added).toBe(lines.length);
    expect(first.removed).toBe(0);
    expect(first.diff).toBe(lines.map((l) => `+ ${l}\n`).join(''));
  });

  it('an unchanged resync carries no rule text; the last change carries the table now in the kernel', () => {
    const steps = syncs('worker-2');
    const unchanged = steps.filter((s) => s.summary.includes('rules unchanged'));
    expect(unchanged.length).toBeGreaterThan(3);
    for (const s of unchanged) {
      expect(s.heartbeat).toBe(true);
      expect(s.detail).toEqual({ mode: 'iptables', periodic: expect.any(Boolean), unchanged: true, added: 0, removed: 0 });
    }
    const lastChange = steps.filter((s) => !s.summary.includes('rules unchanged')).pop()!;
    expect((lastChange.detail as Obj).rules).toBe(kernelTables(cluster.sim).get('worker-2')!.text);
    expect(lastChange.summary).toMatch(/programs iptables: \+\d+ -\d+ lines/);
  });
});

/** Partial syncs: each later sync's diff is exactly the whole-table diff, and nodes share one render per Service port. */
describe('kube-proxy partial syncs', () => {
  const cluster = play(builtin('service-networking'));
  const syncs = cluster.sim.recorder.steps.filter((s) => s.from === 'kube-proxy/worker-1' && s.to === 'kernel/worker-1' && !s.summary.includes('rules unchanged'));

  it('every change after the first is the diff of the two iptables-save texts', async () => {
    const { diffRules } = await import('../src/node/proxy/index.js');
    expect(syncs.length).toBeGreaterThan(1);
    for (let i = 1; i < syncs.length; i++) {
      const [was, is] = [syncs[i - 1].detail as Obj, syncs[i].detail as Obj];
      const full = diffRules(was.rules as string, is.rules as string);
      expect({ added: is.added, removed: is.removed }).toEqual({ added: full.added, removed: full.removed });
      expect((is.diff as string).split('\n').sort()).toEqual(full.text.split('\n').sort());
    }
  });

  it('two nodes with the same Services and EndpointSlices hold the same rendered fragment', () => {
    const [a, b] = ['worker-1', 'worker-2'].map((n) => kernelTables(cluster.sim).get(n)!.fragments!);
    const shared = [...a].filter(([key, f]) => b.get(key) === f);
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.length).toBe(a.size);
  });
});
