import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './app.js';
import type { Step } from '../sim/trace.js';
import { FixtureSource, fixtureSteps } from '../../test/tui/fixtures.js';
import { KEY, during, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

afterEach(() => during(cleanup));

/**
 * The fixture's first ten steps (four good Lease renewals at 7-10), then renewals that fail as
 * they do when kube-apiserver is down or the token is revoked, then two good ones again.
 */
function steps(): Step[] {
  const base = fixtureSteps().slice(0, 10);
  const renewal = base[9];
  const next = (n: number, t: number, extra: Partial<Step>): Step => ({ ...renewal, step: n, t, explanation: `Explanation of step ${n}.`, ...extra });
  const refused = { status: 0, response: { error: 'dial tcp 192.168.0.2:6443: connect: connection refused' }, before: undefined, after: undefined, key: undefined };
  return [
    ...base,
    next(11, 51_040, refused),
    next(12, 61_040, { ...refused, status: 401, response: { kind: 'Status', code: 401 } }),
    next(13, 71_040, { ...refused, status: 0, response: { error: 'dial tcp 192.168.0.2:6443: i/o timeout' } }),
    next(14, 81_040, {}),
    next(15, 91_040, {}),
  ];
}

async function started() {
  const app = await mount(() => render(<App session={new FixtureSource(steps(), undefined, true)} size={{ columns: 100, rows: 30 }} prefetch={false} />));
  await press(app.stdin, KEY.ENTER);
  return app;
}

describe('failing repeats', () => {
  it('are never folded as heartbeats: each failure gets its own row, saying refused, 401 or timeout', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, 'G');
    const frame = lastFrame()!;
    expect(frame).toContain('4 heartbeats  steps 7–10');
    expect(frame).toMatch(/ 11 00:51\.040 kubelet\/worker-1 → kube-apiserver +PUT .* refused/);
    expect(frame).toMatch(/ 12 01:01\.040 .* 401/);
    expect(frame).toMatch(/ 13 01:11\.040 .* timeout/);
    expect(frame).toContain('2 heartbeats  steps 14–15');
    expect(frame).not.toContain('no response');
  });

  it('n stops at each failure instead of skipping it with the heartbeats', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, 'g', ...Array(5).fill(KEY.RIGHT));
    expect(stepOnScreen(lastFrame())).toBe(6);
    const stops: number[] = [];
    for (let i = 0; i < 3; i++) {
      await press(stdin, 'n');
      stops.push(stepOnScreen(lastFrame()));
    }
    expect(stops).toEqual([11, 12, 13]);
    await press(stdin, 'n');
    expect(stepOnScreen(lastFrame())).toBe(13);
    expect(lastFrame()).toContain('no later step that is not a heartbeat');
  });
});
