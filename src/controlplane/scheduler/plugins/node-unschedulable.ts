import type { SchedulingPod } from '../types.js';
import { SUCCESS, frozenStatus, type FilterPlugin, type FilterStatus, type NodeInfo } from './framework.js';
import { tolerationsTolerateTaint } from './taint-toleration.js';

/**
 * NodeUnschedulable (pkg/scheduler/framework/plugins/nodeunschedulable): a cordoned node
 * (`spec.unschedulable: true`, what `kubectl cordon` sets) takes no new pods unless the pod
 * tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint.
 */
export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod: SchedulingPod, nodeInfo: NodeInfo): FilterStatus {
    if (!nodeInfo.node.spec?.unschedulable) return SUCCESS(this.name);
    if (tolerationsTolerateTaint(pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return SUCCESS(this.name);
    return UNSCHEDULABLE;
  },
};

const UNSCHEDULABLE = frozenStatus('UnschedulableAndUnresolvable', ['node(s) were unschedulable'], nodeUnschedulable.name);
