import { LEGACY, READ, rule } from './policy-builders.js';
import type { PolicyRule } from './types.js';

/**
 * bootstrappolicy.NodeRules(): the static rules the Node authorizer checks for every request it
 * does not subdivide (services, events, CSRs, tokenreviews, ...). They are also the rules of the
 * `system:node` ClusterRole, whose binding has had no subjects since 1.8.
 */
export const NODE_RULES: readonly PolicyRule[] = [
  // Needed to check API access. These creates are non-mutating.
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews', 'localsubjectaccessreviews']),
  // Needed to build the serviceLister, to populate env vars for services.
  rule(READ, [LEGACY], ['services']),
  // Nodes can register Node API objects and report status; NodeRestriction limits them to their own.
  rule(['create', 'get', 'list', 'watch'], [LEGACY], ['nodes']),
  rule(['update', 'patch'], [LEGACY], ['nodes/status']),
  rule(['update', 'patch'], [LEGACY], ['nodes']),
  rule(['create', 'update', 'patch'], [LEGACY], ['events']),
  rule(READ, [LEGACY], ['pods']),
  // Mirror pods; NodeRestriction limits them to pods bound to the node.
  rule(['create', 'delete'], [LEGACY], ['pods']),
  rule(['update', 'patch'], [LEGACY], ['pods/status']),
  rule(['create'], [LEGACY], ['pods/eviction']),
  rule(READ, [LEGACY], ['secrets', 'configmaps']),
  rule(['get'], [LEGACY], ['persistentvolumeclaims', 'persistentvolumes']),
  rule(['get'], [LEGACY], ['endpoints']),
  // TLS bootstrapping and client certificate rotation: the kubelet posts and watches its CSRs.
  rule(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
  rule(['delete', 'update', 'create', 'get', 'patch'], ['coordination.k8s.io'], ['leases']),
  rule(['get'], ['storage.k8s.io'], ['volumeattachments']),
  rule(['create'], [LEGACY], ['serviceaccounts/token']),
  rule(['get', 'update', 'patch'], [LEGACY], ['persistentvolumeclaims/status']),
  rule(READ, ['storage.k8s.io'], ['csidrivers']),
  rule(['get', 'create', 'update', 'patch', 'delete'], ['storage.k8s.io'], ['csinodes']),
  rule(READ, ['node.k8s.io'], ['runtimeclasses']),
];
