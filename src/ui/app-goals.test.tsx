import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './app.js';
import type { Checkpoint, Expectation } from '../scenario/index.js';
import { FixtureSource, fixtureScenario, fixtureSteps } from '../../test/tui/fixtures.js';
import { KEY, during, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

/**
 * Goals in the fixture story: worker-1 turns Ready at step 6 (1.04s); web-1 is created at step 11
 * (41.1s), bound at step 13 and Running at step 15 (42s); worker-1 crashes at step 16 (50s).
 */
const GOALS: Expectation[] = [
  { kind: 'wait', when: 'by', timeMs: 30_000, wait: 'node/worker-1', for: 'condition=Ready' },
  { kind: 'wait', when: 'at', timeMs: 45_000, wait: 'pod/web-1', for: 'jsonpath={.status.phase}=Running' },
  { kind: 'wait', when: 'by', timeMs: 41_050, wait: 'pod/web-1', for: 'create' },
];

async function started(size = { columns: 100, rows: 30 }, checkpoints: Checkpoint[] = [], actionSteps = new Map<number, number>()) {
  const timeline = [{ atMs: 50_000, action: 'crash-node', node: 'worker-1' }] as never;
  const source = new FixtureSource(fixtureSteps(), fixtureScenario(undefined, undefined, checkpoints, GOALS, timeline), true, actionSteps);
  const app = await mount(() => render(<App session={source} size={size} prefetch={false} />));
  await press(app.stdin, KEY.ENTER);
  return { ...app, step: () => stepOnScreen(app.lastFrame()) };
}

afterEach(async () => {
  await during(cleanup);
  vi.useRealTimers();
});

describe('goals in the player', () => {
  it('the intro lists them; the message list’s title counts those met', async () => {
    const source = new FixtureSource(fixtureSteps(), fixtureScenario(undefined, undefined, [], GOALS), true);
    const { lastFrame, stdin } = await mount(() => render(<App session={source} size={{ columns: 100, rows: 30 }} prefetch={false} />));
    expect(lastFrame()).toContain('Goals');
    expect(lastFrame()).toContain('○ by 30s: node/worker-1 condition=Ready');
    expect(lastFrame()).toContain('○ at 45s: pod/web-1 jsonpath={.status.phase}=Running');
    await press(stdin, KEY.ENTER);
    expect(lastFrame()).toContain('─ Messages · goals 0/3 met (o)');
    await press(stdin, ...Array(5).fill(KEY.RIGHT));
    expect(lastFrame()).toContain('─ Messages · goals 1/3 met (o)');
  });

  it('o opens them, ticked as they stand at the step on screen; ←→ still step under it', async () => {
    const { stdin, lastFrame, step } = await started();
    await press(stdin, 'o');
    let frame = lastFrame()!;
    expect(frame).toContain('Goals (0/3 met at this step; o or Esc closes)');
    expect(frame).toMatch(/○ by 30s: node\/worker-1 condition=Ready\s+until 30s/);
    expect(frame).toMatch(/○ at 45s: pod\/web-1 jsonpath=\{\.status\.phase\}=Running\s+checked at 45s/);
    expect(frame).not.toContain('─ Messages');
    await press(stdin, ...Array(5).fill(KEY.RIGHT));
    expect(step()).toBe(6);
    expect(lastFrame()).toMatch(/✓ by 30s: node\/worker-1 condition=Ready\s+held at 00:01\.040/);
    await press(stdin, ...Array(4).fill(KEY.RIGHT));
    // Step 10 is at 41.04s; step 11 (41.1s) is past the create goal's deadline, before the pod exists.
    expect(lastFrame()).toMatch(/○ by 41\.05s: pod\/web-1 create\s+until 41\.05s/);
    await press(stdin, KEY.RIGHT);
    expect(lastFrame()).toMatch(/✗ by 41\.05s: pod\/web-1 create\s+last seen not found/);
    await press(stdin, 'G');
    frame = lastFrame()!;
    expect(frame).toMatch(/✓ at 45s: pod\/web-1 jsonpath=\{\.status\.phase\}=Running\s+held at 00:45\.000/);
    expect(frame).toContain('Goals (2/3 met, 1 missed at this step; o or Esc closes)');
    // Stepping back shows them as they were.
    await press(stdin, 'g');
    expect(lastFrame()).toContain('Goals (0/3 met at this step');
    await press(stdin, 'o');
    expect(lastFrame()).toContain('─ Messages · goals 0/3 met (o)');
  });

  it('at 80×24 each goal stays readable and the hint line says how to close', async () => {
    const { stdin, lastFrame } = await started({ columns: 80, rows: 24 });
    await press(stdin, 'G', 'o');
    const lines = lastFrame()!.split('\n');
    expect(lines.every((line) => [...line].length <= 80)).toBe(true);
    expect(lines).toContain('✓ by 30s: node/worker-1 condition=Ready               held at 00:01.040');
    expect(lines.at(-1)).toContain('o/Esc close');
  });

  it('a scenario without goals says so on o, and shows no count', async () => {
    const source = new FixtureSource(fixtureSteps(), fixtureScenario(), true);
    const { stdin, lastFrame } = await mount(() => render(<App session={source} size={{ columns: 100, rows: 30 }} prefetch={false} />));
    await press(stdin, KEY.ENTER, 'o');
    expect(lastFrame()).toContain('this scenario has no goals (no expect: entries)');
    expect(lastFrame()).not.toContain('goals 0');
  });
});

describe('checkpoints anchored to a moment or a timeline action', () => {
  const atTime: Checkpoint = { after: { atMs: 41_150 }, question: 'What did the scheduler just do?', choices: ['bind', 'evict'], answer: 1 };
  const afterCrash: Checkpoint = { after: { action: 0 }, question: 'Who notices the crash first?', choices: ['kubelet', 'node lifecycle controller'], answer: 2 };

  it('asks a timed one at the first step at or after its time, titled with the time', async () => {
    const { stdin, lastFrame, step } = await started(undefined, [atTime]);
    await press(stdin, ...Array(10).fill(KEY.RIGHT));
    expect(lastFrame()).not.toContain('Checkpoint');
    await press(stdin, KEY.RIGHT);
    expect(step()).toBe(12);
    expect(lastFrame()).toContain('Checkpoint 1 of 1 (at 41.15s)');
  });

  it('asks one after a timeline action right after its step, naming the action; also while playing, also from the goals list', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { stdin, lastFrame, step } = await started(undefined, [afterCrash], new Map([[0, 16]]));
    await press(stdin, 'o', ...Array(8).fill('+'), KEY.SPACE);
    await during(() => vi.advanceTimersByTime(1000));
    expect(step()).toBe(16);
    expect(lastFrame()).toContain('Checkpoint 1 of 1 (after crash-node worker-1 at 50s)');
    expect(lastFrame()).toContain('Who notices the crash first?');
  });
});
