import type { KubeObject } from '../../../api/meta.js';
import { RBAC_API_VERSION, RBAC_GROUP, type PolicyRule, type Subject } from './types.js';

/**
 * Small builders in the spirit of pkg/apis/rbac/v1/helpers.go (NewRule, NewClusterBinding).
 * Like the Go builders, they de-duplicate and sort verbs, groups, resources and names, so the
 * objects read the way `kubectl get clusterrole -o yaml` shows them.
 */
function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

export const LEGACY = '';

export function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  const out: { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[] } = {
    verbs: sorted(verbs),
    apiGroups: sorted(apiGroups),
    resources: sorted(resources),
  };
  if (resourceNames?.length) out.resourceNames = sorted(resourceNames);
  return out;
}

export function urlRule(verbs: string[], urls: string[]): PolicyRule {
  return { verbs: sorted(verbs), nonResourceURLs: sorted(urls) };
}

/** bootstrappolicy's eventsRule(): every controller may record events in both event APIs. */
export function eventsRule(): PolicyRule {
  return rule(['create', 'update', 'patch'], [LEGACY, 'events.k8s.io'], ['events']);
}

export const READ = ['get', 'list', 'watch'];

/** Labels and annotation kube-apiserver puts on the policy it reconciles at start-up. */
const DEFAULT_METADATA = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

export interface Origin {
  /** True for the policy kube-apiserver itself creates; false for objects kubeadm adds. */
  readonly apiserverDefault: boolean;
}

function meta(name: string, namespace: string | undefined, origin: Origin): KubeObject['metadata'] {
  const base = namespace ? { name, namespace } : { name };
  if (!origin.apiserverDefault) return base;
  return { ...base, labels: { ...DEFAULT_METADATA.labels }, annotations: { ...DEFAULT_METADATA.annotations } };
}

const APISERVER: Origin = { apiserverDefault: true };

export function clusterRole(name: string, rules: PolicyRule[], origin: Origin = APISERVER): KubeObject {
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: meta(name, undefined, origin), rules };
}

export function role(namespace: string, name: string, rules: PolicyRule[], origin: Origin = APISERVER): KubeObject {
  return { apiVersion: RBAC_API_VERSION, kind: 'Role', metadata: meta(name, namespace, origin), rules };
}

export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
export const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
export const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

/** `subjects` undefined leaves the field out, as for the deprecated `system:node` binding. */
export function clusterRoleBinding(name: string, roleName: string, subjects: Subject[] | undefined, origin: Origin = APISERVER): KubeObject {
  const binding: KubeObject = {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: meta(name, undefined, origin),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName },
  };
  if (subjects) binding.subjects = subjects;
  return binding;
}

export function roleBinding(namespace: string, name: string, roleName: string, subjects: Subject[], origin: Origin = APISERVER): KubeObject {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: meta(name, namespace, origin),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: roleName },
    subjects,
  };
}

export const KUBEADM: Origin = { apiserverDefault: false };
