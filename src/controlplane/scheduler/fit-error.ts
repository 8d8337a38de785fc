import type { FilterStatus, NodeInfo } from './plugins/framework.js';
import type { SchedulingPod } from './types.js';

/**
 * The text of a failed scheduling attempt, built as FitError.Error() builds it
 * (pkg/scheduler/framework/types.go): "0/N nodes are available: " + the reasons as
 * "<count> <reason>" sorted as strings, then the preemption plugin's own FitError.
 */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

function count(counts: Map<string, number>, reason: string): void {
  counts.set(reason, (counts.get(reason) ?? 0) + 1);
}

/** "<count> <reason>" for each reason, sorted as strings. */
function histogram(counts: ReadonlyMap<string, number>): string[] {
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}

function nodesAvailable(numAllNodes: number, counts: ReadonlyMap<string, number>): string {
  const sorted = histogram(counts);
  return `0/${numAllNodes} nodes are available:${sorted.length ? ` ${sorted.join(', ')}.` : ''}`;
}

/**
 * DefaultPreemption's PostFilter message. Nodes that failed for an unresolvable reason (a taint,
 * a selector, a cordon) cannot be helped by evicting pods; nodes short of resources could, but
 * only by evicting lower-priority pods. The simulator does not evict, so when a node has such
 * pods it still reports that none were found (see the report of this module's limits).
 */
export function preemptionMessage(pod: SchedulingPod, statuses: ReadonlyMap<string, FilterStatus>, nodeInfos: readonly NodeInfo[]): string {
  if (pod.spec.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const counts = new Map<string, number>();
  for (const info of nodeInfos) {
    const status = statuses.get(info.name);
    count(counts, status?.code === 'Unschedulable' ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling');
  }
  return `preemption: ${nodesAvailable(nodeInfos.length, counts)}`;
}

export function fitErrorMessage(pod: SchedulingPod, statuses: ReadonlyMap<string, FilterStatus>, nodeInfos: readonly NodeInfo[]): string {
  const counts = new Map<string, number>();
  for (const status of statuses.values()) for (const reason of status.reasons) count(counts, reason);
  return `${nodesAvailable(nodeInfos.length, counts)} ${preemptionMessage(pod, statuses, nodeInfos)}`;
}
