import type { KubeObject, UserInfo } from '../../api/meta.js';
import type { ApiRequest } from '../../api/request.js';
import type { ApiServer } from './apiserver.js';
import type { RequestInfo } from './request-info.js';
import { findResource, storageKey, type ResourceInfo } from './resources.js';
import type { Admit, WriteResult } from './registry.js';
import * as errors from './status.js';

type Obj = Record<string, any>;

/**
 * Writes that are not plain CRUD: `pods/binding` (pkg/registry/core/pod/storage: sets
 * spec.nodeName and PodScheduled in one write) and SubjectAccessReviews (answered, never stored).
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
  return bind(server, req, info, http.body as Obj, admit);
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
