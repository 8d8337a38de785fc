import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './app.js';
import type { Step } from '../sim/trace.js';
import { FixtureSource, fixtureScenario, manySteps } from '../../test/tui/fixtures.js';
import { KEY, during, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

afterEach(() => during(cleanup));

/** A finished 10,000-step source that counts how many steps are read. */
function countingSource() {
  const source = new FixtureSource(manySteps(10_000), fixtureScenario(['worker-1']), true);
  const counter = { reads: 0 };
  const steps = new Proxy(source.steps as Step[], {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) counter.reads++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { source: { scenario: source.scenario, steps, finished: true, ensure: () => undefined }, counter };
}

describe('a 10,000-step scenario', () => {
  it('reads a bounded number of steps per keypress, wherever it is in the history', async () => {
    const { source, counter } = countingSource();
    const { stdin, lastFrame } = await mount(() => render(<App session={source} size={{ columns: 100, rows: 30 }} prefetch={false} />));
    await press(stdin, KEY.ENTER, 'G', KEY.LEFT); // the first visit to the end builds the snapshots once
    const perKey: number[] = [];
    for (const key of [KEY.LEFT, KEY.LEFT, KEY.RIGHT, '2', KEY.RIGHT, 'G', KEY.LEFT, KEY.UP, KEY.UP, KEY.DOWN]) {
      counter.reads = 0;
      await press(stdin, key);
      perKey.push(counter.reads);
    }
    expect(stepOnScreen(lastFrame())).toBe(9_999);
    // A snapshot interval (256) plus the rows on screen, far from the 10,000 of a rescan.
    expect(Math.max(...perKey)).toBeLessThan(600);
  });

  it('answers a keypress well within a frame budget on this machine', async () => {
    const { source } = countingSource();
    const { stdin } = await mount(() => render(<App session={source} size={{ columns: 100, rows: 30 }} prefetch={false} />));
    await press(stdin, KEY.ENTER, 'G');
    const times: number[] = [];
    for (const key of [...Array(15).fill(KEY.LEFT), '2', ...Array(15).fill(KEY.RIGHT)]) {
      const started = performance.now();
      await press(stdin, key);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    // Includes React's development build and the test's own flush; the bound catches rescans
    // (hundreds of ms at this size), not ordinary noise on a busy machine.
    expect(times[times.length >> 1]).toBeLessThan(100);
  });
});
