import type { KubeObject } from '../../../api/meta.js';
import type { ObjectLookup } from './types.js';
import type { NodeGraphIndex } from './node-graph-index.js';

/**
 * The Node authorizer's graph (plugin/pkg/auth/authorizer/node/graph.go), computed from the
 * stored pods at call time instead of kept up to date by informers. Edges:
 * pod -> node (spec.nodeName), and secret/configmap/pvc/serviceAccount -> pod for everything a
 * bound, non-mirror pod references; pv -> pvc through spec.claimRef; volumeattachment -> node.
 * ResourceClaims are not modelled, so they are always unknown vertices.
 */
export type VertexType = 'configmap' | 'pod' | 'pvc' | 'pv' | 'secret' | 'serviceAccount' | 'volumeattachment' | 'resourceclaim';

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

type Ref = { name?: string } | undefined;
interface EnvVar { valueFrom?: { secretKeyRef?: Ref; configMapKeyRef?: Ref } }
interface EnvFrom { secretRef?: Ref; configMapRef?: Ref }
interface Container { env?: EnvVar[]; envFrom?: EnvFrom[] }
interface Projection { secret?: Ref; configMap?: Ref }
interface Volume {
  name?: string;
  secret?: { secretName?: string };
  configMap?: Ref;
  persistentVolumeClaim?: { claimName?: string };
  ephemeral?: unknown;
  projected?: { sources?: Projection[] };
  csi?: { nodePublishSecretRef?: Ref };
}
interface PodSpec {
  nodeName?: string;
  serviceAccountName?: string;
  imagePullSecrets?: Ref[];
  volumes?: Volume[];
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
}

function specOf(pod: KubeObject): PodSpec {
  return (pod.spec ?? {}) as PodSpec;
}

function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

function push(out: Set<string>, name: string | undefined): void {
  if (name) out.add(name);
}

/** podutil.VisitPodSecretNames, for the volume types the simulator models. */
export function podSecretNames(pod: KubeObject): Set<string> {
  const spec = specOf(pod);
  const out = new Set<string>();
  for (const ref of spec.imagePullSecrets ?? []) push(out, ref?.name);
  for (const c of allContainers(spec)) {
    for (const from of c.envFrom ?? []) push(out, from.secretRef?.name);
    for (const env of c.env ?? []) push(out, env.valueFrom?.secretKeyRef?.name);
  }
  for (const v of spec.volumes ?? []) {
    push(out, v.secret?.secretName);
    push(out, v.csi?.nodePublishSecretRef?.name);
    for (const source of v.projected?.sources ?? []) push(out, source.secret?.name);
  }
  return out;
}

/** podutil.VisitPodConfigmapNames. */
export function podConfigMapNames(pod: KubeObject): Set<string> {
  const spec = specOf(pod);
  const out = new Set<string>();
  for (const c of allContainers(spec)) {
    for (const from of c.envFrom ?? []) push(out, from.configMapRef?.name);
    for (const env of c.env ?? []) push(out, env.valueFrom?.configMapKeyRef?.name);
  }
  for (const v of spec.volumes ?? []) {
    push(out, v.configMap?.name);
    for (const source of v.projected?.sources ?? []) push(out, source.configMap?.name);
  }
  return out;
}

/** PVCs from `persistentVolumeClaim` volumes and generic ephemeral volumes (`<pod>-<volume>`). */
export function podClaimNames(pod: KubeObject): Set<string> {
  const out = new Set<string>();
  for (const v of specOf(pod).volumes ?? []) {
    push(out, v.persistentVolumeClaim?.claimName);
    if (v.ephemeral && v.name) out.add(`${pod.metadata.name}-${v.name}`);
  }
  return out;
}

/** The pod's service account; stored pods always carry one because ServiceAccount admission defaults it. */
export function podServiceAccount(pod: KubeObject): string {
  return specOf(pod).serviceAccountName ?? 'default';
}

export function isMirrorPod(pod: KubeObject): boolean {
  return pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;
}

function references(pod: KubeObject, type: VertexType, name: string): boolean {
  if (isMirrorPod(pod)) return false; // graph.AddPod short-circuits mirror pods: they grant nothing.
  switch (type) {
    case 'secret':
      return podSecretNames(pod).has(name);
    case 'configmap':
      return podConfigMapNames(pod).has(name);
    case 'pvc':
      return podClaimNames(pod).has(name);
    case 'serviceAccount':
      return podServiceAccount(pod) === name;
    default:
      return false;
  }
}

