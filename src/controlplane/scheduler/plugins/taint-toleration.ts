import type { SchedulingNode, SchedulingPod, Taint, Toleration } from '../types.js';
import { SUCCESS, frozenStatus, type FilterPlugin, type FilterStatus, type NodeInfo } from './framework.js';

/**
 * TaintToleration (pkg/scheduler/framework/plugins/tainttoleration): a node with a NoSchedule or
 * NoExecute taint the pod does not tolerate is filtered out. The node lifecycle controller's
 * not-ready/unreachable taints are what keep pods off dead nodes; the scheduler never reads the
 * Ready condition itself.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** v1helper.FindMatchingUntoleratedTaint with the DoNotSchedule filter: the first blocking taint. */
export function findUntoleratedTaint(pod: SchedulingPod, node: SchedulingNode): Taint | undefined {
  return (node.spec?.taints ?? []).find(
    (taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerationsTolerateTaint(pod.spec.tolerations, taint),
  );
}

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod: SchedulingPod, nodeInfo: NodeInfo): FilterStatus {
    const taint = findUntoleratedTaint(pod, nodeInfo.node);
    if (!taint) return SUCCESS(this.name);
    // One status per taint object: a tainted node turns away every pod it sees the same way.
    let status = untolerated.get(taint);
    if (!status) untolerated.set(taint, (status = frozenStatus('UnschedulableAndUnresolvable', [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], this.name)));
    return status;
  },
};

const untolerated = new WeakMap<Taint, FilterStatus>();
