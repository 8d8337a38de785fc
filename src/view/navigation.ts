import { involves, type Stage, type Step } from '../sim/trace.js';
import { firstAfter, lastAtOrBefore, type StepIndex } from './step-index.js';
import { stepAt, type StepSource } from './step-source.js';
import { isHeartbeat } from './heartbeat.js';

/**
 * Where each movement key lands. Every function answers with a step number (or undefined when
 * there is nowhere to go) and asks the core for more steps only as far as the answer needs.
 * With a component filter, movement visits only the steps that component sent or received.
 */
export interface Cursor {
  readonly source: StepSource;
  readonly index: StepIndex;
  /** A component name: move among its steps only. */
  readonly filter?: string;
}

/** How many steps to simulate at a time while looking ahead for a match. */
const LOOKAHEAD = 64;

function grow(cursor: Cursor): boolean {
  if (cursor.source.finished) return false;
  const before = cursor.source.steps.length;
  cursor.source.ensure(before + LOOKAHEAD);
  cursor.index.sync();
  return cursor.source.steps.length > before;
}

/** Whether a step is one the cursor's filter keeps. */
export function matches(cursor: Cursor, step: Step): boolean {
  return cursor.filter === undefined || involves(step, cursor.filter);
}

/** The next step (the next kept one under a filter). */
export function nextStep(cursor: Cursor, at: number): number | undefined {
  if (cursor.filter === undefined) {
    if (cursor.source.steps.length <= at) cursor.source.ensure(at + 1);
    return cursor.source.steps.length > at ? at + 1 : undefined;
  }
  for (;;) {
    const list = cursor.index.stepsOf(cursor.filter);
    const i = firstAfter(list, at);
    if (i < list.length) return list[i];
    if (!grow(cursor)) return undefined;
  }
}

/** The previous step (the previous kept one under a filter). */
export function previousStep(cursor: Cursor, at: number): number | undefined {
  if (cursor.filter === undefined) return at > 1 ? at - 1 : undefined;
  const list = cursor.index.stepsOf(cursor.filter);
  const i = lastAtOrBefore(list, at - 1);
  return i >= 0 ? list[i] : undefined;
}

/** The next step that is not a heartbeat (the `n` key: skip the repeats, stop at any failure). */
export function nextNonHeartbeat(cursor: Cursor, at: number): number | undefined {
  for (let n = at + 1; ; n++) {
    if (cursor.source.steps.length < n) {
      if (cursor.source.finished) return undefined;
      cursor.source.ensure(n + LOOKAHEAD - 1);
      if (cursor.source.steps.length < n) return undefined;
    }
    const step = cursor.source.steps[n - 1];
    if (!isHeartbeat(step) && matches(cursor, step)) return n;
  }
}

/**
 * The first step of a stage (the first kept one under a filter); with `node`, the first step of
 * that stage about that node (the keys 1-4 follow the node the stage bar follows).
 */
export function firstOfStage(cursor: Cursor, stage: Stage, node?: string): number | undefined {
  for (;;) {
    const first = node === undefined ? cursor.index.firstOfStage(stage, cursor.filter) : cursor.index.firstOfNodeStage(node, stage, cursor.filter);
    if (first !== undefined) return first;
    if (!grow(cursor)) return undefined;
  }
}

/** The first step (the first kept one under a filter). */
export function firstStep(cursor: Cursor): number | undefined {
  if (cursor.filter === undefined) return stepAt(cursor.source, 1) ? 1 : undefined;
  return nextStep(cursor, 0);
}

/** The last step of the whole scenario (runs the simulation to its end). */
export function lastStep(cursor: Cursor): number | undefined {
  cursor.source.ensure(Number.MAX_SAFE_INTEGER);
  cursor.index.sync();
  if (cursor.filter === undefined) return cursor.source.steps.length || undefined;
  const list = cursor.index.stepsOf(cursor.filter);
  return list.length ? list[list.length - 1] : undefined;
}
