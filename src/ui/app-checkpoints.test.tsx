import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from './app.js';
import type { Checkpoint } from '../scenario/index.js';
import { FixtureSource, fixtureScenario, fixtureSteps } from '../../test/tui/fixtures.js';
import { KEY, during, mount, press, stepOnScreen } from '../../test/tui/ink-helpers.js';

/** Two questions: one after the Authentication stage (its last step is 3), one after step 12. */
const CHECKPOINTS: Checkpoint[] = [
  {
    after: { stage: 'authentication' },
    question: 'Who approves the kubelet CSR?',
    choices: ['kube-scheduler', 'csrapproving', 'the kubelet itself'],
    answer: 2,
    explanation: 'The csrapproving controller checks a SubjectAccessReview for the nodeclient permission.',
  },
  {
    after: { step: 12 },
    question: 'Who binds a pod to a node?',
    choices: ['kube-scheduler', 'kubelet'],
    answer: 1,
    explanation: 'The scheduler writes the binding subresource.',
  },
];

async function started(onScore?: (score: string) => void) {
  const source = new FixtureSource(fixtureSteps(), fixtureScenario(undefined, undefined, CHECKPOINTS), true);
  const app = await mount(() => render(<App session={source} size={{ columns: 100, rows: 30 }} prefetch={false} onScore={onScore} />));
  await press(app.stdin, KEY.ENTER);
  return { ...app, step: () => stepOnScreen(app.lastFrame()) };
}

afterEach(async () => {
  await during(cleanup);
  vi.useRealTimers();
});

describe('checkpoints in the player', () => {
  it('asks after the last step of its stage, and holds the step until answered', async () => {
    const { stdin, lastFrame, step } = await started();
    await press(stdin, KEY.RIGHT);
    expect(lastFrame()).not.toContain('Checkpoint');
    await press(stdin, KEY.RIGHT);
    const frame = lastFrame()!;
    expect(step()).toBe(3);
    for (const text of ['Checkpoint 1 of 2', '(after Authentication)', 'Who approves the kubelet CSR?', '1. kube-scheduler', '2. csrapproving', '3. the kubelet itself', 'Press 1 to 3 to answer, Esc to skip.', '0/2 right']) {
      expect(frame).toContain(text);
    }
    expect(frame).not.toContain('SubjectAccessReview');
    await press(stdin, KEY.RIGHT, KEY.ENTER);
    expect(step()).toBe(3);
    expect(lastFrame()).toContain('press 1 to 3 to answer, or Esc to skip');
  });

  it('a wrong answer shows the right one and the explanation; Enter goes on and it is not asked again', async () => {
    const { stdin, lastFrame, step } = await started();
    await press(stdin, KEY.RIGHT, KEY.RIGHT, '1');
    const frame = lastFrame()!;
    expect(frame).toContain('✗ 1. kube-scheduler');
    expect(frame).toContain('✓ 2. csrapproving');
    expect(frame).toContain('✗ Not quite: the answer is 2.');
    expect(frame).toContain('The csrapproving controller checks a SubjectAccessReview');
    await press(stdin, '2');
    expect(lastFrame()).toContain('✗ Not quite'); // one answer only
    await press(stdin, KEY.ENTER);
    expect(lastFrame()).not.toContain('Checkpoint 1 of 2');
    await press(stdin, KEY.LEFT, KEY.RIGHT, KEY.RIGHT);
    expect(step()).toBe(4);
    expect(lastFrame()).not.toContain('Checkpoint');
  });

  it('playing stops at a checkpoint step; a right answer counts in the header', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { stdin, lastFrame, step } = await started();
    await press(stdin, KEY.RIGHT, KEY.RIGHT, '2', KEY.ENTER);
    expect(lastFrame()).toContain('1/2 right');
    await press(stdin, ...Array(8).fill('+'), KEY.SPACE); // 1000 steps a second
    await during(() => vi.advanceTimersByTime(1000));
    expect(step()).toBe(12);
    expect(lastFrame()).toContain('Checkpoint 2 of 2');
    expect(lastFrame()).toContain('(after step 12)');
    expect(lastFrame()).toContain('‖ paused');
  });

  it('numbers past the choices are refused', async () => {
    const { stdin, lastFrame } = await started();
    await press(stdin, KEY.RIGHT, KEY.RIGHT, '7');
    expect(lastFrame()).toContain('choose 1 to 3');
    expect(lastFrame()).toContain('Press 1 to 3 to answer');
  });

  it('G asks every question passed, in order; the score shows at the end and is handed on', async () => {
    const scores: string[] = [];
    const { stdin, lastFrame, step } = await started((s) => scores.push(s));
    await press(stdin, 'G');
    expect(lastFrame()).toContain('Checkpoint 1 of 2');
    await press(stdin, KEY.ESC);
    expect(lastFrame()).toContain('Checkpoint 2 of 2');
    await press(stdin, '1');
    expect(lastFrame()).toContain('✓ Right.');
    await press(stdin, KEY.ENTER);
    expect(step()).toBe(19);
    expect(lastFrame()).toContain('Score: 1 of 2 checkpoints right, 1 skipped');
    await press(stdin, KEY.RIGHT);
    expect(lastFrame()).toContain('this is the last step · 1 of 2 checkpoints right, 1 skipped');
    expect(scores.at(-1)).toBe('1 of 2 checkpoints right, 1 skipped');
  });

  it('a scenario without checkpoints shows no score', async () => {
    const source = new FixtureSource(fixtureSteps(), fixtureScenario(), true);
    const { stdin, lastFrame } = await mount(() => render(<App session={source} size={{ columns: 100, rows: 30 }} prefetch={false} />));
    await press(stdin, KEY.ENTER, 'G', KEY.RIGHT);
    expect(lastFrame()).not.toContain('right');
    expect(lastFrame()).toContain('this is the last step');
  });
});
