import type { Status } from '../api/meta.js';
import { apiVersionOf, type ResourceInfo } from '../controlplane/apiserver/resources.js';
import * as errors from '../controlplane/apiserver/status.js';
import { checkPodSpec, checkWorkload, type ManifestContext } from '../scenario/pod-spec.js';
import { checkServiceSpec } from '../scenario/service-spec.js';
import { formatPath } from '../scenario/problems.js';

/**
 * What kube-apiserver checks about a body sent from outside before it reaches the registry: it
 * decodes into the URL's kind and group version (400), its namespace and name agree with the
 * URL (400), and the fields the cluster's components read are valid (422 Invalid, with the
 * same pod, workload and Service rules `kube-learn validate` applies to scenario manifests).
 */
export interface BodyTarget {
  readonly info: ResourceInfo;
  readonly verb: string;
  readonly namespace?: string;
  readonly name?: string;
}

type Obj = Record<string, unknown>;

export function checkObjectBody(target: BodyTarget, body: unknown, context: { serviceCIDR: string; nodeNames: readonly string[] }): Status | undefined {
  const { info } = target;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return errors.badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  const obj = body as Obj;
  if (typeof obj.kind !== 'string' || obj.kind === '') return errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(obj).slice(0, 200)}'`);
  const expected = apiVersionOf(info);
  if (obj.apiVersion !== expected) return errors.badRequest(`the API version in the data (${String(obj.apiVersion ?? '')}) does not match the expected API version (${expected})`);
  if (obj.kind !== info.kind) return errors.badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${info.kind})`);
  const meta = obj.metadata;
  if (meta !== undefined && (typeof meta !== 'object' || meta === null || Array.isArray(meta))) return errors.badRequest('metadata must be an object');
  const m = (meta ?? {}) as Obj;
  if (info.namespaced && m.namespace !== undefined && m.namespace !== '' && m.namespace !== target.namespace) {
    return errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (target.verb === 'update' && m.name !== target.name) {
    return errors.badRequest(`the name of the object (${String(m.name ?? '')}) does not match the name on the URL (${target.name})`);
  }
  const name = typeof m.name === 'string' ? m.name : '';
  if (target.verb === 'create' && !name && typeof m.generateName !== 'string') {
    return errors.invalid(info.kind, info.group, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  }
  const ctx: ManifestContext = { nodeNames: context.nodeNames, serviceCIDR: context.serviceCIDR, portNames: new Set(), issues: [] };
  if (info.kind === 'Pod') checkPodSpec(ctx, ['spec'], obj.spec);
  else if (info.kind === 'Deployment' || info.kind === 'ReplicaSet' || info.kind === 'DaemonSet') checkWorkload(ctx, ['spec'], info.kind, obj.spec);
  else if (info.kind === 'Service') checkServiceSpec(ctx, ['spec'], obj.spec);
  if (ctx.issues.length === 0) return undefined;
  return errors.invalid(info.kind, info.group, name, ctx.issues.map((issue) => ({ field: formatPath(issue.path), message: issue.message })));
}

/**
 * Defaults the registry does not apply for bodies from outside the simulation
 * (pkg/apis/core/v1/defaults.go): a Secret without a type is Opaque.
 */
export function withDefaults(target: BodyTarget, body: unknown): unknown {
  if (target.verb !== 'create' || target.info.kind !== 'Secret' || typeof body !== 'object' || body === null) return body;
  const secret = body as Obj;
  return secret.type ? secret : { ...secret, type: 'Opaque' };
}
