/**
 * The object kinds a scenario may name, and how it may name them: full manifests use the Kind
 * (`Deployment`), `kubectl`-style targets use the short words kubectl accepts (`deployment/web`,
 * `deploy/web`, `pods -l app=web`). The simulator's kubectl (src/cluster/kubectl.ts parseTarget)
 * resolves targets with the same table, so a target that validates is one the run can find.
 */
import { RESOURCES, apiVersionOf, resourceForKind, type ResourceInfo } from '../controlplane/apiserver/resources.js';

/** kubectl's words for a kind; the simulator's kubectl resolves targets with this table. */
export const KIND_WORDS: Readonly<Record<string, string>> = {
  deployment: 'Deployment', deployments: 'Deployment', deploy: 'Deployment',
  replicaset: 'ReplicaSet', replicasets: 'ReplicaSet', rs: 'ReplicaSet',
  pod: 'Pod', pods: 'Pod', po: 'Pod',
  service: 'Service', services: 'Service', svc: 'Service',
  node: 'Node', nodes: 'Node', no: 'Node',
  configmap: 'ConfigMap', cm: 'ConfigMap', secret: 'Secret', namespace: 'Namespace', ns: 'Namespace',
};

/** The Kind a target word means (`deploy` => `Deployment`; a Kind itself also works), or undefined. */
export function kindOfWord(word: string): string | undefined {
  // Own words only: `constructor/x` names no kind (Object.prototype's members are not kinds).
  const lower = word.toLowerCase();
  if (Object.hasOwn(KIND_WORDS, lower)) return KIND_WORDS[lower];
  return resourceForKind(word)?.kind;
}

/** The served kinds, for messages and suggestions. */
export function servedKinds(): string[] {
  return RESOURCES.map((info) => info.kind);
}

export { apiVersionOf, resourceForKind, type ResourceInfo };

/**
 * Condition types each kind reports (core/v1 and apps/v1 types.go). A `condition=` on one of
 * these kinds must name one of them, or the expectation could never hold.
 */
export const CONDITION_TYPES: Readonly<Record<string, readonly string[]>> = {
  Node: ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'],
  Pod: ['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'DisruptionTarget'],
  Deployment: ['Available', 'Progressing', 'ReplicaFailure'],
  ReplicaSet: ['ReplicaFailure'],
  CertificateSigningRequest: ['Approved', 'Denied', 'Failed'],
};

/** A condition's status is one of these three words, capitalised as the API writes them. */
export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

/** Namespaces kubeadm creates; a manifest elsewhere needs a Namespace manifest of its own. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Kinds whose objects controllers create with generated names: `<owner>-<suffix>`. */
export const GENERATED_BY: Readonly<Record<string, readonly string[]>> = {
  Pod: ['Deployment', 'ReplicaSet', 'DaemonSet'],
  ReplicaSet: ['Deployment'],
};
