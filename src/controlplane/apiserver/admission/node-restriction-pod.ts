import type { KubeObject } from '../../../api/meta.js';
import type { ObjectLookup } from '../authorization/types.js';
import { MIRROR_POD_ANNOTATION, podConfigMapNames, podSecretNames } from '../authorization/node-graph.js';
import { semanticEqual } from './semantic-equal.js';
import type { AdmissionRequest, AdmissionResult } from './types.js';

/**
 * NodeRestriction for pods: a node may create and delete only mirror pods bound to itself, that
 * reference no other API objects; update status only of pods bound to itself; evict only those.
 */
const deny = (message: string): AdmissionResult => ({ allowed: false, message });
const ok = (note: string): AdmissionResult => ({ allowed: true, note });

interface OwnerRef { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean; blockOwnerDeletion?: boolean }
interface PodSpec {
  nodeName?: string;
  serviceAccountName?: string;
  volumes?: { persistentVolumeClaim?: unknown; projected?: { sources?: { clusterTrustBundle?: unknown }[] } }[];
}

const specOf = (pod: KubeObject | undefined): PodSpec => (pod?.spec ?? {}) as PodSpec;

function existingPod(lookup: ObjectLookup, req: AdmissionRequest, name: string): KubeObject | undefined {
  if (req.oldObject?.metadata.name === name) return req.oldObject;
  return lookup.get('pods', req.namespace, name);
}

/** Mirror pods must be owned by the node (with its current UID) and reference nothing. */
function admitPodCreate(nodeName: string, req: AdmissionRequest, lookup: ObjectLookup): AdmissionResult {
  const pod = req.object;
  if (!pod) return deny('unexpected type <nil>');
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] === undefined) {
    return deny(`pod does not have "${MIRROR_POD_ANNOTATION}" annotation, node "${nodeName}" can only create mirror pods`);
  }
  if (specOf(pod).nodeName !== nodeName) return deny(`node "${nodeName}" can only create pods with spec.nodeName set to itself`);
  const owners = (pod.metadata.ownerReferences ?? []) as OwnerRef[];
  if (owners.length > 1) return deny(`node "${nodeName}" can only create pods with a single owner reference set to itself`);
  const owner = owners[0];
  if (!owner || owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== nodeName) {
    return deny(`node "${nodeName}" can only create pods with an owner reference set to itself`);
  }
  if (!owner.controller) return deny(`node "${nodeName}" can only create pods with a controller owner reference set to itself`);
  if (owner.blockOwnerDeletion) return deny(`node "${nodeName}" must not set blockOwnerDeletion on an owner reference`);
  const node = lookup.get('nodes', undefined, nodeName);
  if (!node) return deny(`nodes "${nodeName}" not found`);
  if (owner.uid !== node.metadata.uid) return deny(`node ${nodeName} UID mismatch: expected ${owner.uid} got ${node.metadata.uid}`);
  const spec = specOf(pod);
  if (spec.serviceAccountName) return deny(`node "${nodeName}" can not create pods that reference a service account`);
  if (podSecretNames(pod).size > 0) return deny(`node "${nodeName}" can not create pods that reference secrets`);
  if (podConfigMapNames(pod).size > 0) return deny(`node "${nodeName}" can not create pods that reference configmaps`);
  const volumes = spec.volumes ?? [];
  if (volumes.some((v) => (v.projected?.sources ?? []).some((s) => s.clusterTrustBundle))) {
    return deny(`node "${nodeName}" can not create pods that reference clustertrustbundles`);
  }
  if (volumes.some((v) => v.persistentVolumeClaim)) return deny(`node "${nodeName}" can not create pods that reference persistentvolumeclaims`);
  return ok(`NodeRestriction: node "${nodeName}" may create mirror pod ${req.namespace}/${pod.metadata.name} bound to itself`);
}

export function admitPod(nodeName: string, req: AdmissionRequest, lookup: ObjectLookup): AdmissionResult {
  switch (req.operation) {
    case 'CREATE':
      return admitPodCreate(nodeName, req, lookup);
    case 'DELETE': {
      const pod = existingPod(lookup, req, req.name ?? '');
      if (!pod) return ok('NodeRestriction: pod not found; the delete will answer 404');
      if (specOf(pod).nodeName !== nodeName) return deny(`node "${nodeName}" can only delete pods with spec.nodeName set to itself`);
      return ok(`NodeRestriction: pod ${req.namespace}/${req.name} is bound to node "${nodeName}"`);
    }
    default:
      return deny(`unexpected operation "${req.operation}", node "${nodeName}" can only create and delete mirror pods`);
  }
}

export function admitPodStatus(nodeName: string, req: AdmissionRequest): AdmissionResult {
  if (req.operation !== 'UPDATE') return deny(`unexpected operation "${req.operation}"`);
  const old = req.oldObject;
  const pod = req.object;
  if (!old || !pod) return deny('unexpected type <nil>');
  if (specOf(old).nodeName !== nodeName) {
    return deny(`node "${nodeName}" can only update pod status for pods with spec.nodeName set to itself`);
  }
  if (!semanticEqual(old.metadata.labels, pod.metadata.labels)) return deny(`node "${nodeName}" cannot update labels through pod status`);
  const claims = (p: KubeObject) => (p.status as { resourceClaimStatuses?: unknown } | undefined)?.resourceClaimStatuses;
  if (!semanticEqual(claims(old), claims(pod))) return deny(`node "${nodeName}" cannot update resource claim statues`);
  return ok(`NodeRestriction: pod ${req.namespace}/${old.metadata.name} is bound to node "${nodeName}"`);
}

export function admitPodEviction(nodeName: string, req: AdmissionRequest, lookup: ObjectLookup): AdmissionResult {
  if (req.operation !== 'CREATE') return deny(`unexpected operation ${req.operation}`);
  const podName = req.name || req.object?.metadata.name;
  if (!podName) return deny('could not determine pod from request data');
  const pod = lookup.get('pods', req.namespace, podName);
  if (!pod) return deny(`pods "${podName}" not found`);
  if (specOf(pod).nodeName !== nodeName) return deny(`node ${nodeName} can only evict pods with spec.nodeName set to itself`);
  return ok(`NodeRestriction: pod ${req.namespace}/${podName} is bound to node "${nodeName}"`);
}
