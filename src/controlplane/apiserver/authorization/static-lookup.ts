import type { KubeObject } from '../../../api/meta.js';
import type { ObjectLookup } from './types.js';

/**
 * An ObjectLookup over a fixed list of objects, keyed by kind. Useful wherever authorizers or
 * admission plugins need answering without an API server: unit tests, or explaining what a
 * SubjectAccessReview would say over a snapshot.
 */
const PLURALS: Readonly<Record<string, string>> = {
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  ConfigMap: 'configmaps',
  Lease: 'leases',
  Node: 'nodes',
  PersistentVolume: 'persistentvolumes',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Pod: 'pods',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  VolumeAttachment: 'volumeattachments',
};

/** The resource plural for a kind, falling back to the lower-cased kind plus `s`. */
export function resourceOfKind(kind: string): string {
  return PLURALS[kind] ?? `${kind.toLowerCase()}s`;
}

export function staticLookup(objects: readonly KubeObject[]): ObjectLookup {
  const of = (resource: string) => objects.filter((o) => resourceOfKind(o.kind) === resource);
  return {
    get(resource, namespace, name) {
      return of(resource).find((o) => o.metadata.name === name && (o.metadata.namespace ?? undefined) === (namespace || undefined));
    },
    list(resource, namespace) {
      return of(resource).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    },
  };
}
