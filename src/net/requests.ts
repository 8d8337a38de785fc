import type { RequestOutcome } from './packet-walk.js';

/** The outcomes of the `request` actions a cluster has run, in order; expectations read them. */
const outcomes = new WeakMap<object, RequestOutcome[]>();

/** The request outcomes of the cluster `cluster`, oldest first (a live list). */
export function requestOutcomes(cluster: object): RequestOutcome[] {
  let list = outcomes.get(cluster);
  if (!list) outcomes.set(cluster, (list = []));
  return list;
}
