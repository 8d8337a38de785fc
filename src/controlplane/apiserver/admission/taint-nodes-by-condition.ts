import type { KubeObject } from '../../../api/meta.js';
import type { Taint } from '../../../api/core.js';
import type { AdmissionPlugin, AdmissionRequest, AdmissionResult } from './types.js';
import { TAINT_NODE_NOT_READY } from './default-toleration-seconds.js';

/**
 * The TaintNodesByCondition admission plugin (plugin/pkg/admission/nodetaint): every Node is
 * created with `node.kubernetes.io/not-ready:NoSchedule`, unless it already carries a taint with
 * that key and effect. Without it a new node would take pods in the moment between its
 * registration and the node lifecycle controller's first tainting pass; with it the node is
 * tainted from its first revision, and the node lifecycle controller removes the taint once the
 * kubelet reports Ready=True. The plugin is on by default in kube-apiserver.
 */
export const NOT_READY_NO_SCHEDULE: Taint = { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' };

export function taintNodesByCondition(): AdmissionPlugin {
  return {
    name: 'TaintNodesByCondition',
    admit(req: AdmissionRequest): AdmissionResult {
      if (req.operation !== 'CREATE' || req.resource !== 'nodes' || req.subresource || !req.object) return { allowed: true };
      const node = req.object;
      const spec = (node.spec ?? {}) as { taints?: Taint[] };
      const taints = spec.taints ?? [];
      // Taint.MatchTaint: same key and effect, whatever the value.
      if (taints.some((t) => t.key === NOT_READY_NO_SCHEDULE.key && t.effect === NOT_READY_NO_SCHEDULE.effect)) return { allowed: true };
      const object: KubeObject = { ...node, spec: { ...spec, taints: [...taints.map((t) => ({ ...t })), { ...NOT_READY_NO_SCHEDULE }] } };
      return { allowed: true, object, note: `TaintNodesByCondition: added taint ${TAINT_NODE_NOT_READY}:NoSchedule to the new Node` };
    },
  };
}
