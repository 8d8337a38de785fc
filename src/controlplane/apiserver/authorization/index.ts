/** Authorization for the simulated kube-apiserver: `--authorization-mode=Node,RBAC`. */
export type { Authorizer, AuthorizerDecision, BindingObject, ObjectLookup, PolicyRule, RoleObject, RoleRef, Subject } from './types.js';
export { createNodeAuthorizer, type NodeAuthorizerOptions } from './node-authorizer.js';
export { createRbacAuthorizer } from './rbac-authorizer.js';
export { unionAuthorizer } from './union.js';
export { forbiddenMessage, forbiddenStatus } from './forbidden.js';
export { bootstrapPolicy } from './bootstrap-policy.js';
export { CONTROLLER_SERVICE_ACCOUNTS } from './controller-roles.js';
export { NODE_BOOTSTRAP_TOKEN_GROUP } from './kubeadm-policy.js';
export { NODE_RULES } from './node-rules.js';
export { effectiveName, nodeIdentity, parseFieldSelector, serviceAccountUsername } from './attributes.js';
export { ruleAllows, rulesAllow } from './rule-matching.js';
export { staticLookup, resourceOfKind } from './static-lookup.js';
export { MIRROR_POD_ANNOTATION } from './node-graph.js';
