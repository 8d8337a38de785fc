/** Admission for the simulated kube-apiserver: `--enable-admission-plugins=NodeRestriction,DefaultTolerationSeconds`. */
export type { AdmissionPlugin, AdmissionRequest, AdmissionResult } from './types.js';
export { nodeRestriction } from './node-restriction.js';
export {
  defaultTolerationSeconds,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  type DefaultTolerationSecondsOptions,
} from './default-toleration-seconds.js';
export { isKubeletLabel, NODE_RESTRICTION_LABEL_NAMESPACE } from './kubelet-labels.js';
