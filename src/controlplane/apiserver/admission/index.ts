/**
 * Admission for the simulated kube-apiserver: NodeRestriction (kubeadm's
 * `--enable-admission-plugins=NodeRestriction`), and TaintNodesByCondition and
 * DefaultTolerationSeconds, which kube-apiserver enables by default.
 */
export type { AdmissionPlugin, AdmissionRequest, AdmissionResult } from './types.js';
export { nodeRestriction } from './node-restriction.js';
export { taintNodesByCondition, NOT_READY_NO_SCHEDULE } from './taint-nodes-by-condition.js';
export {
  defaultTolerationSeconds,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  type DefaultTolerationSecondsOptions,
} from './default-toleration-seconds.js';
export { isKubeletLabel, NODE_RESTRICTION_LABEL_NAMESPACE } from './kubelet-labels.js';
