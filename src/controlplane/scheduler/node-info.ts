import { objectKey } from '../client/informer.js';
import type { NodeInfo, Resources } from './plugins/framework.js';
import { allocatableOf, podRequests } from './plugins/node-resources-fit.js';
import type { SchedulingNode, SchedulingPod } from './types.js';

/**
 * The scheduler cache's snapshot (pkg/scheduler/backend/cache): one NodeInfo per node with the
 * pods counted on it. Assumed pods (bound in the scheduler's mind, the Binding still in flight)
 * count on their chosen node, so two pods scheduled back to back never take the same free space.
 * `buildNodeInfos` computes it from scratch, from every node and pod: the definition that
 * SchedulerCache, which keeps it up to date event by event, is tested against.
 */
export interface AssumedPod {
  readonly pod: SchedulingPod;
  readonly nodeName: string;
}

function add(a: Resources, b: Resources): Resources {
  return { milliCpu: a.milliCpu + b.milliCpu, memory: a.memory + b.memory };
}

export function buildNodeInfos(
  nodes: readonly SchedulingNode[],
  pods: readonly SchedulingPod[],
  assumed: ReadonlyMap<string, AssumedPod>,
): NodeInfo[] {
  const byNode = new Map<string, SchedulingPod[]>();
  const place = (nodeName: string, pod: SchedulingPod): void => {
    const list = byNode.get(nodeName) ?? [];
    list.push(pod);
    byNode.set(nodeName, list);
  };
  const bound = new Set<string>();
  for (const pod of pods) {
    if (!pod.spec.nodeName) continue;
    bound.add(objectKey(pod));
    place(pod.spec.nodeName, pod);
  }
  for (const [key, entry] of assumed) if (!bound.has(key)) place(entry.nodeName, entry.pod);
  const sorted = [...nodes].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  return sorted.map((node) => {
    const name = node.metadata.name ?? '';
    const onNode = byNode.get(name) ?? [];
    let requested: Resources = { milliCpu: 0, memory: 0 };
    let nonZeroRequested: Resources = { milliCpu: 0, memory: 0 };
    for (const pod of onNode) {
      requested = add(requested, podRequests(pod));
      nonZeroRequested = add(nonZeroRequested, podRequests(pod, true));
    }
    return { node, name, requested, nonZeroRequested, allocatable: allocatableOf(node.status?.allocatable), pods: onNode };
  });
}
