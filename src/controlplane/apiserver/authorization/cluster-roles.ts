import type { KubeObject } from '../../../api/meta.js';
import { NODE_RULES } from './node-rules.js';
import { LEGACY, READ, clusterRole, clusterRoleBinding, eventsRule, group, rule, urlRule, user } from './policy-builders.js';

/**
 * The part of kube-apiserver's default policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/
 * policy.go, as in its testdata/cluster-roles.yaml) that the simulator's identities use. The
 * apiserver reconciles these at start-up; kubeadm only adds bindings on top (kubeadm-policy.ts).
 */
const CERTIFICATES = 'certificates.k8s.io';
const COORDINATION = 'coordination.k8s.io';
const STORAGE = 'storage.k8s.io';

const SCHEDULER_RULES = [
  eventsRule(),
  rule(['create'], [COORDINATION], ['leases']),
  rule(['get', 'update'], [COORDINATION], ['leases'], ['kube-scheduler']),
  rule(READ, [LEGACY], ['nodes']),
  rule(['get', 'list', 'watch', 'delete'], [LEGACY], ['pods']),
  rule(['create'], [LEGACY], ['pods/binding', 'bindings']),
  rule(['patch', 'update'], [LEGACY], ['pods/status']),
  rule(READ, [LEGACY], ['replicationcontrollers', 'services']),
  rule(READ, ['apps', 'extensions'], ['replicasets']),
  rule(READ, ['apps'], ['statefulsets']),
  rule(READ, ['policy'], ['poddisruptionbudgets']),
  rule(READ, [LEGACY], ['persistentvolumeclaims', 'persistentvolumes']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
  rule(READ, [STORAGE], ['csinodes']),
  rule(READ, [LEGACY], ['namespaces']),
  rule(READ, [STORAGE], ['csidrivers']),
  rule(READ, [STORAGE], ['csistoragecapacities']),
];

const CONTROLLER_MANAGER_RULES = [
  eventsRule(),
  rule(['create'], [COORDINATION], ['leases']),
  rule(['get', 'update'], [COORDINATION], ['leases'], ['kube-controller-manager']),
  rule(['create'], [LEGACY], ['secrets', 'serviceaccounts']),
  rule(['delete'], [LEGACY], ['secrets']),
  rule(['get'], [LEGACY], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
  rule(['update'], [LEGACY], ['secrets', 'serviceaccounts']),
  rule(['create'], ['authentication.k8s.io'], ['tokenreviews']),
  rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
  // Shared informers over every resource.
  rule(['list', 'watch'], ['*'], ['*']),
  rule(['create'], [LEGACY], ['serviceaccounts/token']),
];

export function defaultClusterRoles(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
    clusterRole('system:discovery', [
      urlRule(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/']),
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urlRule(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])]),
    clusterRole('system:node', [...NODE_RULES]),
    clusterRole('system:node-bootstrapper', [rule(['create', 'get', 'list', 'watch'], [CERTIFICATES], ['certificatesigningrequests'])]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
      rule(['create'], [CERTIFICATES], ['certificatesigningrequests/nodeclient']),
    ]),
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
      rule(['create'], [CERTIFICATES], ['certificatesigningrequests/selfnodeclient']),
    ]),
    clusterRole('system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', [
      rule(['approve'], [CERTIFICATES], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    ]),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], [LEGACY], ['services', 'endpoints']),
      rule(READ, [LEGACY], ['nodes']),
      eventsRule(),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
    clusterRole('system:kube-scheduler', SCHEDULER_RULES),
    clusterRole('system:volume-scheduler', [
      rule(['get', 'list', 'watch', 'patch', 'update'], [LEGACY], ['persistentvolumes']),
      rule(READ, [STORAGE], ['storageclasses']),
      rule(['get', 'list', 'watch', 'patch', 'update'], [LEGACY], ['persistentvolumeclaims']),
    ]),
    clusterRole('system:kube-controller-manager', CONTROLLER_MANAGER_RULES),
  ];
}

/** bootstrappolicy.ClusterRoleBindings() for the roles above. */
export function defaultClusterRoleBindings(): KubeObject[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      group('system:authenticated'),
      group('system:unauthenticated'),
    ]),
    // Deprecated since 1.7 in favour of the Node authorizer; kept without subjects.
    clusterRoleBinding('system:node', 'system:node', undefined),
    clusterRoleBinding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
    clusterRoleBinding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
    clusterRoleBinding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:volume-scheduler', 'system:volume-scheduler', [user('system:kube-scheduler')]),
  ];
}
