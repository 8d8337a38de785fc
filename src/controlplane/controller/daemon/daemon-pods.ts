import type { InformerLike } from '../../client/shared-informer.js';
import { objectKey } from '../../client/informer.js';
import { CONTROLLER_INDEX, controllerIndexFunc, controllerIndexValues } from '../../client/indexer.js';
import { jsonEqual } from '../../apiserver/patch.js';
import type { SchedulingNode } from '../../scheduler/types.js';
import { isPodAvailable, isPodReady } from '../replicaset/active-pods.js';
import { selectorMatches } from '../replicaset/label-selector.js';
import { controllerOf, type Pod, type PodTemplateSpec, type LabelSelector } from '../replicaset/types.js';
import {
  CONTROLLER_REVISION_HASH, TEMPLATE_GENERATION_ANNOTATION, TEMPLATE_GENERATION_LABEL, targetNodeName, type DaemonSet, type DaemonSetStatus,
} from './util.js';

/**
 * The per-node parts of a DaemonSet sync (pkg/controller/daemon): what manage must do for one
 * node, and what the node adds to the counts of updateDaemonSetStatus. The controller walks every
 * node with them; DaemonPodTable keeps their results per node and redoes only the nodes whose
 * Node or daemon pods changed since the last sync, so a sync after one pod's event does not walk
 * every node and every pod again. Both give the same answer.
 */
export interface ShouldRun {
  readonly shouldRun: boolean;
  readonly shouldContinueRunning: boolean;
}
export type ShouldRunFn = (node: SchedulingNode, ds: DaemonSet) => ShouldRun;

export function isFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
}

