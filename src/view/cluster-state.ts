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
  /**
   * Why a control-plane component is down, when it is not simply stopped: 'lost leader lease'
   * for a kube-controller-manager or kube-scheduler that exited after leader election failed.
   */
  readonly downReasons: ReadonlyMap<string, string>;
  /** etcd's members as the last etcd failure step left them (undefined: all healthy, never touched). */
  readonly etcd?: EtcdHealth;
  /** Nodes a failure has crashed or cut off. */
  readonly nodeFaults: ReadonlyMap<string, 'down' | 'partitioned'>;
  /** How many pods the store holds, and how many of them outside the default namespace. */
  readonly podCount: number;
  readonly podsOutsideDefault: number;
  /**
   * Every Node and Pod key any state of this history has held so far, in the order first seen
   * (shared by all states of one index, so it may name objects this state does not hold): what
   * the cluster panel lists without reading every object of every state.
   */
  readonly seen: SeenKeys;
}

/** Node and Pod keys in the order first seen (see ClusterState.seen). */
export class SeenKeys {
  readonly nodes: string[] = [];
  readonly pods: string[] = [];
  private readonly all = new Set<string>();

  note(key: string): void {
    if (this.all.has(key)) return;
    if (key.startsWith(POD_PREFIX)) {
      if (key.split('/').length !== 5) return;
      this.pods.push(key);
    } else if (key.startsWith(NODE_PREFIX)) {
      if (key.includes('/', NODE_PREFIX.length)) return;
      this.nodes.push(key);
    } else return;
    this.all.add(key);
  }
}

export const NODE_PREFIX = '/registry/minions/';
export const POD_PREFIX = '/registry/pods/';

/** How many etcd members run, and whether they still make a quorum (writes possible). */
export interface EtcdHealth {
  readonly up: number;
  readonly total: number;
  readonly quorum: boolean;
}

/**
 * The state details a failure step carries (`detail` of a step with kind 'failure', or of the
 * decision step in which kube-controller-manager and kube-scheduler lose their leader leases).
 */
export interface FailureDetail {
  readonly component?: string;
  /** Several components going down or up together (leader election lost or regained). */
  readonly components?: readonly string[];
  readonly node?: string;
  readonly state: 'down' | 'up' | 'partitioned' | 'healed';
  /** Why, when the component did not simply stop ('leader election lost'). */
  readonly reason?: string;
  /** etcd member steps: 'etcd-0 started, etcd-1 unreachable, ...' and whether writes work. */
  readonly members?: string;
  readonly available?: boolean;
}

interface MutableState {
  atStep: number;
  nowMs: number;
  objects: ObjectsAt;
  componentsDown: Set<string>;
  downReasons: Map<string, string>;
  etcd?: EtcdHealth;
  nodeFaults: Map<string, 'down' | 'partitioned'>;
  podCount: number;
  podsOutsideDefault: number;
  readonly seen: SeenKeys;
}

/**
 * Answers "what did the cluster look like at step N" in time independent of N: a snapshot is
 * kept every `interval` steps, and a question replays at most that many steps from the nearest
 * one. Snapshots are taken as steps are first read, so no step is applied twice to build them.
 * A snapshot copies every object, so in a large cluster they are spaced further apart (one per
 * `objects / OBJECTS_PER_STEP` steps): memory grows with history / cluster size, not with
 * history x cluster size, and a question replays no more steps than the copy costs anyway.
 */
export class ClusterStateIndex {
  private readonly seen = new SeenKeys();
  private readonly empty: ClusterState = { atStep: 0, nowMs: 0, objects: new Map(), componentsDown: new Set(), downReasons: new Map(), nodeFaults: new Map(), podCount: 0, podsOutsideDefault: 0, seen: this.seen };
  private readonly snapshots: ClusterState[] = [this.empty];
  private last: ClusterState = this.empty;
  /** States kept on the way to recent answers (at most RECENT, every NEAR steps). */
  private readonly recent: ClusterState[] = [];

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
    let base = this.snapshots[lastSnapshotAtOrBefore(this.snapshots, target)];
    // Moving forward a little from the last answer is cheaper than going back to a snapshot.
    if (this.last.atStep < target && this.last.atStep > base.atStep) base = this.last;
    for (const state of this.recent) if (state.atStep <= target && state.atStep > base.atStep) base = state;
    // Far from any kept state (a large cluster's snapshots are far apart): keep states every NEAR
    // steps on the way, so stepping back from here replays a few steps, not thousands.
    for (let at = (Math.floor(base.atStep / NEAR) + 1) * NEAR; at < target; at += NEAR) {
      base = replay(base, steps, at);
      this.recent.push(base);
      if (this.recent.length > RECENT) this.recent.shift();
    }
    this.last = replay(base, steps, target);
    return this.last;
  }

  /** Steps from one snapshot to the next after `snapshot`. */
  private spacing(snapshot: ClusterState): number {
    return Math.max(this.interval, Math.floor(snapshot.objects.size / OBJECTS_PER_STEP));
  }

  private buildSnapshotsTo(target: number, steps: readonly Step[]): void {
    for (;;) {
      const previous = this.snapshots[this.snapshots.length - 1];
      const next = previous.atStep + this.spacing(previous);
      if (next > target) return;
      const snapshot = replay(previous, steps, next);
      this.snapshots.push({ ...snapshot, objects: snapshot.objects.flattened() });
    }
  }
}

const GONE = Symbol('deleted');

/**
 * The objects at one step: a snapshot's objects (never changed once taken) plus the writes since
 * it. A state near a snapshot costs what changed since the snapshot, not a copy of every object,
 * so stepping back or forward in a large cluster copies a few hundred entries, not tens of
 * thousands.
 */
