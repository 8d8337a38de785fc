import type { Action } from './keymap.js';
import type { MessageIndex } from '../view/message-list.js';
import type { StepIndex } from '../view/step-index.js';
import type { StepSource } from '../view/step-source.js';
import { firstOfStage, firstStep, lastStep, nextNonHeartbeat, nextStep, previousStep, type Cursor } from '../view/navigation.js';
import { filterAction, filterChoices, helpAction, inspectorAction } from './player-overlays.js';
import { checkpointScore, dueCheckpoint, formatScore, sourceRun, type CheckpointAnswers } from '../view/checkpoints.js';

export { filterChoices };
import { stageLabel } from '../view/stage-progress.js';
import { boundedSource } from './bounded-source.js';

/**
 * What the learner is looking at, and how each action changes it. This is UI state only: the
 * simulation is never changed, it is only asked for more steps. `reduce` has no React in it, so
 * every key's effect can be tested without a terminal.
 */
export interface PlayerState {
  readonly screen: 'intro' | 'main';
  /** What covers the message list; 'goals' lets the step and play keys through. */
  readonly overlay: 'none' | 'help' | 'inspector' | 'filter' | 'checkpoint' | 'goals';
  /** The step on screen (1-based); the cluster panel shows the state right after it. */
  readonly current: number;
  /** How many rows above the current one the list selection is (0: the current step). */
  readonly selection: number;
  readonly playing: boolean;
  readonly speedIndex: number;
  /** Only steps this component sent or received are listed and visited. */
  readonly filter?: string;
  /** Index into the scenario's nodes: the node the stage bar follows. */
  readonly focus: number;
  readonly expandAll: boolean;
  /** Heartbeat runs unfolded one by one (by their first step). */
  readonly expanded: ReadonlySet<number>;
  readonly inspected?: number;
  readonly inspectorScroll: number;
  /** First line of the help screen shown. */
  readonly helpScroll: number;
  readonly filterCursor: number;
  /** A one-line remark for the hint line ("no Networking step in this scenario"). */
  readonly notice?: string;
  /** Checkpoints dealt with, by position in the scenario: the choice, or null when skipped. */
  readonly answers: CheckpointAnswers;
  /** The checkpoint on screen (its position in the scenario), and the choice made on it. */
  readonly asking?: number;
  readonly chosen?: number;
  /**
   * A key whose answer needs steps not simulated yet (`G` in a long scenario): it is tried again,
   * a slice of simulation at a time, until it can be answered; another key replaces it.
   */
  readonly pending?: PlayerAction;
  /** Playing has caught up with the simulation: the next ticks wait for it to get ahead. */
  readonly catchingUp?: boolean;
}

/** Playing speeds, in steps per second. */
export const STEP_RATES = [1, 2, 5, 10, 20, 50, 100, 250, 1000] as const;

/** The intro screen, paused at 2 steps a second, following the first node. */
export const INITIAL_STATE: PlayerState = {
  screen: 'intro',
  overlay: 'none',
  current: 0,
  selection: 0,
  playing: false,
  speedIndex: 1,
  focus: 0,
  expandAll: false,
  expanded: new Set(),
  inspectorScroll: 0,
  helpScroll: 0,
  filterCursor: 0,
  answers: new Map(),
};

/** What `reduce` may consult: the steps, their indexes, and the sizes of the scrolling areas. */
export interface PlayerContext {
  readonly source: StepSource;
  readonly index: StepIndex;
  readonly messages: (filter: string | undefined) => MessageIndex;
  readonly nodes: readonly string[];
  readonly listRows: number;
  readonly inspectorRows: number;
  readonly inspectorLength: (step: number) => number;
  /** Lines of the help screen at the current width. */
  readonly helpLength: number;
}

/** Actions the keymap does not produce: the play timer's tick. */
export type PlayerAction = Action | { readonly type: 'tick'; readonly steps: number };

/**
 * The state after `action`: the whole effect of one key (or one play tick) on what is shown.
 * When the step on screen reaches a checkpoint the learner has not seen, its question opens.
 */
export function reduce(state: PlayerState, action: PlayerAction, ctx: PlayerContext): PlayerState {
  const next = reduceAction(state, action, ctx);
  return next === state ? state : askDue(next, ctx);
}

/**
 * `reduce` with at most about `sliceMs` of simulation (at least one small chunk). When the action
 * needs more, the state is left as it was, with the action pending (a tick only marks playing as
 * catching up): the caller tries again on the next turn of the event loop, so keys (another `G`,
 * q, Ctrl-C) and signals are handled in between.
 */