/** The bound pods (pod vertices) an object of `type` points at; empty means the vertex is unknown. */
function podsPointedAt(lookup: ObjectLookup, type: VertexType, namespace: string, name: string): KubeObject[] {
  if (type === 'pv') {
    const claim = (lookup.get('persistentvolumes', undefined, name)?.spec as { claimRef?: { namespace?: string; name?: string } } | undefined)?.claimRef;
    if (!claim?.name || !claim.namespace) return [];
    return boundPods(lookup, claim.namespace).filter((p) => references(p, 'pvc', claim.name!));
  }
  if (type === 'resourceclaim') return [];
  const pods = boundPods(lookup, namespace);
  if (type === 'pod') return pods.filter((p) => p.metadata.name === name);
  return pods.filter((p) => references(p, type, name));
}

function boundPods(lookup: ObjectLookup, namespace?: string): KubeObject[] {
  return lookup.list('pods', namespace).filter((p) => Boolean(specOf(p).nodeName));
}

export interface GraphAnswer {
  readonly related: boolean;
  /** On success, the pod that links the object to the node; otherwise the NODE DENY log line. */
  readonly detail: string;
}

/** VolumeAttachments point at their node directly (graph.AddVolumeAttachment). */
function attachmentPath(lookup: ObjectLookup, nodeName: string, name: string, target: string): GraphAnswer {
  const attachedTo = (lookup.get('volumeattachments', undefined, name)?.spec as { nodeName?: string } | undefined)?.nodeName;
  if (!attachedTo) return { related: false, detail: `node '${nodeName}' cannot get unknown ${target}` };
  if (attachedTo !== nodeName) {
    return { related: false, detail: `node '${nodeName}' cannot get ${target}, no relationship to this object was found in the node authorizer graph` };
  }
  return { related: true, detail: `attached to node '${nodeName}'` };
}

/** NodeAuthorizer.hasPathFrom: is there a path from the object to the node's vertex? */
export function hasPathFrom(lookup: ObjectLookup, nodeName: string, type: VertexType, namespace: string, name: string): GraphAnswer {
  // An empty namespace lists every namespace's pods; only the list-based path answers that.
  const graph = namespace || type === 'pv' || type === 'volumeattachment' ? lookup.nodeGraph : undefined;
  if (graph) return hasPathInGraph(graph, lookup, nodeName, type, namespace, name);
  const target = `${type} ${namespace}/${name}`;
  if (!boundPods(lookup).some((p) => specOf(p).nodeName === nodeName)) {
    return { related: false, detail: `unknown node '${nodeName}' cannot get ${target}` };
  }
  if (type === 'volumeattachment') return attachmentPath(lookup, nodeName, name, target);
  const pods = podsPointedAt(lookup, type, namespace, name);
  if (pods.length === 0) return { related: false, detail: `node '${nodeName}' cannot get unknown ${target}` };
  const via = pods.find((p) => specOf(p).nodeName === nodeName);
  if (!via) {
    return {
      related: false,
      detail: `node '${nodeName}' cannot get ${target}, no relationship to this object was found in the node authorizer graph`,
    };
  }
  const link = type === 'pod' ? `bound to node '${nodeName}'` : `used by pod ${via.metadata.namespace}/${via.metadata.name} on node '${nodeName}'`;
  return { related: true, detail: link };
}

/** hasPathFrom over the incrementally kept graph: the same answers, from map lookups. */
function hasPathInGraph(graph: NodeGraphIndex, lookup: ObjectLookup, nodeName: string, type: VertexType, namespace: string, name: string): GraphAnswer {
  const target = `${type} ${namespace}/${name}`;
  if (!graph.hasNode(nodeName)) return { related: false, detail: `unknown node '${nodeName}' cannot get ${target}` };
  if (type === 'volumeattachment') return attachmentPath(lookup, nodeName, name, target);
  const unknown = { related: false, detail: `node '${nodeName}' cannot get unknown ${target}` };
  const unrelated = { related: false, detail: `node '${nodeName}' cannot get ${target}, no relationship to this object was found in the node authorizer graph` };
  if (type === 'resourceclaim') return unknown;
  if (type === 'pod') {
    const podNode = graph.podNode(namespace, name);
    if (podNode === undefined) return unknown;
    return podNode === nodeName ? { related: true, detail: `bound to node '${nodeName}'` } : unrelated;
  }
  let path;
  if (type === 'pv') {
    const claim = (lookup.get('persistentvolumes', undefined, name)?.spec as { claimRef?: { namespace?: string; name?: string } } | undefined)?.claimRef;
    if (!claim?.name || !claim.namespace) return unknown;
    path = graph.path('pvc', claim.namespace, claim.name, nodeName);
  } else path = graph.path(type, namespace, name, nodeName);
  if (!path.known) return unknown;
  if (!path.via) return unrelated;
  return { related: true, detail: `used by pod ${path.via} on node '${nodeName}'` };
}
