import type { KubeObject } from '../../../api/meta.js';
import type { AdmissionPlugin, AdmissionRequest, AdmissionResult } from './types.js';
import type { Toleration } from '../../../api/core.js';

/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * on pod CREATE it adds NoExecute tolerations for `node.kubernetes.io/not-ready` and
 * `node.kubernetes.io/unreachable` with tolerationSeconds 300 (kube-apiserver
 * `--default-not-ready-toleration-seconds`, `--default-unreachable-toleration-seconds`), unless
 * the pod already tolerates that taint. This is why a pod on a dead node is evicted after 5
 * minutes rather than at once.
 */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** `--default-not-ready-toleration-seconds`; default 300. */
  readonly notReadySeconds?: number;
  /** `--default-unreachable-toleration-seconds`; default 300. */
  readonly unreachableSeconds?: number;
}

/** An empty key tolerates every taint; an empty effect tolerates every effect. */
function tolerates(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export function defaultTolerationSeconds(opts: DefaultTolerationSecondsOptions = {}): AdmissionPlugin {
  const notReadySeconds = opts.notReadySeconds ?? 300;
  const unreachableSeconds = opts.unreachableSeconds ?? 300;
  return {
    name: 'DefaultTolerationSeconds',
    admit(req: AdmissionRequest): AdmissionResult {
      if (req.operation !== 'CREATE' || req.resource !== 'pods' || req.subresource || !req.object) return { allowed: true };
      const pod = req.object;
      const spec = (pod.spec ?? {}) as { tolerations?: Toleration[] };
      const existing = spec.tolerations ?? [];
      const added: Toleration[] = [];
      if (!tolerates(existing, TAINT_NODE_NOT_READY)) {
        added.push({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReadySeconds });
      }
      if (!tolerates(existing, TAINT_NODE_UNREACHABLE)) {
        added.push({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachableSeconds });
      }
      if (added.length === 0) return { allowed: true };
      const object: KubeObject = { ...pod, spec: { ...spec, tolerations: [...existing.map((t) => ({ ...t })), ...added] } };
      const what = added.map((t) => `${t.key}:NoExecute for ${t.tolerationSeconds}s`).join(' and ');
      return { allowed: true, object, note: `DefaultTolerationSeconds: added tolerations ${what}` };
    },
  };
}
