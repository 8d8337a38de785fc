import type { KubeObject } from '../../../api/meta.js';
import { LEGACY, READ, clusterRole, clusterRoleBinding, eventsRule, role, roleBinding, rule, serviceAccount } from './policy-builders.js';
import type { PolicyRule } from './types.js';

/**
 * Per-controller roles (bootstrappolicy/controller_policy.go and namespace_policy.go). With
 * `--use-service-account-credentials` (kubeadm's default) each controller loop of
 * kube-controller-manager authenticates as `system:serviceaccount:kube-system:<name>` and gets
 * ClusterRole `system:controller:<name>` through a ClusterRoleBinding of the same name.
 */
const PREFIX = 'system:controller:';
const APPS = ['apps', 'extensions'];
const CERTIFICATES = 'certificates.k8s.io';

const CONTROLLER_RULES: Record<string, PolicyRule[]> = {
  'certificate-controller': [
    rule(['get', 'list', 'watch', 'delete'], [CERTIFICATES], ['certificatesigningrequests']),
    rule(['update'], [CERTIFICATES], ['certificatesigningrequests/status', 'certificatesigningrequests/approval']),
    rule(['approve'], [CERTIFICATES], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
    rule(['sign'], [CERTIFICATES], ['signers'], [
      'kubernetes.io/legacy-unknown',
      'kubernetes.io/kube-apiserver-client',
      'kubernetes.io/kube-apiserver-client-kubelet',
      'kubernetes.io/kubelet-serving',
    ]),
    rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    eventsRule(),
  ],
  'daemon-set-controller': [
    rule(READ, APPS, ['daemonsets']),
    rule(['update'], APPS, ['daemonsets/status']),
    rule(['update'], APPS, ['daemonsets/finalizers']),
    rule(['list', 'watch'], [LEGACY], ['nodes']),
    rule(['list', 'watch', 'create', 'delete', 'patch'], [LEGACY], ['pods']),
    rule(['create'], [LEGACY], ['pods/binding']),
    rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], ['apps'], ['controllerrevisions']),
    eventsRule(),
  ],
  'deployment-controller': [
    rule(['get', 'list', 'watch', 'update'], APPS, ['deployments']),
    rule(['update'], APPS, ['deployments/status']),
    rule(['update'], APPS, ['deployments/finalizers']),
    rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], APPS, ['replicasets']),
    rule(['get', 'list', 'watch', 'update'], [LEGACY], ['pods']),
    eventsRule(),
  ],
  'endpoint-controller': [
    rule(READ, [LEGACY], ['services', 'pods']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete'], [LEGACY], ['endpoints']),
    rule(['create'], [LEGACY], ['endpoints/restricted']),
    eventsRule(),
  ],
  'endpointslice-controller': [
    rule(READ, [LEGACY], ['services', 'pods', 'nodes']),
    rule(['update'], [LEGACY], ['services/finalizers']),
    rule(['get', 'list', 'watch', 'create', 'update', 'delete'], ['discovery.k8s.io'], ['endpointslices']),
    eventsRule(),
  ],
  'generic-garbage-collector': [rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']), eventsRule()],
  'namespace-controller': [
    rule(['get', 'list', 'watch', 'delete'], [LEGACY], ['namespaces']),
    rule(['update'], [LEGACY], ['namespaces/finalize', 'namespaces/status']),
    rule(['get', 'list', 'watch', 'delete', 'deletecollection'], ['*'], ['*']),
  ],
  // Also the identity of the node-ipam and taint-eviction controllers (see CONTROLLER_SERVICE_ACCOUNTS).
  'node-controller': [
    rule(['get', 'list', 'watch', 'update', 'delete', 'patch'], [LEGACY], ['nodes']),
    rule(['patch', 'update'], [LEGACY], ['nodes/status']),
    rule(['patch', 'update'], [LEGACY], ['pods/status']),
    rule(['list', 'watch', 'get', 'delete'], [LEGACY], ['pods']),
    eventsRule(),
  ],
  'pod-garbage-collector': [
    rule(['list', 'watch', 'delete'], [LEGACY], ['pods']),
    rule(READ, [LEGACY], ['nodes']),
    rule(['patch'], [LEGACY], ['pods/status']),
  ],
  'replicaset-controller': [
    rule(['get', 'list', 'watch', 'update'], APPS, ['replicasets']),
    rule(['update'], APPS, ['replicasets/status']),
    rule(['update'], APPS, ['replicasets/finalizers']),
    rule(['list', 'watch', 'patch', 'create', 'delete'], [LEGACY], ['pods']),
    eventsRule(),
  ],
  'service-account-controller': [rule(['create'], [LEGACY], ['serviceaccounts']), eventsRule()],
  'ttl-controller': [rule(['update', 'patch', 'list', 'watch'], [LEGACY], ['nodes']), eventsRule()],
};

export function controllerRolesAndBindings(): KubeObject[] {
  const names = Object.keys(CONTROLLER_RULES).sort();
  const roles = names.map((name) => clusterRole(`${PREFIX}${name}`, CONTROLLER_RULES[name]));
  const bindings = names.map((name) => clusterRoleBinding(`${PREFIX}${name}`, `${PREFIX}${name}`, [serviceAccount('kube-system', name)]));
  return [...roles, ...bindings];
}

/** namespace_policy.go: Roles the bootstrap-token controllers get in kube-system and kube-public. */
export function namespacedControllerPolicy(): KubeObject[] {
  const signer = `${PREFIX}bootstrap-signer`;
  const cleaner = `${PREFIX}token-cleaner`;
  return [
    role('kube-system', signer, [rule(READ, [LEGACY], ['secrets'])]),
    role('kube-public', signer, [
      rule(READ, [LEGACY], ['configmaps']),
      rule(['update'], [LEGACY], ['configmaps'], ['cluster-info']),
      eventsRule(),
    ]),
    role('kube-system', cleaner, [rule(['get', 'list', 'watch', 'delete'], [LEGACY], ['secrets']), eventsRule()]),
    roleBinding('kube-system', signer, signer, [serviceAccount('kube-system', 'bootstrap-signer')]),
    roleBinding('kube-public', signer, signer, [serviceAccount('kube-system', 'bootstrap-signer')]),
    roleBinding('kube-system', cleaner, cleaner, [serviceAccount('kube-system', 'token-cleaner')]),
  ];
}

/**
 * Which service account each kube-controller-manager controller uses (cmd/kube-controller-manager/app).
 * There is no `system:controller:node-ipam-controller` or `...:taint-eviction-controller`: those
 * loops call ClientOrDie("node-controller"), as the node lifecycle controller does.
 */
export const CONTROLLER_SERVICE_ACCOUNTS: Readonly<Record<string, string>> = {
  'bootstrap-signer-controller': 'bootstrap-signer',
  'certificatesigningrequest-approving-controller': 'certificate-controller',
  'certificatesigningrequest-cleaner-controller': 'certificate-controller',
  'certificatesigningrequest-signing-controller': 'certificate-controller',
  'daemonset-controller': 'daemon-set-controller',
  'deployment-controller': 'deployment-controller',
  'endpoints-controller': 'endpoint-controller',
  'endpointslice-controller': 'endpointslice-controller',
  'garbage-collector-controller': 'generic-garbage-collector',
  'namespace-controller': 'namespace-controller',
  'node-ipam-controller': 'node-controller',
  'node-lifecycle-controller': 'node-controller',
  'pod-garbage-collector-controller': 'pod-garbage-collector',
  'replicaset-controller': 'replicaset-controller',
  'serviceaccount-controller': 'service-account-controller',
  'taint-eviction-controller': 'node-controller',
  'token-cleaner-controller': 'token-cleaner',
  'ttl-controller': 'ttl-controller',
};
