import type { FilterStatus, NodeInfo } from './plugins/framework.js';
import type { SchedulingPod } from './types.js';

/**
 * findNodesThatPassFilters (pkg/scheduler/schedule_one.go): in a big cluster kube-scheduler stops
 * filtering once it has found enough feasible nodes (percentageOfNodesToScore, adaptive by
 * default), and the next pod starts where this one stopped, so every node gets its turn. Clusters
 * under 100 nodes are always searched in full, from the same first node.
 */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * numFeasibleNodesToFind with the default percentageOfNodesToScore (0: adaptive):
 * 50% minus 1% per 125 nodes, never under 5%, and never fewer than 100 nodes.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) percentage = Math.max(50 - Math.trunc(numAllNodes / 125), MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}

export interface FilterResult {
  /** Nodes that passed every filter, in the order they were checked. */
  readonly feasible: NodeInfo[];
  /** The first failing filter of each rejected node. */
  readonly statuses: Map<string, FilterStatus>;
  /** The nodes checked, in the order they were checked (all of them unless the search stopped early). */
  readonly evaluated: readonly NodeInfo[];
  /** How many feasible nodes the search was allowed to stop at. */
  readonly numNodesToFind: number;
  /** Where the search started, and where the next one starts. */
  readonly startIndex: number;
  readonly nextStartIndex: number;
}

export function findNodesThatPassFilters(
  pod: SchedulingPod,
  nodes: readonly NodeInfo[],
  startIndex: number,
  filter: (pod: SchedulingPod, info: NodeInfo) => FilterStatus | undefined,
): FilterResult {
  const numNodesToFind = numFeasibleNodesToFind(nodes.length);
  const feasible: NodeInfo[] = [];
  const statuses = new Map<string, FilterStatus>();
  const start = nodes.length ? startIndex % nodes.length : 0;
  let processed = 0;
  while (processed < nodes.length && feasible.length < numNodesToFind) {
    const info = nodes[(start + processed) % nodes.length];
    processed++;
    const status = filter(pod, info);
    if (status) statuses.set(info.name, status);
    else feasible.push(info);
  }
  const evaluated = processed === nodes.length && start === 0 ? nodes : rotated(nodes, start, processed);
  return { feasible, statuses, evaluated, numNodesToFind, startIndex: start, nextStartIndex: nodes.length ? (start + processed) % nodes.length : 0 };
}

function rotated(nodes: readonly NodeInfo[], start: number, count: number): NodeInfo[] {
  const out: NodeInfo[] = [];
  for (let i = 0; i < count; i++) out.push(nodes[(start + i) % nodes.length]);
  return out;
}
