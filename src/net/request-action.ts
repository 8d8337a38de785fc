import type { Cluster } from '../cluster/cluster.js';
import { walkRequest, type RequestOutcome } from './packet-walk.js';
import { requestOutcomes } from './requests.js';

/**
 * The timeline's `request` action: a packet walk from a pod or node to a URL, hop by hop, run at
 * that moment of virtual time. Each request draws from its own seeded stream, so which endpoint a
 * random rule picks is the same on every replay. The outcome is remembered on the cluster.
 */
export function runRequestAction(cluster: Cluster, event: { from: string; to: string }): RequestOutcome {
  const list = requestOutcomes(cluster);
  const prng = cluster.sim.prng.fork(`request#${list.length}:${event.from}->${event.to}`);
  const outcome = walkRequest(cluster, event.from, event.to, { prng, record: true });
  list.push(outcome);
  return outcome;
}

export { requestOutcomes };
export type { RequestOutcome };
