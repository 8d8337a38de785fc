import { describe, expect, it } from 'vitest';
import { builtin, play } from './helpers.js';
import { formatStepText } from '../src/cli/output/text.js';

/**
 * A routine repeat that fails (a Lease renewal refused while kube-apiserver is down, a 500 while
 * etcd has no quorum, a timeout across a partition) is news: the transcript never marks it as a
 * heartbeat, and a refused connection reads as refused, not as a request that got no answer.
 */
describe('failing repeats', () => {
  for (const name of ['apiserver-restart', 'etcd-quorum-loss', 'node-goes-dark']) {
    it(`${name}: no failed request is marked as a heartbeat, while successful renewals still are`, () => {
      const steps = play(builtin(name)).sim.recorder.steps;
      const failed = steps.filter((s) => s.kind === 'request' && (s.status === 0 || (s.status ?? 0) >= 400));
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.filter((s) => s.heartbeat)).toEqual([]);
      expect(steps.some((s) => s.heartbeat && s.status === 200 && s.path?.includes('/leases/'))).toBe(true);
    });
  }

  it('apiserver-restart: a refused connection reads as refused in the summary and the transcript', () => {
    const steps = play(builtin('apiserver-restart')).sim.recorder.steps;
    const refused = steps.find((s) => s.kind === 'request' && s.status === 0)!;
    expect(refused.summary).toMatch(/ → connection refused$/);
    expect(formatStepText(refused, true)).toMatch(/ refused\n$/);
    expect(formatStepText(refused, true)).not.toContain('no response');
  });

  it('node-goes-dark: a request across the partition reads as a timeout', () => {
    const steps = play(builtin('node-goes-dark')).sim.recorder.steps;
    const timedOut = steps.find((s) => s.kind === 'request' && s.status === 0)!;
    expect(timedOut.summary).toMatch(/ → no response \(i\/o timeout\)$/);
    expect(formatStepText(timedOut, true)).toMatch(/ timeout\n$/);
  });
});
