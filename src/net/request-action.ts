import type { Cluster } from '../cluster/cluster.js';

/** The timeline's `request` action: a packet walk from a pod or node to a URL, hop by hop. */
export function runRequestAction(cluster: Cluster, event: { from: string; to: string }): void {
  throw new Error(`the request action (${event.from} -> ${event.to}) is not available yet in ${cluster.scenario.metadata.name}`);
}
