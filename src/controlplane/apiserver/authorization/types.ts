import type { Attributes, AuthorizationResult, KubeObject } from '../../../api/meta.js';
import type { NodeGraphIndex } from './node-graph-index.js';

/** Read access to stored objects, by resource plural ('pods', 'nodes', 'clusterroles', ...). */
export interface ObjectLookup {
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: string, namespace?: string): readonly KubeObject[];
  /**
   * The Node authorizer's graph, kept current as pods change, when the lookup has one (the API
   * server's does). Without it the Node authorizer derives the same answers from `list('pods')`.
   */
  readonly nodeGraph?: NodeGraphIndex;
}

/**
 * authorizer.Authorizer: one link of kube-apiserver's `--authorization-mode=Node,RBAC` chain.
 * `no-opinion` hands the request to the next authorizer; its reason still ends up in the 403.
 */
export interface Authorizer {
  readonly name: string;
  authorize(attrs: Attributes): AuthorizationResult;
}

/**
 * What an authorizer answers, plus the line the real one would only log at klog -v=2
 * (`NODE DENY: ...`), so a step can show it without putting it into the 403 body.
 */
export interface AuthorizerDecision extends AuthorizationResult {
  readonly detail?: string;
}

/** rbac.authorization.k8s.io/v1 PolicyRule. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

/** rbac.authorization.k8s.io/v1 Subject. */
export interface Subject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  readonly apiGroup?: string;
  readonly namespace?: string;
}

/** rbac.authorization.k8s.io/v1 RoleRef. */
export interface RoleRef {
  readonly apiGroup: string;
  readonly kind: 'ClusterRole' | 'Role';
  readonly name: string;
}

/** The fields of a Role/ClusterRole the authorizer reads. */
export interface RoleObject extends KubeObject {
  rules?: PolicyRule[] | null;
}

/** The fields of a RoleBinding/ClusterRoleBinding the authorizer reads. */
export interface BindingObject extends KubeObject {
  roleRef: RoleRef;
  subjects?: Subject[] | null;
}

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
