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
