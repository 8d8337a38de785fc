import type { Step } from '../sim/trace.js';

/**
 * The cluster as it stood right after one step: every object in the store, keyed by its etcd key,
 * plus what the scenario's failures have switched off. Built only from the recorded steps (the
 * store writes and failure steps up to that point), so stepping back shows exactly that moment.
 */
export interface ClusterState {
  /** The step this state follows (0: before the first step). */
  readonly atStep: number;
  /** Virtual time of that step. */
  readonly nowMs: number;
  readonly objects: ReadonlyMap<string, unknown>;
  /** Control-plane components a failure has taken down (absent: up). */
  readonly componentsDown: ReadonlySet<string>;
  /** Nodes a failure has crashed or cut off. */
  readonly nodeFaults: ReadonlyMap<string, 'down' | 'partitioned'>;
}

/** The state details a failure step carries (`detail` of a step with kind 'failure'). */
export interface FailureDetail {
  readonly component?: string;
  readonly node?: string;
  readonly state: 'down' | 'up' | 'partitioned' | 'healed';
}

interface MutableState {
  atStep: number;
  nowMs: number;
  objects: Map<string, unknown>;
  componentsDown: Set<string>;
  nodeFaults: Map<string, 'down' | 'partitioned'>;
}

const EMPTY: ClusterState = { atStep: 0, nowMs: 0, objects: new Map(), componentsDown: new Set(), nodeFaults: new Map() };

/**
 * Answers "what did the cluster look like at step N" in time independent of N: a snapshot is
 * kept every `interval` steps, and a question replays at most `interval` steps from the nearest
 * one. Snapshots are taken as steps are first read, so no step is applied twice to build them.
 */
export class ClusterStateIndex {
  private readonly snapshots: ClusterState[] = [EMPTY];
  private last: ClusterState = EMPTY;

  constructor(
    private readonly steps: () => readonly Step[],
    readonly interval = 256,
  ) {}

  /** The state after step `n` (clamped to the steps recorded so far). */
  at(n: number): ClusterState {
    const steps = this.steps();
    const target = Math.max(0, Math.min(n, steps.length));
    if (target === this.last.atStep) return this.last;
    this.buildSnapshotsTo(target, steps);
    let base = this.snapshots[Math.floor(target / this.interval)];
    // Moving forward a little from the last answer is cheaper than going back to a snapshot.
    if (this.last.atStep < target && this.last.atStep > base.atStep) base = this.last;
    this.last = replay(base, steps, target);
    return this.last;
  }

  private buildSnapshotsTo(target: number, steps: readonly Step[]): void {
    const wanted = Math.floor(target / this.interval);
    while (this.snapshots.length <= wanted) {
      const previous = this.snapshots[this.snapshots.length - 1];
      this.snapshots.push(replay(previous, steps, previous.atStep + this.interval));
    }
  }
}

function replay(base: ClusterState, steps: readonly Step[], target: number): MutableState {
  const state: MutableState = {
    atStep: base.atStep,
    nowMs: base.nowMs,
    objects: new Map(base.objects),
    componentsDown: new Set(base.componentsDown),
    nodeFaults: new Map(base.nodeFaults),
  };
  for (let i = base.atStep; i < target; i++) apply(state, steps[i]);
  return state;
}

/** Applies one step: a store write changes an object, a failure step changes what is up. */
function apply(state: MutableState, step: Step): void {
  state.atStep = step.step;
  state.nowMs = step.t;
  if (step.kind === 'request' && step.key && step.after !== undefined) {
    if (step.after === null) state.objects.delete(step.key);
    else state.objects.set(step.key, step.after);
  } else if (step.kind === 'failure' && isFailureDetail(step.detail)) {
    const { component, node, state: change } = step.detail;
    // A component on a node (stop-kubelet, stop-kube-proxy) is down on its own; the node row
    // shows a fault only when the machine itself is down or cut off.
    if (component) {
      if (change === 'down') state.componentsDown.add(component);
      else if (change === 'up') state.componentsDown.delete(component);
    } else if (node) {
      if (change === 'down' || change === 'partitioned') state.nodeFaults.set(node, change);
      else state.nodeFaults.delete(node);
    }
  }
}

/** Whether a failure step's `detail` says what went down or came back. */
export function isFailureDetail(detail: unknown): detail is FailureDetail {
  const state = (detail as { state?: unknown } | undefined)?.state;
  return state === 'down' || state === 'up' || state === 'partitioned' || state === 'healed';
}