/** Scheduled pods first, then the oldest, then by name: the pod a node keeps. */
export function byCreation(a: Pod, b: Pod): number {
  const scheduled = Number(Boolean((b.spec as { nodeName?: string }).nodeName)) - Number(Boolean((a.spec as { nodeName?: string }).nodeName));
  if (scheduled) return scheduled;
  const at = (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
  return at || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** manage's answer for one node: create its pod, delete these pods, or (undefined) nothing. */
export type NodePlan = 'create' | readonly Pod[] | undefined;

export function nodePlan({ shouldRun, shouldContinueRunning }: ShouldRun, onNode: readonly Pod[] | undefined): NodePlan {
  if (shouldRun && !onNode) return 'create';
  // The usual case, one healthy pod where it may stay, needs nothing done.
  if (shouldContinueRunning && onNode?.length === 1 && !onNode[0].metadata.deletionTimestamp && !isFinished(onNode[0])) return undefined;
  const pods = (onNode ?? []).filter((p) => !p.metadata.deletionTimestamp);
  if (!shouldContinueRunning) return pods.length ? pods : undefined;
  const failed = pods.filter(isFinished);
  const running = pods.filter((p) => !failed.includes(p)).sort(byCreation);
  const toDelete = [...failed, ...running.slice(1)];
  return toDelete.length ? toDelete : undefined;
}

/** The bits one node sets in updateDaemonSetStatus's counts. */
const DESIRED = 1, CURRENT = 2, MISSCHEDULED = 4, READY = 8, AVAILABLE = 16, UPDATED = 32;
const BITS = [DESIRED, CURRENT, MISSCHEDULED, READY, AVAILABLE, UPDATED] as const;

/** One node's part of the counts; the oldest pod on a node is the one counted. */
export function nodeStatusBits(ds: DaemonSet, shouldRun: boolean, onNode: readonly Pod[] | undefined, hash: string, nowMs: number): number {
  const pods = onNode ?? [];
  if (!shouldRun) return pods.length ? MISSCHEDULED : 0;
  if (!pods.length) return DESIRED;
  let bits = DESIRED | CURRENT;
  const pod = pods.length === 1 ? pods[0] : [...pods].sort(byCreation)[0];
  if (isPodReady(pod)) {
    bits |= READY;
    if (isPodAvailable(pod, ds.spec.minReadySeconds ?? 0, nowMs)) bits |= AVAILABLE;
  }
  const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash || (generation && pod.metadata.labels?.[TEMPLATE_GENERATION_LABEL] === generation)) bits |= UPDATED;
  return bits;
}

/** Counts per bit (index as in BITS). */
type Counts = [number, number, number, number, number, number];

function addBits(counts: Counts, bits: number, sign: 1 | -1): void {
  for (let i = 0; i < BITS.length; i++) if (bits & BITS[i]) counts[i] += sign;
}

export function statusOf(counts: Readonly<Counts>): DaemonSetStatus {
  const [desired, current, misscheduled, ready, available, updated] = counts;
  return {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
}

/** The counts of updateDaemonSetStatus over every node. */
export function calculateStatus(
  ds: DaemonSet, nodes: readonly SchedulingNode[], byNode: ReadonlyMap<string, readonly Pod[]>, hash: string, nowMs: number, shouldRunOn: ShouldRunFn,
): DaemonSetStatus {
  const counts: Counts = [0, 0, 0, 0, 0, 0];
  for (const node of nodes) addBits(counts, nodeStatusBits(ds, shouldRunOn(node, ds).shouldRun, byNode.get(node.metadata.name ?? ''), hash, nowMs), 1);
  return statusOf(counts);
}

/**
 * What claimObjects does with one candidate pod of `ds` (one it controls, or an orphan of its
 * namespace): keep it, leave it alone, or PATCH it (adopt a matching orphan, release a pod that
 * no longer matches).
 */
export function claimVerdict(pod: Pod, ds: DaemonSet): 'claim' | 'skip' | 'patch' {
  const ref = controllerOf(pod);
  const ownerDeleting = Boolean(ds.metadata.deletionTimestamp);
  const matches = selectorMatches(ds.spec.selector, pod.metadata.labels);
  if (ref) {
    if (ref.uid !== (ds.metadata.uid ?? '')) return 'skip';
    if (matches) return 'claim';
    return ownerDeleting ? 'skip' : 'patch';
  }
  if (ownerDeleting || pod.metadata.deletionTimestamp || !matches) return 'skip';
  return 'patch';
}

/** What a DaemonSet's sync needs, from the table. */
export interface DaemonView {
  /**
   * The counts over the nodes cached now, or over the nodes as they were before the changes in
   * `before` (each changed node's earlier object, null for one that was not there yet).
   */
  status(before?: ReadonlyMap<string, SchedulingNode | null>): DaemonSetStatus;
  /**
   * manage's work in node order: the nodes needing a pod, and the pods to delete; undefined when
   * a pod is for a node that is gone (the full path deletes it).
   */
  plan(): { readonly needing: string[]; readonly toDelete: Pod[] } | undefined;
}

interface NodePart {
  readonly bits: number;
  readonly plan: NodePlan;
}

/** One DaemonSet's pods by node and each node's part, as of its last sync plus the changes marked since. */
interface DaemonState {
  readonly uid: string;
  readonly indexValues: readonly string[];
  template: PodTemplateSpec;
  selector: LabelSelector;
  readonly hash: string;
  readonly generation: string | undefined;
  /** Claimed pods by target node, in cache order (what nodesToDaemonPods groups). */
  readonly byNode: Map<string, Pod[]>;
  /** The node each claimed pod is counted on. */
  readonly podNode: Map<string, string>;
  /** Candidates claimObjects would PATCH: while there are any, the sync takes the full path. */
  readonly patching: Set<string>;
  /** Names in byNode with no Node in the cache (their pods are deleted by the full path). */
  readonly strays: Set<string>;
  readonly parts: Map<string, NodePart>;
  /** Nodes whose plan is not "nothing". */
  readonly attention: Set<string>;
  readonly counts: Counts;
  readonly dirtyPods: Set<string>;
  readonly dirtyNodes: Set<string>;
}

export class DaemonPodTable {
  private readonly states = new Map<string, DaemonState>();
  /** The states a pod with this controller-index value is a candidate of. */
  private readonly byIndexValue = new Map<string, Set<DaemonState>>();

  /** `caches` is read only when a view is asked for, so the table can be made before the informers. */
  constructor(
    private readonly caches: { readonly pods: InformerLike<Pod>; readonly nodes: InformerLike<SchedulingNode> },
    private readonly shouldRun: ShouldRunFn,
  ) {}

  private get pods(): InformerLike<Pod> {
    return this.caches.pods;
  }

  private get nodes(): InformerLike<SchedulingNode> {
    return this.caches.nodes;
  }

  /** A pod was added, changed or deleted (old and/or new object). */
  podChanged(old: Pod | undefined, pod: Pod | undefined): void {
    const key = objectKey((pod ?? old)!);
    for (const obj of [old, pod]) {
      if (!obj) continue;
      for (const state of this.byIndexValue.get(controllerIndexFunc(obj)[0]) ?? []) state.dirtyPods.add(key);
    }
  }

  /** A Node was added, changed or deleted. */
  nodeChanged(name: string): void {
    for (const state of this.states.values()) state.dirtyNodes.add(name);
  }

  /** The DaemonSet is gone: forget its state. */
  forget(uid: string): void {
    const state = this.states.get(uid);
    if (state) this.drop(state);
  }

  /**
   * The counts and plan of `ds` for the nodes and pods cached now, or undefined when the sync must
   * take the full path: claiming would write (an orphan to adopt, a pod to release), or
   * availability depends on the time (minReadySeconds).
   */
  view(ds: DaemonSet, hash: string, nowMs: number): DaemonView | undefined {
    const uid = ds.metadata.uid ?? '';
    let state = this.states.get(uid);
    if ((ds.spec.minReadySeconds ?? 0) > 0 || ds.metadata.deletionTimestamp) {
      if (state) this.drop(state);
      return undefined;
    }
    if (state && !this.fits(state, ds, hash)) {
      this.drop(state);
      state = undefined;
    }
    if (!state) state = this.build(ds, hash, nowMs);
    else this.refresh(state, ds, nowMs);
    if (state.patching.size) return undefined;
    const done = state;
    return {
      status: (before) => {
        if (!before?.size) return statusOf(done.counts);
        const counts: Counts = [...done.counts];
        for (const [name, node] of before) {
          const now = done.parts.get(name);
          if (now) addBits(counts, now.bits, -1);
          if (node) addBits(counts, nodeStatusBits(ds, this.shouldRun(node, ds).shouldRun, done.byNode.get(name), done.hash, nowMs), 1);
        }
        return statusOf(counts);
      },
      plan: () => {
        if (done.strays.size) return undefined;
        const needing: string[] = [];
        const toDelete: Pod[] = [];
        for (const name of [...done.attention].sort((a, b) => a.localeCompare(b))) {
          const plan = done.parts.get(name)?.plan;
          if (plan === 'create') needing.push(name);
          else if (plan) toDelete.push(...plan);
        }
        return { needing, toDelete };
      },
    };
  }

  private fits(state: DaemonState, ds: DaemonSet, hash: string): boolean {
    if (state.hash !== hash || state.generation !== ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]) return false;
    if (state.template !== ds.spec.template) {
      if (!jsonEqual(state.template, ds.spec.template)) return false;
      state.template = ds.spec.template;
    }
    if (state.selector !== ds.spec.selector) {
      if (!jsonEqual(state.selector, ds.spec.selector)) return false;
      state.selector = ds.spec.selector;
    }
    return true;
  }

  private drop(state: DaemonState): void {
    this.states.delete(state.uid);
    for (const value of state.indexValues) {
      const set = this.byIndexValue.get(value);
      set?.delete(state);
      if (set?.size === 0) this.byIndexValue.delete(value);
    }
  }

  private build(ds: DaemonSet, hash: string, nowMs: number): DaemonState {
    const state: DaemonState = {
      uid: ds.metadata.uid ?? '',
      indexValues: controllerIndexValues(ds),
      template: ds.spec.template,
      selector: ds.spec.selector,
      hash,
      generation: ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION],
      byNode: new Map(),
      podNode: new Map(),
      patching: new Set(),
      strays: new Set(),
      parts: new Map(),
      attention: new Set(),
      counts: [0, 0, 0, 0, 0, 0],
      dirtyPods: new Set(),
      dirtyNodes: new Set(),
    };
    this.states.set(state.uid, state);
    for (const value of state.indexValues) {
      let set = this.byIndexValue.get(value);
      if (!set) this.byIndexValue.set(value, (set = new Set()));
      set.add(state);
    }
    for (const pod of this.pods.byIndexes(CONTROLLER_INDEX, state.indexValues)) this.place(state, ds, objectKey(pod), pod);
    for (const name of this.nodes.cache.keys()) this.updateNode(state, ds, name, nowMs);
    for (const name of state.byNode.keys()) if (!this.nodes.cache.has(name)) state.strays.add(name);
    return state;
  }

  private refresh(state: DaemonState, ds: DaemonSet, nowMs: number): void {
    for (const key of state.dirtyPods) {
      const was = state.podNode.get(key);
      if (was !== undefined) {
        const left = (state.byNode.get(was) ?? []).filter((p) => objectKey(p) !== key);
        if (left.length) state.byNode.set(was, left);
        else state.byNode.delete(was);
        state.podNode.delete(key);
        state.dirtyNodes.add(was);
      }
      state.patching.delete(key);
      const pod = this.pods.cache.get(key);
      if (pod && state.indexValues.includes(controllerIndexFunc(pod)[0])) this.place(state, ds, key, pod);
    }
    state.dirtyPods.clear();
    for (const name of state.dirtyNodes) this.updateNode(state, ds, name, nowMs);
    state.dirtyNodes.clear();
  }

  /** Counts a candidate pod as claimObjects and nodesToDaemonPods would. */
  private place(state: DaemonState, ds: DaemonSet, key: string, pod: Pod): void {
    const verdict = claimVerdict(pod, ds);
    if (verdict === 'patch') state.patching.add(key);
    if (verdict !== 'claim') return;
    const node = targetNodeName(pod);
    if (!node) return;
    state.podNode.set(key, node);
    state.dirtyNodes.add(node);
    const list = state.byNode.get(node);
    if (!list) {
      state.byNode.set(node, [pod]);
      return;
    }
    // Keep cache order, as byIndexes returns the candidates.
    const order = this.pods.orderOf(key) ?? Infinity;
    let at = list.length;
    while (at > 0 && (this.pods.orderOf(objectKey(list[at - 1])) ?? Infinity) > order) at--;
    list.splice(at, 0, pod);
  }

  private updateNode(state: DaemonState, ds: DaemonSet, name: string, nowMs: number): void {
    const old = state.parts.get(name);
    if (old) {
      addBits(state.counts, old.bits, -1);
      state.parts.delete(name);
      state.attention.delete(name);
    }
    const onNode = state.byNode.get(name);
    const node = this.nodes.cache.get(name);
    if (onNode && !node) state.strays.add(name);
    else state.strays.delete(name);
    if (!node) return;
    const answer = this.shouldRun(node, ds);
    const part = { bits: nodeStatusBits(ds, answer.shouldRun, onNode, state.hash, nowMs), plan: nodePlan(answer, onNode) };
    state.parts.set(name, part);
    addBits(state.counts, part.bits, 1);
    if (part.plan) state.attention.add(name);
  }
}
