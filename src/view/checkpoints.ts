import type { Checkpoint } from '../scenario/index.js';
import type { StepIndex } from './step-index.js';
import type { StepSource } from './step-source.js';
import { checkpointStep, type CheckpointRun } from './checkpoint-placement.js';
import { wrap } from './text.js';

export { checkpointPlace, checkpointStep, type CheckpointRun } from './checkpoint-placement.js';

/**
 * Checkpoints in the player: when each question comes up, which one is due, and the score. The
 * same placement as `kube-learn run` prints (checkpoint-placement.ts); a stage's last step is
 * known once the whole scenario has been simulated, which the player does ahead of the learner.
 */

/** What the learner did with each checkpoint, by its position in the file: the choice, or null when skipped. */
export type CheckpointAnswers = ReadonlyMap<number, number | null>;

/** The run as checkpoint placement sees it, read from the player's step source and index. */
export function sourceRun(source: StepSource, index: StepIndex): CheckpointRun {
  return {
    get count() {
      return source.steps.length;
    },
    get finished() {
      return source.finished;
    },
    timeOf: (step) => source.steps[step - 1].t,
    lastOfStage: (stage) => index.lastOfStage(stage),
    actionStep: (i) => source.actionStep?.(i),
  };
}

/**
 * The checkpoint to ask now, at step `current`: the earliest-placed one not yet dealt with whose
 * step has been reached (file order breaks ties). Undefined when none is due.
 */
export function dueCheckpoint(
  checkpoints: readonly Checkpoint[],
  answers: CheckpointAnswers,
  current: number,
  run: CheckpointRun,
): number | undefined {
  let due: { at: number; i: number } | undefined;
  checkpoints.forEach((checkpoint, i) => {
    if (answers.has(i)) return;
    const at = checkpointStep(checkpoint, run);
    if (at === undefined || at > current) return;
    if (!due || at < due.at) due = { at, i };
  });
  return due?.i;
}

export interface CheckpointScore {
  readonly right: number;
  readonly answered: number;
  readonly skipped: number;
  readonly total: number;
}

export function checkpointScore(checkpoints: readonly Checkpoint[], answers: CheckpointAnswers): CheckpointScore {
  let right = 0;
  let answered = 0;
  let skipped = 0;
  for (const [i, choice] of answers) {
    if (choice === null) skipped++;
    else {
      answered++;
      if (checkpoints[i]?.answer === choice) right++;
    }
  }
  return { right, answered, skipped, total: checkpoints.length };
}

/** `2 of 3 checkpoints right (1 skipped)`. */
export function formatScore(score: CheckpointScore): string {
  const skipped = score.skipped ? `, ${score.skipped} skipped` : '';
  const open = score.total - score.answered - score.skipped;
  const unasked = open ? `, ${open} not reached` : '';
  return `${score.right} of ${score.total} checkpoint${score.total === 1 ? '' : 's'} right${skipped}${unasked}`;
}

/** One line of the checkpoint panel, with how to draw it. */
export interface CheckpointLine {
  readonly text: string;
  readonly tone?: 'question' | 'right' | 'wrong' | 'dim';
}

/**
 * The checkpoint panel's lines, `width` wide and at most `height` long: the question, the
 * numbered choices, then (once answered) whether the answer was right and the explanation. The
 * explanation is what gives way when the panel is short.
 */
export function checkpointLines(checkpoint: Checkpoint, chosen: number | undefined, width: number, height: number): CheckpointLine[] {
  const question = wrap(checkpoint.question, width).map((text): CheckpointLine => ({ text, tone: 'question' }));
  const choices = checkpoint.choices.flatMap((choice, i): CheckpointLine[] => {
    const n = i + 1;
    const answered = chosen !== undefined;
    const mark = !answered ? ' ' : n === checkpoint.answer ? '✓' : n === chosen ? '✗' : ' ';
    const tone = !answered ? undefined : n === checkpoint.answer ? 'right' : n === chosen ? 'wrong' : 'dim';
    return wrap(choice, Math.max(1, width - 7)).map((text, j) => ({ text: j === 0 ? ` ${mark} ${n}. ${text}` : `      ${text}`, tone }));
  });
  const verdict: CheckpointLine[] =
    chosen === undefined
      ? [{ text: `Press 1 to ${checkpoint.choices.length} to answer, Esc to skip.`, tone: 'dim' }]
      : chosen === checkpoint.answer
        ? [{ text: '✓ Right.', tone: 'right' }]
        : [{ text: `✗ Not quite: the answer is ${checkpoint.answer}.`, tone: 'wrong' }];
  const head = [...question, { text: '' }, ...choices, { text: '' }, ...verdict.flatMap((v) => wrap(v.text, width).map((text) => ({ ...v, text })))];
  const room = height - head.length;
  const explanation = chosen !== undefined && checkpoint.explanation && room > 0 ? wrap(checkpoint.explanation.trim(), width, room) : [];
  return [...head, ...explanation.map((text) => ({ text }))].slice(0, Math.max(0, height));
}
