import { act } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { render as inkRender } from 'ink';
import { fileURLToPath } from 'node:url';
import { App } from './app.js';
import type { StepSource } from '../view/step-source.js';
import { Session } from '../cluster/session.js';
import { loadScenarioFile, type Scenario } from '../scenario/index.js';
import { KEY, during, fakeTerminal, flush, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

/**
 * Keys that need steps not simulated yet do not hold the terminal: with `sliceMs` 0 each turn of
 * the event loop simulates one small chunk, so a jump to the end of even first-node takes many
 * turns, and what the screen shows in between can be checked.
 */
let scenario: Scenario;
beforeAll(() => {
  const loaded = loadScenarioFile(fileURLToPath(new URL('../../scenarios/first-node.yaml', import.meta.url)));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  // Without its checkpoints, which would stop the jump to ask their questions.
  scenario = { ...loaded.scenario, spec: { ...loaded.scenario.spec, checkpoints: [] } };
});
afterEach(() => during(cleanup));

/** Six hours of first-node: about 24,000 steps, mostly heartbeats. */
const HOURS = 6 * 3_600_000;
const simulating = (frame: string | undefined) => (frame ?? '').includes('simulating…');

/**
 * The session, with each call for more steps made to cost `ms` of wall time, as it does in a
 * cluster of hundreds of nodes: first-node alone simulates too fast to watch it happen.
 */
function heavy(session: Session, ms: number): StepSource {
  return {
    scenario: session.scenario,
    get steps() {
      return session.steps;
    },
    get finished() {
      return session.finished;
    },
    get nowMs() {
      return session.nowMs;
    },
    ensure(count) {
      const until = performance.now() + ms;
      while (performance.now() < until);
      session.ensure(count);
    },
  };
}

describe('G before the scenario is simulated', () => {
  it('shows how far the simulation has got, lets another key take over, and lands on the last step', async () => {
    const session = new Session(scenario, { untilMs: HOURS });
    const { stdin, lastFrame } = await mount(() => render(<App session={heavy(session, 2)} size={{ columns: 100, rows: 30 }} prefetch={false} sliceMs={0} />));
    await press(stdin, KEY.ENTER, KEY.RIGHT, 'G');
    expect(lastFrame()).toMatch(/simulating… t=[\dhms]+ · [\d,]+ steps · for the last step · q quit/);
    expect(stepOnScreen(lastFrame())).toBe(2);
    expect(session.finished).toBe(false);
    // A later frame shows the simulation further on.
    const steps = () => Number(/([\d,]+) steps/.exec(lastFrame() ?? '')![1].replace(/,/g, ''));
    const first = steps();
    // The progress line is redrawn every 100 ms while the simulation runs on between turns.
    await act(() => new Promise((resolve) => setTimeout(resolve, 250)));
    expect(simulating(lastFrame())).toBe(true);
    expect(steps()).toBeGreaterThan(first);
    // g (first step) replaces the pending jump at once.
    await press(stdin, 'g');
    expect(simulating(lastFrame())).toBe(false);
    expect(stepOnScreen(lastFrame())).toBe(1);
    await press(stdin, 'G');
    for (let i = 0; i < 20_000 && simulating(lastFrame()); i++) await flush();
    expect(session.finished).toBe(true);
    expect(stepOnScreen(lastFrame())).toBe(session.steps.length);
    expect(lastFrame()).toContain(`step ${session.steps.length}/${session.steps.length} `);
  });

  it('Ctrl-C while it simulates ends with 130 at once, raw mode off, the simulation left where it was', async () => {
    const session = new Session(scenario, { untilMs: HOURS });
    const terminal = fakeTerminal(100, 30);
    const instance = await mount(() =>
      inkRender(<App session={session} prefetch={false} sliceMs={0} />, {
        stdout: terminal.stdout as unknown as NodeJS.WriteStream,
        stderr: terminal.stderr as unknown as NodeJS.WriteStream,
        stdin: terminal.stdin as unknown as NodeJS.ReadStream,
        debug: true,
        exitOnCtrlC: false,
        patchConsole: false,
      }),
    );
    const exited = instance.waitUntilExit();
    await press(terminal.stdin, KEY.ENTER, 'G');
    expect(simulating(terminal.stdout.lastFrame())).toBe(true);
    await press(terminal.stdin, KEY.CTRL_C);
    await expect(exited).resolves.toBe(130);
    expect(terminal.stdin.isRaw).toBe(false);
    const left = session.steps.length;
    expect(session.finished).toBe(false);
    await flush();
    expect(session.steps.length).toBe(left);
  });
});