export function reduceWithin(state: PlayerState, action: PlayerAction, ctx: PlayerContext, sliceMs: number): PlayerState {
  const source = boundedSource(ctx.source, performance.now() + sliceMs);
  const next = reduce(state, action, { ...ctx, source });
  if (action.type === 'tick') {
    if (source.exhausted) return state.catchingUp ? state : { ...state, catchingUp: true };
    return next.catchingUp ? { ...next, catchingUp: undefined } : next;
  }
  // Answered from an incomplete list: thrown away; playing stops, as it does for any jump.
  if (source.exhausted) return { ...state, pending: action, playing: false, notice: undefined };
  return next.pending !== undefined || next.catchingUp ? { ...next, pending: undefined, catchingUp: undefined } : next;
}

/** Tries the pending action again (one slice); the state unchanged when nothing is pending. */
export function retryPending(state: PlayerState, ctx: PlayerContext, sliceMs: number): PlayerState {
  if (!state.pending) return state;
  return reduceWithin({ ...state, pending: undefined }, state.pending, ctx, sliceMs);
}

function askDue(s: PlayerState, ctx: PlayerContext): PlayerState {
  if (s.screen !== 'main' || (s.overlay !== 'none' && s.overlay !== 'goals')) return s;
  const due = dueAt(s, s.current, ctx);
  if (due === undefined) return s;
  return { ...s, overlay: 'checkpoint', asking: due, chosen: undefined, playing: false, selection: 0 };
}

function dueAt(s: PlayerState, step: number, ctx: PlayerContext): number | undefined {
  const checkpoints = ctx.source.scenario.spec.checkpoints;
  if (checkpoints.length === 0) return undefined;
  return dueCheckpoint(checkpoints, s.answers, step, sourceRun(ctx.source, ctx.index));
}

/** "reached the last step", with the checkpoint score when the scenario has checkpoints. */
function atEnd(s: PlayerState, ctx: PlayerContext, notice: string): string {
  const checkpoints = ctx.source.scenario.spec.checkpoints;
  return checkpoints.length ? `${notice} · ${formatScore(checkpointScore(checkpoints, s.answers))}` : notice;
}

function reduceAction(state: PlayerState, action: PlayerAction, ctx: PlayerContext): PlayerState {
  // A tick that arrives after playing stopped changes nothing (not even the notice saying why).
  if (action.type === 'tick' && (!state.playing || (state.overlay !== 'none' && state.overlay !== 'goals'))) return state;
  const s = state.notice ? { ...state, notice: undefined } : state;
  if (s.overlay === 'help') return helpAction(s, action, ctx);
  if (action.type === 'help') return { ...s, overlay: 'help', helpScroll: 0 };
  if (s.screen === 'intro') {
    if (action.type === 'start') return moveTo({ ...s, screen: 'main' }, firstStep(cursor(s, ctx)) ?? 0, 'this scenario recorded no steps');
    if (action.type === 'close') return { ...s, overlay: 'none' };
    return s;
  }
  if (s.overlay === 'inspector') return inspectorAction(s, action, ctx);
  if (s.overlay === 'filter') return filterAction(s, action, ctx);
  if (s.overlay === 'checkpoint') return checkpointAction(s, action, ctx);
  if (s.overlay === 'goals') return action.type === 'close' ? { ...s, overlay: 'none' } : mainAction(s, action, ctx);
  return mainAction(s, action, ctx);
}

/** Keys while a checkpoint is open: 1-9 answers once; Enter goes on after answering; Esc skips. */
function checkpointAction(s: PlayerState, action: PlayerAction, ctx: PlayerContext): PlayerState {
  const checkpoints = ctx.source.scenario.spec.checkpoints;
  const asking = s.asking ?? 0;
  const checkpoint = checkpoints[asking];
  const close = (answers: CheckpointAnswers): PlayerState => {
    const done = checkpoints.length > 0 && answers.size === checkpoints.length;
    const notice = done ? `Score: ${formatScore(checkpointScore(checkpoints, answers))}` : undefined;
    return { ...s, overlay: 'none', asking: undefined, chosen: undefined, answers, notice };
  };
  if (!checkpoint) return close(s.answers);
  switch (action.type) {
    case 'answer':
      if (s.chosen !== undefined) return s;
      if (action.choice > checkpoint.choices.length) return { ...s, notice: `choose 1 to ${checkpoint.choices.length}` };
      return { ...s, chosen: action.choice, answers: new Map(s.answers).set(asking, action.choice) };
    case 'open':
      if (s.chosen === undefined) return { ...s, notice: `press 1 to ${checkpoint.choices.length} to answer, or Esc to skip` };
      return close(s.answers);
    case 'close':
      return close(s.chosen === undefined ? new Map(s.answers).set(asking, null) : s.answers);
    default:
      return s;
  }
}

