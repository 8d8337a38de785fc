import type { NodeInfo } from './plugins/framework.js';
import { allocatableOf, podRequests } from './plugins/node-resources-fit.js';
import type { AssumedPod } from './node-info.js';
import type { SchedulingNode, SchedulingPod } from './types.js';

/**
 * kube-scheduler's cache (pkg/scheduler/backend/cache/cache.go): one NodeInfo per node, kept up
 * to date from the node and pod informers' events and from the scheduler's own assumptions,
 * instead of rebuilt from every pod on each attempt. A pod counts on a node when the informer
 * has it bound there, or, while its Binding is in flight, when the scheduler assumed it there.
 * `snapshot()` hands out the NodeInfos sorted by node name, as `buildNodeInfos` would build them
 * from scratch; only the nodes that changed since the last snapshot are recomputed
 * (UpdateSnapshot's generation check).
 */
interface NodeState {
  readonly name: string;
  node: SchedulingNode | undefined;
  /** The pods counted on this node, by namespace/name. */
  readonly pods: Map<string, SchedulingPod>;
  info: NodeInfo | undefined;
}

/** Where one pod currently counts. */
interface Placement {
  readonly nodeName: string;
  readonly pod: SchedulingPod;
}

export class SchedulerCache {
  private readonly states = new Map<string, NodeState>();
  /** Bound pods as the pod informer last reported them. */
  private readonly bound = new Map<string, SchedulingPod>();
  private readonly assumedPods = new Map<string, AssumedPod>();
  private readonly placements = new Map<string, Placement>();
  /** Names of the nodes that have a Node object, sorted, and their NodeInfos in the same order. */
  private readonly names: string[] = [];
  private readonly infos: NodeInfo[] = [];
  private readonly dirty = new Set<string>();
  private changes = 0;

  /** The assume cache: pods whose Binding is in flight or not yet seen back through the watch. */
  get assumed(): ReadonlyMap<string, AssumedPod> {
    return this.assumedPods;
  }

  get nodeCount(): number {
    return this.names.length;
  }

  /** Counts changes to what a snapshot holds: equal between two snapshots, they hold the same. */
  get generation(): number {
    return this.changes;
  }

  /** AddNode / UpdateNode. */
  setNode(node: SchedulingNode): void {
    const name = node.metadata.name ?? '';
    const state = this.state(name);
    if (!state.node) {
      const index = this.position(name);
      this.names.splice(index, 0, name);
      this.infos.splice(index, 0, undefined as unknown as NodeInfo);
    }
    state.node = node;
    this.touch(state);
  }

  /** RemoveNode: the node leaves the snapshot; pods still bound to it keep counting there. */
  removeNode(name: string): void {
    const state = this.states.get(name);
    if (!state?.node) return;
    const index = this.position(name);
    this.names.splice(index, 1);
    this.infos.splice(index, 1);
    this.changes++;
    state.node = undefined;
    state.info = undefined;
    this.dirty.delete(name);
  }

  /** AddPod / UpdatePod: the pod informer's current object for `key` (bound or not). */
  setPod(key: string, pod: SchedulingPod): void {
    if (pod.spec.nodeName) this.bound.set(key, pod);
    else this.bound.delete(key);
    this.place(key);
  }

  /** RemovePod: the pod left the informer. */
  removePod(key: string): void {
    this.bound.delete(key);
    this.place(key);
  }

  /** AssumePod: count `pod` on `nodeName` until the informer shows it bound or the assumption is forgotten. */
  assume(key: string, pod: SchedulingPod, nodeName: string): void {
    this.assumedPods.set(key, { pod, nodeName });
    this.place(key);
  }

  /** ForgetPod / FinishBinding: drop the assumption. */
  forget(key: string): void {
    if (!this.assumedPods.delete(key)) return;
    this.place(key);
  }

  /**
   * The NodeInfo of every node, sorted by name: UpdateSnapshot, which refreshes only the nodes
   * that changed. A NodeInfo never changes once handed out (a changed node gets a new one), but
   * the array itself is the cache's and is brought up to date by the next call, as the real
   * snapshot is at the start of each scheduling cycle; read it before the cache changes again.
   */
  snapshot(): readonly NodeInfo[] {
    for (const name of this.dirty) {
      const state = this.states.get(name)!;
      if (state.node) this.infos[this.position(name)] = this.info(state);
    }
    this.dirty.clear();
    return this.infos;
  }

  /** Recomputes where `key` counts and moves it between nodes when that changed. */
  private place(key: string): void {
    const boundPod = this.bound.get(key);
    const assumed = boundPod ? undefined : this.assumedPods.get(key);
    const next: Placement | undefined = boundPod ? { nodeName: boundPod.spec.nodeName!, pod: boundPod } : assumed;
    const current = this.placements.get(key);
    if (current && next && current.nodeName === next.nodeName && current.pod === next.pod) return;
    if (current) {
      const state = this.states.get(current.nodeName)!;
      state.pods.delete(key);
      this.touch(state);
      if (!state.node && state.pods.size === 0) this.states.delete(state.name);
    }
    if (next) {
      this.placements.set(key, { nodeName: next.nodeName, pod: next.pod });
      const state = this.state(next.nodeName);
      state.pods.set(key, next.pod);
      this.touch(state);
    } else this.placements.delete(key);
  }

  private state(name: string): NodeState {
    let state = this.states.get(name);
    if (!state) this.states.set(name, (state = { name, node: undefined, pods: new Map(), info: undefined }));
    return state;
  }

  private touch(state: NodeState): void {
    this.changes++;
    state.info = undefined;
    if (state.node) this.dirty.add(state.name);
  }

  private info(state: NodeState): NodeInfo {
    if (state.info) return state.info;
    const pods = [...state.pods.values()];
    let milliCpu = 0;
    let memory = 0;
    let nonZeroMilliCpu = 0;
    let nonZeroMemory = 0;
    for (const pod of pods) {
      const requests = podRequests(pod);
      const nonZero = podRequests(pod, true);
      milliCpu += requests.milliCpu;
      memory += requests.memory;
      nonZeroMilliCpu += nonZero.milliCpu;
      nonZeroMemory += nonZero.memory;
    }
    const node = state.node!;
    state.info = {
      node,
      name: state.name,
      requested: { milliCpu, memory },
      nonZeroRequested: { milliCpu: nonZeroMilliCpu, memory: nonZeroMemory },
      allocatable: allocatableOf(node.status?.allocatable),
      pods,
    };
    return state.info;
  }

  /** Index of `name` in the sorted names, or where it would be inserted (byte order, as Go sorts). */
  private position(name: string): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.names[mid] < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
