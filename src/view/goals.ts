import type { KubeObject } from '../api/meta.js';
import { checkWait, describeExpectation, parseWaitTarget, targetKeyPrefix, type ObjectReader } from '../cluster/expectations.js';
import type { Expectation } from '../scenario/index.js';
import { formatDuration } from '../scenario/duration.js';
import { formatVirtualTime } from '../sim/clock.js';
import type { Step } from '../sim/trace.js';

/**
 * The scenario's `expect:` entries as goals in the player, judged from the recorded steps alone
 * (with the same `kubectl wait` checks `kube-learn test` uses), so stepping back shows how they
 * stood at that moment:
 * - `by: T` is met once it has held at some step up to now, no later than T; missed once a step
 *   after T is on screen (or the run is over) and it never held;
 * - `at: T` is judged on the objects as they stood at T (after the last step at or before T),
 *   once the step on screen has reached that moment;
 * - `request:` goals read the result of the timeline's packet walk (the last hop carries it).
 */
export type GoalStatus = 'waiting' | 'met' | 'missed';

export interface Goal {
  readonly index: number;
  /** `by 4m: node/worker-2 condition=Ready=Unknown`. */
  readonly text: string;
  readonly status: GoalStatus;
  /** `held at 02:50.003`, `last seen Ready=True`, `checked at 7m`: what the mark is based on. */
  readonly detail: string;
}

/** What is known about one goal from the steps read so far. */
interface Verdict {
  /** The first step it held at (by: up to its deadline; at: the moment step, if it held there). */
  heldStep?: number;
  heldAtMs?: number;
  /** at: the step whose state is the state at T (0: before the first step), once known. */
  momentStep?: number;
  /** by: the first step after the deadline, once read. */
  lateStep?: number;
  lastSeen: string;
  /** The etcd key or prefix a wait goal reads, so only writes there are re-checked. */
  readonly prefix?: string;
}

type RequestGoal = Extract<Expectation, { kind: 'request' }>;
const RESULTS = new Set(['success', 'refused', 'timeout', 'nxdomain']);

/**
 * Reads the steps once each, as they are recorded, keeping the objects as the steps left them and
 * each goal's verdict, so asking about any step is a lookup.
 */
export class GoalIndex {
  private scanned = 0;
  private readonly objects = new Map<string, KubeObject>();
  /** The keys under each goal's prefix, so a selector reads only its own kind and namespace. */
  private readonly keysUnder = new Map<string, Set<string>>();
  private readonly verdicts: Verdict[];
  private readonly reader: ObjectReader;

  constructor(
    private readonly steps: () => readonly Step[],
    private readonly finished: () => boolean,
    readonly expectations: readonly Expectation[],
  ) {
    this.verdicts = expectations.map((e) => ({
      lastSeen: e.kind === 'request' ? `no request from ${e.request.from} to ${e.request.to} recorded` : 'not checked yet',
      prefix: e.kind === 'wait' ? targetKeyPrefix(parseWaitTarget(e.wait)) : undefined,
    }));
    for (const v of this.verdicts) if (v.prefix !== undefined) this.keysUnder.set(v.prefix, new Set());
    const objects = this.objects;
    this.reader = {
      get: (key) => objects.get(key),
      range: (prefix) => [...(this.keysUnder.get(prefix) ?? [])].sort().map((k) => objects.get(k)!),
    };
  }

  /** Reads any steps recorded since the last call. */
  private sync(): void {
    const steps = this.steps();
    for (; this.scanned < steps.length; this.scanned++) this.add(steps[this.scanned]);
    if (this.finished()) this.finish(steps.length);
  }

  private add(step: Step): void {
    // A step after an at: goal's moment: the state before it is the state at T.
    this.expectations.forEach((e, i) => {
      const v = this.verdicts[i];
      if (step.t > e.timeMs && e.when === 'at' && v.momentStep === undefined) this.judgeAt(e, v, step.step - 1);
      if (step.t > e.timeMs && e.when === 'by' && v.lateStep === undefined) v.lateStep = step.step;
    });
    if (step.kind === 'request' && step.key && step.after !== undefined) {
      const key = step.key;
      if (step.after === null) this.objects.delete(key);
      else this.objects.set(key, step.after as KubeObject);
      for (const [prefix, keys] of this.keysUnder) {
        if (!key.startsWith(prefix)) continue;
        if (step.after === null) keys.delete(key);
        else keys.add(key);
      }
    }
    this.expectations.forEach((e, i) => {
      const v = this.verdicts[i];
      if (e.when !== 'by' || v.heldStep !== undefined || step.t > e.timeMs) return;
      const holds = e.kind === 'wait' ? this.touches(step, v) && this.check(e, v) : this.walked(e, step, v);
      if (holds) Object.assign(v, { heldStep: step.step, heldAtMs: step.t });
    });
  }

