/**
 * The resources the simulated kube-apiserver serves, with the group/version/kind, scope and etcd
 * key prefix the real one uses (pkg/kubeapiserver/default_storage_factory_builder.go: nodes live
 * under /registry/minions, services under /registry/services/specs).
 */
export interface ResourceInfo {
  readonly resource: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly etcdPrefix: string;
  readonly subresources: readonly string[];
  /** True when `status` is a subresource: writes to the main resource keep the old status. */
  readonly hasStatus: boolean;
  /** True when spec changes bump metadata.generation. */
  readonly tracksGeneration: boolean;
}

function r(
  resource: string,
  group: string,
  kind: string,
  namespaced: boolean,
  options: { prefix?: string; subresources?: string[]; generation?: boolean; version?: string } = {},
): ResourceInfo {
  const subresources = options.subresources ?? [];
  return {
    resource,
    group,
    version: options.version ?? 'v1',
    kind,
    namespaced,
    etcdPrefix: `/registry/${options.prefix ?? resource}/`,
    subresources,
    hasStatus: subresources.includes('status'),
    tracksGeneration: options.generation ?? false,
  };
}

export const RESOURCES: readonly ResourceInfo[] = [
  r('namespaces', '', 'Namespace', false, { subresources: ['status', 'finalize'] }),
  r('nodes', '', 'Node', false, { prefix: 'minions', subresources: ['status'] }),
  r('pods', '', 'Pod', true, { subresources: ['status', 'binding', 'eviction'] }),
  r('secrets', '', 'Secret', true),
  r('configmaps', '', 'ConfigMap', true),
  r('serviceaccounts', '', 'ServiceAccount', true, { subresources: ['token'] }),
  r('services', '', 'Service', true, { prefix: 'services/specs', subresources: ['status'] }),
  r('endpoints', '', 'Endpoints', true, { prefix: 'services/endpoints' }),
  r('events', '', 'Event', true),
  r('leases', 'coordination.k8s.io', 'Lease', true),
  r('certificatesigningrequests', 'certificates.k8s.io', 'CertificateSigningRequest', false, {
    subresources: ['status', 'approval'],
  }),
  r('endpointslices', 'discovery.k8s.io', 'EndpointSlice', true),
  r('replicasets', 'apps', 'ReplicaSet', true, { subresources: ['status', 'scale'], generation: true }),
  r('deployments', 'apps', 'Deployment', true, { subresources: ['status', 'scale'], generation: true }),
  r('daemonsets', 'apps', 'DaemonSet', true, { subresources: ['status'], generation: true }),
  r('controllerrevisions', 'apps', 'ControllerRevision', true),
  r('clusterroles', 'rbac.authorization.k8s.io', 'ClusterRole', false),
  r('clusterrolebindings', 'rbac.authorization.k8s.io', 'ClusterRoleBinding', false),
  r('roles', 'rbac.authorization.k8s.io', 'Role', true),
  r('rolebindings', 'rbac.authorization.k8s.io', 'RoleBinding', true),
  r('subjectaccessreviews', 'authorization.k8s.io', 'SubjectAccessReview', false),
];

const byResource = new Map(RESOURCES.map((info) => [`${info.group}/${info.resource}`, info]));
const byKind = new Map(RESOURCES.map((info) => [info.kind, info]));

export function findResource(group: string, resource: string): ResourceInfo | undefined {
  return byResource.get(`${group}/${resource}`);
}

export function resourceForKind(kind: string): ResourceInfo | undefined {
  return byKind.get(kind);
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** `/registry/pods/default/web-1`, `/registry/minions/worker-1`. */
export function storageKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `${info.etcdPrefix}${namespace}/${name}` : `${info.etcdPrefix}${name}`;
}

/** The REST path of a collection or object: `/api/v1/namespaces/default/pods/web-1`. */
export function resourcePath(
  info: ResourceInfo,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  let path = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  if (info.namespaced && namespace) path += `/namespaces/${namespace}`;
  path += `/${info.resource}`;
  if (name) path += `/${name}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** "pods", "leases.coordination.k8s.io": how error messages name a resource. */
export function qualifiedResource(info: { resource: string; group: string }): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}
