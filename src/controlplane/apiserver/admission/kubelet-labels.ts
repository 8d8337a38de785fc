/**
 * Which Node labels a kubelet may set on itself (staging/src/k8s.io/kubelet/pkg/apis/
 * well_known_labels.go, used by NodeRestriction's getForbiddenLabels).
 */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);

const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

/** v1.LabelNamespaceNodeRestriction: reserved for admins to steer workloads with. */
export const NODE_RESTRICTION_LABEL_NAMESPACE = 'node-restriction.kubernetes.io';

function labelNamespace(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

const inNamespace = (ns: string, domain: string) => ns === domain || ns.endsWith(`.${domain}`);

/** IsKubeletLabel: a well-known label, or one under kubelet.kubernetes.io/ or node.kubernetes.io/. */
export function isKubeletLabel(key: string): boolean {
  if (KUBELET_LABELS.has(key)) return true;
  const ns = labelNamespace(key);
  return KUBELET_LABEL_NAMESPACES.some((allowed) => inNamespace(ns, allowed));
}

function isKubernetesLabel(key: string): boolean {
  const ns = labelNamespace(key);
  return inNamespace(ns, 'kubernetes.io') || inNamespace(ns, 'k8s.io');
}

/** getModifiedLabels: keys added, removed or changed between the two label maps. */
export function modifiedLabels(a: Record<string, string> = {}, b: Record<string, string> = {}): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !(k in a) || !(k in b) || a[k] !== b[k]);
}

/** getForbiddenLabels, sorted as sets.String.List() returns them. */
export function forbiddenLabels(modified: readonly string[]): string[] {
  const out = modified.filter(
    (label) => inNamespace(labelNamespace(label), NODE_RESTRICTION_LABEL_NAMESPACE) || (isKubernetesLabel(label) && !isKubeletLabel(label)),
  );
  return [...new Set(out)].sort();
}
