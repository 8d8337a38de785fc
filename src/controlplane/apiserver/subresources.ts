import type { KubeObject, UserInfo } from '../../api/meta.js';
import type { ApiRequest } from '../../api/request.js';
import type { ApiServer } from './apiserver.js';
import type { RequestInfo } from './request-info.js';
import { findResource, storageKey, type ResourceInfo } from './resources.js';
import type { Admit, WriteResult } from './registry.js';
import * as errors from './status.js';
import { mergePatch } from './patch.js';

type Obj = Record<string, any>;

/**
 * Requests that are not plain CRUD: `pods/binding` (pkg/registry/core/pod/storage: sets
 * spec.nodeName and PodScheduled in one write), the `scale` subresource of Deployments and
 * ReplicaSets, and SubjectAccessReviews (answered, never stored).
 */
export function subresourceWrite(
  server: ApiServer,
  req: RequestInfo,
  info: ResourceInfo,
  http: ApiRequest,
  user: UserInfo,
  admit: Admit,
): WriteResult {
  if (info.resource === 'subjectaccessreviews') return subjectAccessReview(server, http.body as Obj);
  if (req.subresource === 'scale') return scale(server, req, info, http, admit);
  return bind(server, req, info, http.body as Obj, admit);
}

/** Resources with a `scale` subresource (apps/v1 Deployment and ReplicaSet). */
export const SCALABLE = new Set(['deployments', 'replicasets']);

/**
 * `deployments/scale` and `replicasets/scale` (pkg/registry/apps/deployment/storage ScaleREST):
 * an autoscaling/v1 Scale view of spec.replicas, status.replicas and the selector. GET reads it;
 * PUT and PATCH write spec.replicas back to the parent object, which is what `kubectl scale`
 * sends.
 */
function scale(server: ApiServer, req: RequestInfo, info: ResourceInfo, http: ApiRequest, admit: Admit): WriteResult {
  const name = req.name!;
  const current = server.store.get(storageKey(info, req.namespace, name));
  if (!current) return { status: 404, body: errors.notFound(info, name) };
  const parent = current.value as Obj;
  if (req.verb === 'get') return { status: 200, body: scaleOf(parent, current.modRevision) };
  if (req.verb !== 'update' && req.verb !== 'patch') return { status: 405, body: errors.methodNotSupported(info, req.verb) };
  const old = scaleOf(parent, current.modRevision);
  const wanted = (req.verb === 'patch' ? mergePatch(old, http.body) : http.body) as Obj;
  const replicas = wanted?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) {
    return { status: 422, body: errors.invalid('Scale', 'autoscaling', name, [{ field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]) };
  }
  const requested = wanted?.metadata?.resourceVersion;
  const body = { ...parent, metadata: { ...parent.metadata, resourceVersion: requested ?? String(current.modRevision) }, spec: { ...parent.spec, replicas } } as unknown as KubeObject;
  const result = server.registry.update(info, req.namespace, name, body, undefined, admit);
  if (result.status >= 400 || !result.after) return result;
  return { ...result, body: scaleOf(result.after as Obj, result.revision ?? current.modRevision) };
}

function scaleOf(parent: Obj, revision: number): KubeObject {
  const matchLabels = (parent.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: parent.metadata.name, namespace: parent.metadata.namespace, uid: parent.metadata.uid, resourceVersion: String(revision), creationTimestamp: parent.metadata.creationTimestamp },
    spec: { replicas: parent.spec?.replicas ?? 1 },
    status: { replicas: parent.status?.replicas ?? 0, selector: Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',') },
  } as unknown as KubeObject;
}

function bind(server: ApiServer, req: RequestInfo, info: ResourceInfo, binding: Obj, admit: Admit): WriteResult {
  const name = req.name!;
  const current = server.store.get(storageKey(info, req.namespace, name));
  if (!current) return { status: 404, body: errors.notFound(info, name) };
  const pod = current.value as Obj;
  if (pod.metadata.deletionTimestamp) return { status: 409, body: errors.conflict(info, name, 'pod is being deleted, cannot be assigned to a host') };
  if (pod.spec.nodeName) {
    return { status: 409, body: errors.conflict(info, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`) };
  }
  const node = binding?.target?.name;
  if (!node) return { status: 422, body: errors.invalid('Binding', '', name, [{ field: 'target.name', message: 'Required value' }]) };
  const nowText = server.nowText();
  const conditions = [...(pod.status?.conditions ?? []).filter((c: Obj) => c.type !== 'PodScheduled'), { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowText }];
  const updated = { ...pod, spec: { ...pod.spec, nodeName: node }, status: { ...pod.status, conditions } } as unknown as KubeObject;
  const result = server.registry.update(info, req.namespace, name, { ...updated, metadata: { ...updated.metadata, resourceVersion: String(current.modRevision) } }, 'binding', admit);
  if (result.status >= 400) return result;
  return { ...result, status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
}

function subjectAccessReview(server: ApiServer, body: Obj): WriteResult {
  const spec = body?.spec ?? {};
  const ra = spec.resourceAttributes ?? {};
  const info = findResource(ra.group ?? '', ra.resource ?? '');
  const attrs = {
    user: { name: spec.user ?? '', uid: spec.uid, groups: spec.groups ?? [], extra: spec.extra },
    verb: ra.verb ?? spec.nonResourceAttributes?.verb ?? '',
    resourceRequest: !spec.nonResourceAttributes,
    path: spec.nonResourceAttributes?.path,
    apiGroup: ra.group ?? '',
    apiVersion: ra.version ?? info?.version ?? 'v1',
    resource: ra.resource,
    subresource: ra.subresource,
    namespace: ra.namespace,
    name: ra.name,
  };
  const decision = server.authorize(attrs);
  const review = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed: decision.decision === 'allow', ...(decision.decision === 'deny' ? { denied: true } : {}), reason: decision.reason },
  } as unknown as KubeObject;
  return { status: 201, body: review };
}
