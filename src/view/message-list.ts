import type { Step } from '../sim/trace.js';
import { formatVirtualTime } from '../sim/clock.js';
import { lastAtOrBefore } from './step-index.js';
import { statusLabel } from '../api/request.js';
import { failed, isHeartbeat } from './heartbeat.js';

export { failed, isHeartbeat };


/**
 * The message list: one row per step, except that a run of consecutive heartbeats (lease
 * renewals, unchanged status posts and the watch events they cause) folds into one row with a
 * count, so the story is not buried under repeats. Rows are built incrementally as steps arrive.
 */
export type MessageRow = { readonly kind: 'step'; readonly step: number } | FoldRow;

/** A run of heartbeats shown as one row (cut at the current step). */
export interface FoldRow {
  readonly kind: 'fold';
  /** First and last step of the run, and how many steps it holds. */
  readonly first: number;
  readonly last: number;
  readonly count: number;
  /** Who sent the run's steps, in order of first appearance. */
  readonly senders: readonly string[];
}

/** Only the steps a filter keeps are listed; the default keeps every step. */
export type StepFilter = (step: Step) => boolean;

/** A fold as stored: every step number, and the step at which each sender first appears. */
type Row = { kind: 'step'; step: number } | { kind: 'fold'; steps: number[]; senders: Map<string, number> };

/** The list's rows for one filter, extended as steps are recorded. */
export class MessageIndex {
  private scanned = 0;
  private readonly rows: Row[] = [];
  /** First step number of each row, for binary search. */
  private readonly firsts: number[] = [];

  constructor(
    private readonly steps: () => readonly Step[],
    private readonly keep: StepFilter = () => true,
  ) {}

  private sync(): void {
    const steps = this.steps();
    for (; this.scanned < steps.length; this.scanned++) {
      const step = steps[this.scanned];
      if (this.keep(step)) this.add(step, steps);
    }
  }

  private add(step: Step, steps: readonly Step[]): void {
    const last = this.rows[this.rows.length - 1];
    if (isHeartbeat(step) && last) {
      if (last.kind === 'fold') {
        last.steps.push(step.step);
        if (!last.senders.has(step.from)) last.senders.set(step.from, step.step);
        return;
      }
      const previous = steps[last.step - 1];
      if (isHeartbeat(previous)) {
        const senders = new Map([[previous.from, previous.step]]);
        if (!senders.has(step.from)) senders.set(step.from, step.step);
        this.rows[this.rows.length - 1] = { kind: 'fold', steps: [last.step, step.step], senders };
        return;
      }
    }
    this.rows.push({ kind: 'step', step: step.step });
    this.firsts.push(step.step);
  }

  /**
   * Up to `count` rows ending with the row that holds step `at` (later steps are not shown:
   * the list is the history up to the current moment). A fold is cut at `at`, and folds listed in
   * `expanded` (by their first step), or all when `expandAll`, are shown step by step. The cost
   * is in the rows returned, not in the length of the history or of a fold.
   */
  rowsEndingAt(at: number, count: number, expanded: ReadonlySet<number> = new Set(), expandAll = false): MessageRow[] {
    this.sync();
    const out: MessageRow[] = [];
    for (let r = lastAtOrBefore(this.firsts, at); r >= 0 && out.length < count; r--) {
      const row = this.rows[r];
      if (row.kind === 'step') {
        out.push(row);
        continue;
      }
      const end = lastAtOrBefore(row.steps, at);
      if (end === 0 || expandAll || expanded.has(row.steps[0])) {
        for (let i = end; i >= 0 && out.length < count; i--) out.push({ kind: 'step', step: row.steps[i] });
      } else {
        const senders = [...row.senders].filter(([, first]) => first <= at).map(([name]) => name);
        out.push({ kind: 'fold', first: row.steps[0], last: row.steps[end], count: end + 1, senders });
      }
    }
    return out.reverse();
  }

  /** The listed step nearest at or before `at` (undefined when the filter keeps none). */
  lastKeptAtOrBefore(at: number): number | undefined {
    const rows = this.rowsEndingAt(at, 1, new Set(), true);
    return rows.length && rows[0].kind === 'step' ? rows[0].step : undefined;
  }
}

/** One row as the list prints it, split into the parts a renderer colours differently. */
export interface MessageLine {
  readonly number: string;
  readonly time: string;
  /** `from → to`, or just the component when a step stays inside it. */
  readonly route: string;
  readonly text: string;
  /** The response code of a request ('201', '403', 'refused', 'timeout'), else empty. */
  readonly status: string;
  readonly tone: 'ok' | 'error' | 'failure' | 'heartbeat' | 'plain';
}

/** `kubelet/worker-1 → kube-apiserver  POST /api/v1/nodes  201` split into its parts. */
export function messageLine(step: Step): MessageLine {
  const route = step.from === step.to ? step.from : `${step.from} → ${step.to}`;
  const base = { number: String(step.step), time: formatVirtualTime(step.t), route };
  if (step.kind === 'failure') return { ...base, text: `✖ ${step.banner ?? step.summary}`, status: '', tone: 'failure' };
  if (step.kind === 'request' && step.method) {
    return { ...base, text: `${step.method} ${step.path ?? ''}`, status: statusLabel(step), tone: failed(step) ? 'error' : step.heartbeat ? 'heartbeat' : 'ok' };
  }
  return { ...base, text: step.summary, status: '', tone: step.heartbeat ? 'heartbeat' : 'plain' };
}

/** The text of a folded run: how many heartbeats, over which steps, and who sent them. */
export function foldLabel(fold: FoldRow): string {
  const who = fold.senders.length > 2 ? `${fold.senders.slice(0, 2).join(', ')} +${fold.senders.length - 2}` : fold.senders.join(', ');
  return `${fold.count} heartbeats  steps ${fold.first}–${fold.last}  from ${who}`;
}