export class ObjectsAt implements ReadonlyMap<string, unknown> {
  private constructor(
    private readonly base: ReadonlyMap<string, unknown>,
    private readonly changes: Map<string, unknown>,
    private count: number,
  ) {}

  /** A mutable copy of `objects` (a snapshot's, or another state's). */
  static from(objects: ReadonlyMap<string, unknown>): ObjectsAt {
    if (objects instanceof ObjectsAt) {
      // Folding a long run of changes into a new base keeps lookups and copies cheap.
      if (objects.changes.size > Math.max(FOLD_AT, objects.base.size >> 2)) return new ObjectsAt(objects.flattened(), new Map(), objects.count);
      return new ObjectsAt(objects.base, new Map(objects.changes), objects.count);
    }
    return new ObjectsAt(objects, new Map(), objects.size);
  }

  get size(): number {
    return this.count;
  }

  get(key: string): unknown {
    const changed = this.changes.get(key);
    if (changed === undefined) return this.base.get(key);
    return changed === GONE ? undefined : changed;
  }

  has(key: string): boolean {
    const changed = this.changes.get(key);
    if (changed === undefined) return this.base.has(key);
    return changed !== GONE;
  }

  set(key: string, value: unknown): void {
    if (!this.has(key)) this.count++;
    this.changes.set(key, value);
  }

  delete(key: string): void {
    if (!this.has(key)) return;
    this.count--;
    if (this.base.has(key)) this.changes.set(key, GONE);
    else this.changes.delete(key);
  }

  /** Every object in one plain map (a snapshot's form). */
  flattened(): Map<string, unknown> {
    return new Map(this.entries());
  }

  *entries(): MapIterator<[string, unknown]> {
    for (const entry of this.base) if (!this.changes.has(entry[0])) yield entry;
    for (const [key, value] of this.changes) if (value !== GONE) yield [key, value];
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<unknown> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries();
  }

  forEach(callback: (value: unknown, key: string, map: ReadonlyMap<string, unknown>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

/** Changes a state may carry over its base before a copy of it folds them in. */
const FOLD_AT = 1024;

/**
 * Objects copied per step replayed: a snapshot of a cluster of 10,000 objects is kept every
 * 2,500 steps (one of a small cluster every `interval`).
 */
const OBJECTS_PER_STEP = 4;
/** Spacing and number of the states kept near recent answers. */
const NEAR = 64;
const RECENT = 16;

function lastSnapshotAtOrBefore(snapshots: readonly ClusterState[], target: number): number {
  let lo = 0;
  let hi = snapshots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (snapshots[mid].atStep <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function replay(base: ClusterState, steps: readonly Step[], target: number): MutableState {
  const state: MutableState = {
    atStep: base.atStep,
    nowMs: base.nowMs,
    objects: ObjectsAt.from(base.objects),
    componentsDown: new Set(base.componentsDown),
    downReasons: new Map(base.downReasons),
    ...(base.etcd ? { etcd: base.etcd } : {}),
    nodeFaults: new Map(base.nodeFaults),
    podCount: base.podCount,
    podsOutsideDefault: base.podsOutsideDefault,
    seen: base.seen,
  };
  for (let i = base.atStep; i < target; i++) apply(state, steps[i]);
  return state;
}

/** Applies one step: a store write changes an object, a failure step changes what is up. */
function apply(state: MutableState, step: Step): void {
  state.atStep = step.step;
  state.nowMs = step.t;
  if (step.kind === 'request' && step.key && step.after !== undefined) {
    const key = step.key;
    const pod = key.startsWith(POD_PREFIX);
    const had = pod && state.objects.has(key);
    if (step.after === null) state.objects.delete(key);
    else state.objects.set(key, step.after);
    state.seen.note(key);
    if (pod && had !== (step.after !== null)) {
      const change = had ? -1 : 1;
      state.podCount += change;
      if (!key.startsWith(`${POD_PREFIX}default/`)) state.podsOutsideDefault += change;
    }
  } else if ((step.kind === 'failure' || step.kind === 'decision') && isFailureDetail(step.detail)) {
    const { component, components, node, state: change, reason } = step.detail;
    if (step.detail.members !== undefined) state.etcd = etcdHealth(step.detail.members, step.detail.available);
    const named = components ?? (component ? [component] : []);
    // A component on a node (stop-kubelet, stop-kube-proxy) is down on its own; the node row
    // shows a fault only when the machine itself is down or cut off.
    if (named.length) {
      for (const name of named) {
        if (change === 'down') state.componentsDown.add(name);
        else if (change === 'up') state.componentsDown.delete(name);
        if (change === 'down' && reason) state.downReasons.set(name, reason);
        else state.downReasons.delete(name);
      }
    } else if (node) {
      if (change === 'down' || change === 'partitioned') state.nodeFaults.set(node, change);
      else state.nodeFaults.delete(node);
    }
  }
}

/** 'etcd-0 started, etcd-1 unreachable, etcd-2 unreachable' → 1 of 3 up. */
function etcdHealth(members: string, available: boolean | undefined): EtcdHealth {
  const list = members.split(',').map((m) => m.trim()).filter(Boolean);
  const up = list.filter((m) => m.endsWith(' started')).length;
  return { up, total: list.length, quorum: available ?? up > list.length / 2 };
}

/** Whether a failure step's `detail` says what went down or came back. */
export function isFailureDetail(detail: unknown): detail is FailureDetail {
  const state = (detail as { state?: unknown } | undefined)?.state;
  return state === 'down' || state === 'up' || state === 'partitioned' || state === 'healed';
}
