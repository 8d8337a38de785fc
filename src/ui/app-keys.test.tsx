import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './app.js';
import { FixtureSource } from '../../test/tui/fixtures.js';
import { KEY, during, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

async function started(size = { columns: 100, rows: 30 }) {
  const source = new FixtureSource(undefined, undefined, true);
  const app = await mount(() => render(<App session={source} size={size} prefetch={false} />));
  await press(app.stdin, KEY.ENTER);
  return { ...app, source, step: () => stepOnScreen(app.lastFrame()) };
}

afterEach(async () => {
  await during(cleanup);
  vi.useRealTimers();
});

describe('intro screen', () => {
  it('shows the title, description, the four stages and the nodes; Enter starts at step 1', async () => {
    const { lastFrame, stdin } = await mount(() => render(<App session={new FixtureSource()} size={{ columns: 80, rows: 24 }} prefetch={false} />));
    const intro = lastFrame()!;
    for (const text of ['A fixture cluster', 'Two workers join; one of them later loses power.', 'Authentication', 'Registration', 'Synchronization', 'Networking', 'worker-1', 'worker-2', 'Enter start']) {
      expect(intro).toContain(text);
    }
    await press(stdin, KEY.ENTER);
    expect(stepOnScreen(lastFrame())).toBe(1);
  });
});

describe('stepping', () => {
  it('→ and l go forward one step; ← and h go back', async () => {
    const { stdin, step } = await started();
    await press(stdin, KEY.RIGHT);
    expect(step()).toBe(2);
    await press(stdin, 'l', 'l');
    expect(step()).toBe(4);
    await press(stdin, KEY.LEFT);
    expect(step()).toBe(3);
    await press(stdin, 'h');
    expect(step()).toBe(2);
  });

  it('← shows exactly the screen that was on show at that step', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, KEY.RIGHT, KEY.RIGHT, KEY.RIGHT, KEY.RIGHT, KEY.RIGHT);
    const atSix = lastFrame();
    expect(atSix).toContain('True'); // worker-1 became Ready at step 6
    await press(stdin, KEY.RIGHT);
    await press(stdin, KEY.LEFT);
    expect(lastFrame()).toBe(atSix);
    await press(stdin, KEY.LEFT);
    expect(lastFrame()).not.toContain('10.244.0.0/24');
  });

  it('says so at either end instead of moving', async () => {
    const { stdin, step, lastFrame } = await started();
    await press(stdin, KEY.LEFT);
    expect(step()).toBe(1);
    expect(lastFrame()).toContain('this is the first step');
    await press(stdin, 'G', KEY.RIGHT);
    expect(step()).toBe(19);
    expect(lastFrame()).toContain('this is the last step');
  });

  it('n skips heartbeats', async () => {
    const { stdin, step } = await started();
    await press(stdin, '6');
    await press(stdin, 'g', ...Array(5).fill(KEY.RIGHT));
    expect(step()).toBe(6);
    await press(stdin, 'n');
    expect(step()).toBe(11);
  });

  it('1–4 jump to the first step of a stage of the node the stage bar follows, and say when it has none', async () => {
    const { stdin, step, lastFrame } = await started();
    await press(stdin, '3');
    // worker-1's first Synchronization step: the scheduler binding a pod to it (step 11, the
    // ReplicaSet's pod creation, is about no node).
    expect(step()).toBe(12);
    expect(lastFrame()).toContain('Step 12 Synchronization');
    await press(stdin, '2');
    expect(step()).toBe(4);
    await press(stdin, '1');
    expect(step()).toBe(2);
    await press(stdin, '4');
    expect(step()).toBe(2);
    expect(lastFrame()).toContain('no Networking step for worker-1 in this scenario');
    await press(stdin, KEY.TAB, '2');
    expect(step()).toBe(18);
    expect(lastFrame()).toContain('Step 18 Registration');
    await press(stdin, '3');
    expect(step()).toBe(18);
    expect(lastFrame()).toContain('no Synchronization step for worker-2 in this scenario');
  });

  it('g and G go to the first and the last step', async () => {
    const { stdin, step } = await started();
    await press(stdin, 'G');
    expect(step()).toBe(19);
    await press(stdin, 'g');
    expect(step()).toBe(1);
  });

  it('space plays and pauses; + and - change the speed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { stdin, step, lastFrame } = await started();
    await press(stdin, '+');
    expect(lastFrame()).toContain('5/s');
    await press(stdin, '-', '-');
    expect(lastFrame()).toContain('1/s');
    await press(stdin, '+', KEY.SPACE);
    expect(lastFrame()).toContain('▶ playing');
    await during(() => vi.advanceTimersByTime(1000)); // 2 steps a second
    expect(step()).toBe(3);
    await press(stdin, KEY.SPACE);
    expect(lastFrame()).toContain('paused');
    await during(() => vi.advanceTimersByTime(5000));
    expect(step()).toBe(3);
  });

  it('playing stops by itself at the last step', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { stdin, step, lastFrame } = await started();
    await press(stdin, ...Array(8).fill('+'), KEY.SPACE);
    await during(() => vi.advanceTimersByTime(1000));
    expect(step()).toBe(19);
    expect(lastFrame()).toContain('paused');
    expect(lastFrame()).toContain('reached the last step');
  });
});

