import { parseBytes, parseCount, parseCpuMillis } from '../../../scenario/quantity.js';
import type { ResourceList, SchedulingContainer, SchedulingPod } from '../types.js';
import { SUCCESS, type FilterPlugin, type FilterStatus, type NodeInfo, type Resources } from './framework.js';

/**
 * NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go and least_allocated.go):
 * the filter checks the pod's requests against what is left of the node's allocatable; the
 * LeastAllocated score prefers the node with the most room left, cpu and memory weighted equally.
 */
export const MAX_NODE_SCORE = 100;
/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what a pod without requests counts as when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const cpuOf = (list: ResourceList | undefined): number | undefined => (list?.cpu === undefined ? undefined : orZero(parseCpuMillis(list.cpu)));
const memoryOf = (list: ResourceList | undefined): number | undefined => (list?.memory === undefined ? undefined : orZero(parseBytes(list.memory)));

function orZero(result: { ok: true; value: number } | { ok: false }): number {
  return result.ok ? result.value : 0;
}

/** A container's requests; API defaulting copies limits into missing requests, so limits stand in for them. */
function containerRequests(c: SchedulingContainer, nonZero: boolean): Resources {
  const cpu = cpuOf(c.resources?.requests) ?? cpuOf(c.resources?.limits);
  const memory = memoryOf(c.resources?.requests) ?? memoryOf(c.resources?.limits);
  return {
    milliCpu: cpu ?? (nonZero ? DEFAULT_MILLI_CPU_REQUEST : 0),
    memory: memory ?? (nonZero ? DEFAULT_MEMORY_REQUEST : 0),
  };
}

/**
 * computePodResourceRequest: app containers and sidecars add up; a regular init container runs
 * alone, so the pod needs the larger of the two. Pod overhead comes on top.
 */
export function podRequests(pod: SchedulingPod, nonZero = false): Resources {
  // Stored objects are never mutated, so a pod's requests are computed once per pod object
  // (a new resourceVersion is a new object), as the scheduler cache's PodInfo keeps them.
  const memo = nonZero ? nonZeroRequestsMemo : requestsMemo;
  let requests = memo.get(pod);
  if (!requests) memo.set(pod, (requests = computePodRequests(pod, nonZero)));
  return requests;
}

const requestsMemo = new WeakMap<SchedulingPod, Resources>();
const nonZeroRequestsMemo = new WeakMap<SchedulingPod, Resources>();

function computePodRequests(pod: SchedulingPod, nonZero: boolean): Resources {
  let milliCpu = 0;
  let memory = 0;
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...pod.spec.containers, ...sidecars]) {
    const r = containerRequests(c, nonZero);
    milliCpu += r.milliCpu;
    memory += r.memory;
  }
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') continue;
    const r = containerRequests(c, false);
    milliCpu = Math.max(milliCpu, r.milliCpu);
    memory = Math.max(memory, r.memory);
  }
  milliCpu += cpuOf(pod.spec.overhead) ?? 0;
  memory += memoryOf(pod.spec.overhead) ?? 0;
  return Object.freeze({ milliCpu, memory });
}

export function allocatableOf(list: ResourceList | undefined): Resources & { pods: number } {
  return {
    milliCpu: cpuOf(list) ?? 0,
    memory: memoryOf(list) ?? 0,
    pods: list?.pods === undefined ? 0 : orZero(parseCount(list.pods)),
  };
}

/** fitsRequest: every shortage, in the order the real plugin reports them. */
export function insufficientResources(request: Resources, nodeInfo: NodeInfo): string[] {
  const reasons: string[] = [];
  if (nodeInfo.pods.length + 1 > nodeInfo.allocatable.pods) reasons.push('Too many pods');
  if (request.milliCpu === 0 && request.memory === 0) return reasons;
  if (request.milliCpu > 0 && nodeInfo.allocatable.milliCpu < request.milliCpu + nodeInfo.requested.milliCpu) reasons.push('Insufficient cpu');
  if (request.memory > 0 && nodeInfo.allocatable.memory < request.memory + nodeInfo.requested.memory) reasons.push('Insufficient memory');
  return reasons;
}

export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(pod: SchedulingPod, nodeInfo: NodeInfo): FilterStatus {
    const reasons = insufficientResources(podRequests(pod), nodeInfo);
    // Unschedulable, not ...AndUnresolvable: evicting lower-priority pods could make room.
    return reasons.length ? { code: 'Unschedulable', reasons, plugin: this.name } : SUCCESS(this.name);
  },
};

/** leastRequestedScore: the share of the resource left free after placing the pod, 0-100. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export interface LeastAllocatedScore {
  readonly score: number;
  readonly cpu: number;
  readonly memory: number;
}

/** The LeastAllocated strategy with the default weights (cpu 1, memory 1), on non-zero requests. */
export function leastAllocatedScore(pod: SchedulingPod, nodeInfo: NodeInfo): LeastAllocatedScore {
  const request = podRequests(pod, true);
  const cpu = leastRequestedScore(nodeInfo.nonZeroRequested.milliCpu + request.milliCpu, nodeInfo.allocatable.milliCpu);
  const memory = leastRequestedScore(nodeInfo.nonZeroRequested.memory + request.memory, nodeInfo.allocatable.memory);
  return { score: Math.floor((cpu + memory) / 2), cpu, memory };
}
