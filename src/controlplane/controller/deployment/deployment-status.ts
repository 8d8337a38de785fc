import { virtualMs } from '../../../sim/clock.js';
import type { ReplicaSet } from '../replicaset/types.js';
import {
  deploymentComplete, deploymentProgressing, getCondition, maxUnavailable, newCondition, setCondition, sumSpec, sumStatus,
} from './deployment-util.js';
import type { Deployment, DeploymentStatus } from './types.js';

/**
 * The Deployment's status (pkg/controller/deployment/sync.go calculateStatus and
 * progress.go syncRolloutStatus), computed without side effects: counts summed over its
 * ReplicaSets, the Available condition, and the Progressing condition with its deadline.
 */
const MAX_INT32 = 2147483647;

export function hasProgressDeadline(d: Deployment): boolean {
  const seconds = d.spec.progressDeadlineSeconds;
  return seconds !== undefined && seconds !== MAX_INT32;
}

/** Zero counts are left out, as Go's omitempty leaves them out of the JSON. */
function compact(status: DeploymentStatus): DeploymentStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) if (v !== undefined && v !== 0 && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out as DeploymentStatus;
}

/** calculateStatus: counts plus Available, which holds while available >= replicas - maxUnavailable. */
export function calculateStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: string): DeploymentStatus {
  const available = sumStatus(allRSs, 'availableReplicas');
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatus(allRSs, 'replicas'),
    updatedReplicas: newRS ? sumStatus([newRS], 'replicas') : 0,
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(allRSs) - available),
    conditions: [...(d.status?.conditions ?? [])],
    collisionCount: d.status?.collisionCount,
  };
  if (available >= (d.spec.replicas ?? 1) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
  }
  return compact(status);
}

function timedOut(d: Deployment, status: DeploymentStatus, nowMs: number): boolean {
  const condition = getCondition(status, 'Progressing');
  if (!condition || condition.reason === 'NewReplicaSetAvailable') return false;
  if (condition.reason === 'ProgressDeadlineExceeded') return true;
  return virtualMs(condition.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/** syncRolloutStatus's new status: Progressing says complete, progressing, or timed out. */
export function rolloutStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: string, nowMs: number): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) {
    status.conditions = status.conditions?.filter((c) => c.type !== 'Progressing');
    return status;
  }
  const current = getCondition(d.status, 'Progressing');
  const rsName = newRS?.metadata.name;
  const subject = rsName ? `ReplicaSet "${rsName}"` : `Deployment "${d.metadata.name}"`;
  if (status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable') return status;
  if (deploymentComplete(d, status)) {
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', `${subject} has successfully progressed.`, now));
  } else if (deploymentProgressing(d, status)) {
    // Progress refreshes lastUpdateTime even with the same reason; the transition time stays while True.
    const condition = newCondition('Progressing', 'True', 'ReplicaSetUpdated', `${subject} is progressing.`, now);
    if (current?.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
    status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'Progressing'), condition];
  } else if (timedOut(d, status, nowMs)) {
    setCondition(status, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', `${subject} has timed out progressing.`, now));
  }
  return status;
}

/** requeueStuckDeployment: when to look again to notice a missed progress deadline (ms), if at all. */
export function stuckRequeueMs(d: Deployment, status: DeploymentStatus, nowMs: number): number | undefined {
  const current = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, status) || current.reason === 'ProgressDeadlineExceeded') return undefined;
  const afterMs = virtualMs(current.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  return afterMs < 1000 ? 1000 : afterMs + 1000;
}
