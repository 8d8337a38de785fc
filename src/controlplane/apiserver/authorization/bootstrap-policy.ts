import type { KubeObject } from '../../../api/meta.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './cluster-roles.js';
import { controllerRolesAndBindings, namespacedControllerPolicy } from './controller-roles.js';
import { kubeadmPolicy } from './kubeadm-policy.js';

/**
 * The RBAC objects a kubeadm cluster has before any node joins: kube-apiserver's reconciled
 * defaults (ClusterRoles and ClusterRoleBindings, then the per-controller ones, then the
 * namespaced Roles/RoleBindings), followed by what `kubeadm init` adds. Fresh objects on every
 * call, so callers may store them without sharing state.
 */
export function bootstrapPolicy(): KubeObject[] {
  const objects = [
    ...defaultClusterRoles(),
    ...defaultClusterRoleBindings(),
    ...controllerRolesAndBindings(),
    ...namespacedControllerPolicy(),
    ...kubeadmPolicy(),
  ];
  return objects.map((object) => structuredClone(object));
}