function cursor(s: PlayerState, ctx: PlayerContext): Cursor {
  return { source: ctx.source, index: ctx.index, filter: s.filter };
}

function moveTo(s: PlayerState, step: number | undefined, notice: string): PlayerState {
  if (step === undefined) return { ...s, notice, playing: false };
  return { ...s, current: step, selection: 0 };
}

function mainAction(s: PlayerState, action: PlayerAction, ctx: PlayerContext): PlayerState {
  const c = cursor(s, ctx);
  switch (action.type) {
    case 'next':
      return moveTo(s, nextStep(c, s.current), atEnd(s, ctx, 'this is the last step'));
    case 'previous':
      return moveTo(s, previousStep(c, s.current), 'this is the first step');
    case 'nextNonHeartbeat':
      return moveTo(s, nextNonHeartbeat(c, s.current), 'no later step that is not a heartbeat');
    case 'stage': {
      // The stage bar's node: its own stage, not the first node's (worker-2's Registration).
      const node = ctx.nodes[s.focus];
      const whose = [node, s.filter].filter(Boolean).join(' and ');
      return moveTo(s, firstOfStage(c, action.stage, node), `no ${stageLabel(action.stage)} step${whose ? ` for ${whose}` : ''} in this scenario`);
    }
    case 'first':
      return moveTo(s, firstStep(c), 'no steps');
    case 'last':
      return moveTo({ ...s, playing: false }, lastStep(c), 'no steps');
    case 'tick':
      return tick(s, action.steps, c, ctx);
    case 'togglePlay':
      if (s.playing) return { ...s, playing: false };
      return nextStep(c, s.current) === undefined ? { ...s, notice: atEnd(s, ctx, 'this is the last step') } : { ...s, playing: true };
    case 'faster':
      return { ...s, speedIndex: Math.min(STEP_RATES.length - 1, s.speedIndex + 1) };
    case 'slower':
      return { ...s, speedIndex: Math.max(0, s.speedIndex - 1) };
    case 'up':
    case 'pageUp':
      return { ...s, selection: selectable(s, ctx, s.selection + (action.type === 'up' ? 1 : ctx.listRows)) };
    case 'down':
    case 'pageDown':
      return { ...s, selection: Math.max(0, s.selection - (action.type === 'down' ? 1 : ctx.listRows)) };
    case 'close':
      return { ...s, selection: 0 };
    case 'open':
      return open(s, ctx);
    case 'filter': {
      const choices = filterChoices(ctx);
      return { ...s, overlay: 'filter', filterCursor: Math.max(0, choices.indexOf(s.filter)) };
    }
    case 'focusNode':
      return { ...s, focus: ctx.nodes.length ? (s.focus + 1) % ctx.nodes.length : 0 };
    case 'toggleHeartbeats':
      return { ...s, expandAll: !s.expandAll, expanded: new Set() };
    case 'goals':
      return ctx.source.scenario.spec.expect.length ? { ...s, overlay: 'goals' } : { ...s, notice: 'this scenario has no goals (no expect: entries)' };
    default:
      return s;
  }
}

/** Plays `steps` steps on, stopping early at the last step or at a checkpoint's step. */
function tick(s: PlayerState, steps: number, c: Cursor, ctx: PlayerContext): PlayerState {
  if (!s.playing) return s;
  let current = s.current;
  for (let i = 0; i < steps; i++) {
    const next = nextStep(c, current);
    if (next === undefined) return { ...s, current, selection: 0, playing: false, notice: atEnd(s, ctx, 'reached the last step') };
    current = next;
    if (dueAt(s, current, ctx) !== undefined) break;
  }
  return { ...s, current, selection: 0 };
}

/** The selection clamped to the rows that exist above the current step. */
function selectable(s: PlayerState, ctx: PlayerContext, wanted: number): number {
  const rows = ctx.messages(s.filter).rowsEndingAt(s.current, wanted + 1, s.expanded, s.expandAll);
  return Math.max(0, Math.min(wanted, rows.length - 1));
}

function open(s: PlayerState, ctx: PlayerContext): PlayerState {
  const rows = ctx.messages(s.filter).rowsEndingAt(s.current, s.selection + 1, s.expanded, s.expandAll);
  const row = rows[0];
  if (!row || rows.length < s.selection + 1) return s;
  if (row.kind === 'fold') return { ...s, expanded: new Set([...s.expanded, row.first]) };
  return { ...s, overlay: 'inspector', inspected: row.step, inspectorScroll: 0 };
}
