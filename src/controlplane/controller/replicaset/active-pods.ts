import { virtualMs } from '../../../sim/clock.js';
import type { Pod } from './types.js';

/**
 * Pod helpers from pkg/controller/controller_utils.go: which pods count as active, which are
 * ready and available, and in which order surplus pods are deleted (ActivePodsWithRanks).
 */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** FilterActivePods: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = ready.lastTransitionTime ? virtualMs(ready.lastTransitionTime) : nowMs;
  return since + minReadySeconds * 1000 <= nowMs;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readyTimeMs(pod: Pod): number | undefined {
  const ready = readyCondition(pod);
  return ready?.status === 'True' && ready.lastTransitionTime ? virtualMs(ready.lastTransitionTime) : undefined;
}

const restarts = (pod: Pod): number => Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
const cost = (pod: Pod): number => Number(pod.metadata.annotations?.[POD_DELETION_COST] ?? 0) || 0;

/**
 * ActivePodsWithRanks.Less: the pod to delete first comes first. Unscheduled before scheduled,
 * Pending before Unknown before Running, not ready before ready, lower deletion cost first,
 * pods doubled up on a node (higher rank) first, ready for less time first, more restarts first,
 * newer first.
 */
export function sortPodsForDeletion(pods: readonly Pod[]): Pod[] {
  const perNode = new Map<string, number>();
  for (const pod of pods) if (pod.spec.nodeName) perNode.set(pod.spec.nodeName, (perNode.get(pod.spec.nodeName) ?? 0) + 1);
  const rank = (pod: Pod): number => (pod.spec.nodeName ? perNode.get(pod.spec.nodeName) ?? 0 : 0);
  const compare = (a: Pod, b: Pod): number => {
    if (Boolean(a.spec.nodeName) !== Boolean(b.spec.nodeName)) return a.spec.nodeName ? 1 : -1;
    const phase = (PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0) - (PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0);
    if (phase) return phase;
    if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
    if (cost(a) !== cost(b)) return cost(a) - cost(b);
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    const ra = readyTimeMs(a);
    const rb = readyTimeMs(b);
    if (ra !== rb) return (rb ?? Infinity) - (ra ?? Infinity);
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    const ca = a.metadata.creationTimestamp ?? '';
    const cb = b.metadata.creationTimestamp ?? '';
    if (ca !== cb) return ca > cb ? -1 : 1;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? 1 : -1;
  };
  return [...pods].sort(compare);
}
