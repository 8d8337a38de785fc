import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../scenario/index.js';
import { fixtureSteps } from '../../test/tui/fixtures.js';
import { checkpointLines, checkpointScore, dueCheckpoint, formatScore } from './checkpoints.js';
import { StepIndex } from './step-index.js';

const steps = fixtureSteps();
const index = new StepIndex(() => steps);
const afterAuth: Checkpoint = { after: { stage: 'authentication' }, question: 'Q1?', choices: ['a', 'b'], answer: 2, explanation: 'Because b.' };
const afterStep: Checkpoint = { after: { step: 2 }, question: 'Q2?', choices: ['a', 'b', 'c'], answer: 1 };

describe('which checkpoint is due', () => {
  it('places a stage checkpoint after the stage’s last step, once the run is known to the end', () => {
    expect(dueCheckpoint([afterAuth], new Map(), 3, index, true)).toBe(0);
    expect(dueCheckpoint([afterAuth], new Map(), 2, index, true)).toBeUndefined();
    // Until the simulation has finished, a later authentication step could still come.
    expect(dueCheckpoint([afterAuth], new Map(), 3, index, false)).toBeUndefined();
  });

  it('asks the earliest-placed one first and never one already dealt with', () => {
    const both = [afterAuth, afterStep];
    expect(dueCheckpoint(both, new Map(), 19, index, true)).toBe(1);
    expect(dueCheckpoint(both, new Map([[1, null]]), 19, index, true)).toBe(0);
    expect(dueCheckpoint(both, new Map([[0, 2], [1, null]]), 19, index, true)).toBeUndefined();
  });
});

describe('the score', () => {
  it('counts right answers, skips and questions never reached', () => {
    const score = checkpointScore([afterAuth, afterStep], new Map([[0, 2]]));
    expect(score).toEqual({ right: 1, answered: 1, skipped: 0, total: 2 });
    expect(formatScore(score)).toBe('1 of 2 checkpoints right, 1 not reached');
    expect(formatScore(checkpointScore([afterStep], new Map([[0, null]])))).toBe('0 of 1 checkpoint right, 1 skipped');
  });
});

describe('the panel’s lines', () => {
  it('keeps the question and the choices when short of room, and drops the explanation first', () => {
    const lines = checkpointLines(afterAuth, 1, 40, 7).map((l) => l.text);
    expect(lines).toEqual(['Q1?', '', ' ✗ 1. a', ' ✓ 2. b', '', '✗ Not quite: the answer is 2.', 'Because b.']);
    expect(checkpointLines(afterAuth, 1, 40, 6).map((l) => l.text)).not.toContain('Because b.');
  });
});