describe('the message list', () => {
  it('↑/↓ and k/j move the selection, and the explanation follows it', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, '2', KEY.RIGHT);
    await press(stdin, KEY.UP);
    expect(lastFrame()).toContain('Selected step 4');
    expect(lastFrame()).toMatch(/› +4 /);
    await press(stdin, 'k', 'k');
    expect(lastFrame()).toContain('Selected step 2');
    await press(stdin, 'j');
    expect(lastFrame()).toContain('Selected step 3');
    await press(stdin, KEY.DOWN, KEY.DOWN);
    expect(lastFrame()).toContain('Step 5 Registration');
    expect(lastFrame()).not.toContain('Selected step');
  });

  it('folds heartbeats into one row; Enter on it unfolds it, e toggles all', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, '3', KEY.LEFT);
    expect(lastFrame()).toContain('4 heartbeats  steps 7–10');
    expect(lastFrame()).not.toMatch(/ 8 00:21/);
    await press(stdin, KEY.UP, KEY.ENTER);
    expect(lastFrame()).not.toContain('4 heartbeats');
    expect(lastFrame()).toMatch(/ 8 00:21\.040/);
    await press(stdin, 'e');
    expect(lastFrame()).toMatch(/ 8 00:21\.040/);
    await press(stdin, 'e');
    expect(lastFrame()).toContain('4 heartbeats');
  });

  it('shows a failure as a banner at its step, and the cluster panel at that moment', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, 'G', KEY.LEFT, KEY.LEFT, KEY.LEFT);
    expect(lastFrame()).toContain('✖ worker-1 loses power');
    // Ready is what the API says (still True: nobody has noticed); FAULT says what happened.
    expect(lastFrame()).toMatch(/worker-1 +True +\d+s +down /);
    await press(stdin, KEY.RIGHT);
    expect(lastFrame()).toContain('✖ kube-apiserver stops');
    expect(lastFrame()).toContain('○ kube-apiserver stopped');
    await press(stdin, KEY.RIGHT, KEY.RIGHT);
    expect(lastFrame()).toContain('✔ kube-apiserver is back');
    expect(lastFrame()).toContain('● kube-apiserver');
    expect(lastFrame()).not.toContain('kube-apiserver stopped');
  });

  it('Tab switches the node the stage bar follows', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, '3');
    expect(lastFrame()).toContain('worker-1 (1/2)  ✓ Authentication');
    await press(stdin, KEY.TAB);
    expect(lastFrame()).toContain('worker-2 (2/2)  ○ Authentication');
    await press(stdin, KEY.TAB);
    expect(lastFrame()).toContain('worker-1 (1/2)');
  });
});
