import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../scenario/index.js';
import { fixtureSteps } from '../../test/tui/fixtures.js';
import { checkpointLines, checkpointScore, dueCheckpoint, formatScore, sourceRun } from './checkpoints.js';
import { FixtureSource, fixtureScenario } from '../../test/tui/fixtures.js';
import { StepIndex } from './step-index.js';

const steps = fixtureSteps();
const index = new StepIndex(() => steps);
const run = (finished: boolean, actionSteps: ReadonlyMap<number, number> = new Map()) => ({
  ...sourceRun({ steps, finished, scenario: fixtureScenario(), ensure: () => {}, actionStep: (i) => actionSteps.get(i) }, index),
  finished,
});
const afterAuth: Checkpoint = { after: { stage: 'authentication' }, question: 'Q1?', choices: ['a', 'b'], answer: 2, explanation: 'Because b.' };
const afterStep: Checkpoint = { after: { step: 2 }, question: 'Q2?', choices: ['a', 'b', 'c'], answer: 1 };

describe('which checkpoint is due', () => {
  it('places a stage checkpoint after the stage’s last step, once the run is known to the end', () => {
    expect(dueCheckpoint([afterAuth], new Map(), 3, run(true))).toBe(0);
    expect(dueCheckpoint([afterAuth], new Map(), 2, run(true))).toBeUndefined();
    // Until the simulation has finished, a later authentication step could still come.
    expect(dueCheckpoint([afterAuth], new Map(), 3, run(false))).toBeUndefined();
  });

  it('asks the earliest-placed one first and never one already dealt with', () => {
    const both = [afterAuth, afterStep];
    expect(dueCheckpoint(both, new Map(), 19, run(true))).toBe(1);
    expect(dueCheckpoint(both, new Map([[1, null]]), 19, run(true))).toBe(0);
    expect(dueCheckpoint(both, new Map([[0, 2], [1, null]]), 19, run(true))).toBeUndefined();
  });
});

describe('checkpoints anchored to a moment or a timeline action', () => {
  const atTime = (atMs: number): Checkpoint => ({ after: { atMs }, question: 'When?', choices: ['a', 'b'], answer: 1 });
  const afterAction: Checkpoint = { after: { action: 0 }, question: 'What?', choices: ['a', 'b'], answer: 1 };

  it('asks a timed one at the first step at or after its time (steps 16 and 17 are at 50 s and 51 s)', () => {
    expect(steps[15].t).toBe(50_000);
    expect(dueCheckpoint([atTime(50_000)], new Map(), 15, run(false))).toBeUndefined();
    expect(dueCheckpoint([atTime(50_000)], new Map(), 16, run(false))).toBe(0);
    expect(dueCheckpoint([atTime(49_000)], new Map(), 16, run(false))).toBe(0);
    expect(dueCheckpoint([atTime(50_001)], new Map(), 16, run(false))).toBeUndefined();
    expect(dueCheckpoint([atTime(50_001)], new Map(), 17, run(false))).toBe(0);
    // Past the last step's time: never asked.
    expect(dueCheckpoint([atTime(3_600_000)], new Map(), steps.length, run(true))).toBeUndefined();
  });

  it('asks one after a timeline action right after that action’s step, once the run has recorded it', () => {
    expect(dueCheckpoint([afterAction], new Map(), 19, run(false))).toBeUndefined();
    expect(dueCheckpoint([afterAction], new Map(), 12, run(false, new Map([[0, 13]])))).toBeUndefined();
    expect(dueCheckpoint([afterAction], new Map(), 13, run(false, new Map([[0, 13]])))).toBe(0);
  });

  it('reads the action step from a player source, and the source from a Session-like one', () => {
    const source = new FixtureSource(steps, fixtureScenario(), true);
    expect(sourceRun(source, index).actionStep(0)).toBeUndefined();
    expect(sourceRun(source, index).count).toBe(steps.length);
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