  /** Whether a wait goal needs checking after this step: the first step, or a write to what it reads. */
  private touches(step: Step, v: Verdict): boolean {
    return step.step === 1 || (step.key !== undefined && step.after !== undefined && v.prefix !== undefined && step.key.startsWith(v.prefix));
  }

  private check(e: Extract<Expectation, { kind: 'wait' }>, v: Verdict): boolean {
    const result = checkWait(this.reader, e);
    v.lastSeen = result.seen;
    return result.holds;
  }

  /** A by: request goal: this step ends a walk from → to with the expected result. */
  private walked(e: RequestGoal, step: Step, v: Verdict): boolean {
    const result = walkResult(e, step);
    if (result === undefined) return false;
    v.lastSeen = `${result} at ${formatVirtualTime(step.t)}`;
    return result === e.result;
  }

  private judgeAt(e: Expectation, v: Verdict, moment: number): void {
    v.momentStep = moment;
    let holds: boolean;
    if (e.kind === 'wait') holds = this.check(e, v);
    else {
      // The walk the timeline made at T exactly (its steps share T's time).
      const steps = this.steps();
      const walks = steps.slice(0, moment).filter((s) => s.t === e.timeMs && walkResult(e, s) !== undefined);
      const hit = walks.find((s) => walkResult(e, s) === e.result);
      const last = hit ?? walks.at(-1);
      v.lastSeen = last ? `${walkResult(e, last)} at ${formatVirtualTime(last.t)}` : `no request made at ${formatDuration(e.timeMs)}`;
      holds = hit !== undefined;
    }
    if (holds) Object.assign(v, { heldStep: moment, heldAtMs: e.timeMs });
  }

  /** The run is over: an at: goal whose moment no step passed is judged on the final state. */
  private finish(count: number): void {
    this.expectations.forEach((e, i) => {
      const v = this.verdicts[i];
      if (e.when === 'at' && v.momentStep === undefined) this.judgeAt(e, v, count);
    });
  }

  /** The goals as they stood right after step `current`. */
  at(current: number): Goal[] {
    this.sync();
    const count = this.steps().length;
    const over = this.finished() && current >= count;
    return this.expectations.map((e, i) => {
      const v = this.verdicts[i];
      const text = goalText(e);
      const held = v.heldStep !== undefined && v.heldStep <= current;
      const decided = e.when === 'at' ? v.momentStep !== undefined && current >= v.momentStep : (v.lateStep !== undefined && current >= v.lateStep) || over;
      if (held) return { index: i, text, status: 'met', detail: `held at ${formatVirtualTime(v.heldAtMs ?? 0)}` };
      if (decided) return { index: i, text, status: 'missed', detail: `last seen ${v.lastSeen}` };
      return { index: i, text, status: 'waiting', detail: e.when === 'at' ? `checked at ${formatDuration(e.timeMs)}` : `until ${formatDuration(e.timeMs)}` };
    });
  }
}

/** A goal as the player writes it: `by 4m: node/worker-2 condition=Ready=Unknown`. */
export function goalText(e: Expectation): string {
  return `${e.when} ${formatDuration(e.timeMs)}: ${describeExpectation(e).replace(' -> ', ' → ')}`;
}

/** The result a step carries when it is the last hop of a walk from the goal's source to its URL. */
function walkResult(e: RequestGoal, step: Step): string | undefined {
  if (step.from !== e.request.from || step.to !== e.request.to) return undefined;
  const result = (step.detail as { result?: unknown } | undefined)?.result;
  return typeof result === 'string' && RESULTS.has(result) ? result : undefined;
}

/** `2/5` goals met, and how many were missed, for a one-line summary. */
export function goalCounts(goals: readonly Goal[]): { met: number; missed: number; total: number } {
  return {
    met: goals.filter((g) => g.status === 'met').length,
    missed: goals.filter((g) => g.status === 'missed').length,
    total: goals.length,
  };
}
