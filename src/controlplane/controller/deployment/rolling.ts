import type { ReplicaSet } from '../replicaset/types.js';
import { byCreation, maxSurge, maxUnavailable, specReplicas, sumSpec, sumStatus } from './deployment-util.js';
import type { Deployment } from './types.js';

/**
 * The arithmetic of a rolling update (pkg/controller/deployment/rolling.go), kept pure: each
 * function says how many replicas each ReplicaSet should have next, and the controller does it.
 * New pods are added only while the total stays within replicas + maxSurge; old pods are removed
 * only while the available count stays at or above replicas - maxUnavailable.
 */
export interface ScaleStep {
  readonly rs: ReplicaSet;
  readonly to: number;
  /** Why, in a phrase a learner can read. */
  readonly reason: string;
}

/** NewRSNewReplicas: the new ReplicaSet grows by what the surge budget leaves. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const desired = d.spec.replicas ?? 1;
  const current = newRS ? specReplicas(newRS) : 0;
  const currentPodCount = sumSpec(allRSs);
  const maxTotal = desired + maxSurge(d);
  if (currentPodCount >= maxTotal) return current;
  return current + Math.min(maxTotal - currentPodCount, desired - current);
}

/** reconcileNewReplicaSet: scale the new ReplicaSet up within maxSurge, or down if over the target. */
export function reconcileNewReplicaSet(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): ScaleStep | undefined {
  const desired = d.spec.replicas ?? 1;
  const current = specReplicas(newRS);
  if (current === desired) return undefined;
  if (current > desired) return { rs: newRS, to: desired, reason: `the Deployment wants only ${desired}` };
  const to = newRSNewReplicas(d, allRSs, newRS);
  if (to === current) return undefined;
  return { rs: newRS, to, reason: `maxSurge ${maxSurge(d)} allows at most ${desired + maxSurge(d)} pods in total` };
}

/**
 * reconcileOldReplicaSets: first drop old pods that are not available anyway
 * (cleanupUnhealthyReplicas), then old available ones as far as maxUnavailable allows
 * (scaleDownOldReplicaSetsForRollingUpdate); oldest ReplicaSets first.
 */
export function reconcileOldReplicaSets(d: Deployment, oldRSs: readonly ReplicaSet[], newRS: ReplicaSet): ScaleStep[] {
  const desired = d.spec.replicas ?? 1;
  const target = new Map(oldRSs.map((rs) => [rs, specReplicas(rs)]));
  const sorted = [...oldRSs].sort(byCreation);
  if (sumSpec(oldRSs) === 0) return [];
  const minAvailable = desired - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpec([...oldRSs, newRS]) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    const replicas = target.get(rs)!;
    const unhealthy = replicas - (rs.status?.availableReplicas ?? 0);
    if (replicas === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    target.set(rs, replicas - down);
    cleaned += down;
  }
  const available = sumStatus([...oldRSs, newRS], 'availableReplicas');
  let budget = Math.max(0, available - minAvailable);
  for (const rs of sorted) {
    if (budget <= 0) break;
    const replicas = target.get(rs)!;
    const down = Math.min(replicas, budget);
    target.set(rs, replicas - down);
    budget -= down;
  }
  return sorted
    .filter((rs) => target.get(rs) !== specReplicas(rs))
    .map((rs) => ({ rs, to: target.get(rs)!, reason: `maxUnavailable ${maxUnavailable(d)} keeps at least ${minAvailable} pods available` }));
}
