import { createHash } from 'node:crypto';
import { RESOURCES, apiVersionOf, type ResourceInfo } from '../controlplane/apiserver/resources.js';

/**
 * The documents clients read before they make a resource request: /version, legacy discovery
 * (/api, /apis, /api/v1, /apis/<group>/<version>; a client that asks for aggregated discovery
 * falls back to these when the answer is plain application/json) and the OpenAPI v3 index
 * kubectl consults to learn that the server validates fields itself (fieldValidation).
 */

/** kubectl's short names and `all` category, from each resource's REST storage. */
const SHORT_NAMES: Record<string, string[]> = {
  namespaces: ['ns'],
  nodes: ['no'],
  pods: ['po'],
  configmaps: ['cm'],
  serviceaccounts: ['sa'],
  services: ['svc'],
  endpoints: ['ep'],
  events: ['ev'],
  certificatesigningrequests: ['csr'],
  replicasets: ['rs'],
  deployments: ['deploy'],
  daemonsets: ['ds'],
};
const ALL_CATEGORY = new Set(['pods', 'services', 'replicasets', 'deployments', 'daemonsets']);

/** The verbs the simulated API server implements for a resource (no deletecollection). */
function verbsOf(info: ResourceInfo): string[] {
  if (info.resource === 'subjectaccessreviews') return ['create'];
  return ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
}

function singular(kind: string): string {
  return kind.toLowerCase();
}

/** Subresources a client can address, with their verbs and kinds as the real server lists them. */
function subresourceEntries(info: ResourceInfo): object[] {
  const out: object[] = [];
  for (const sub of info.subresources) {
    let kind = info.kind;
    let verbs = ['get', 'patch', 'update'];
    let group: string | undefined;
    let version: string | undefined;
    if (sub === 'binding') { kind = 'Binding'; verbs = ['create']; }
    else if (sub === 'approval') verbs = ['get', 'patch', 'update'];
    else if (sub === 'scale') { kind = 'Scale'; group = 'autoscaling'; version = 'v1'; }
    else if (sub !== 'status') continue;
    out.push({ name: `${info.resource}/${sub}`, singularName: '', namespaced: info.namespaced, ...(group ? { group, version } : {}), kind, verbs });
  }
  return out;
}

export function versionInfo(kubernetesVersion: string): object {
  const [major, minor] = kubernetesVersion.split('.');
  return {
    major,
    minor,
    gitVersion: `v${major}.${minor}.0`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** Group names in the order kube-apiserver lists them (core first, then by priority). */
function groups(): Map<string, string> {
  const out = new Map<string, string>();
  for (const info of RESOURCES) if (info.group && !out.has(info.group)) out.set(info.group, info.version);
  return out;
}

export function apiGroupList(): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups()].map(([name, version]) => {
      const gv = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

export function apiGroup(group: string): object | undefined {
  const version = groups().get(group);
  if (!version) return undefined;
  const gv = { groupVersion: `${group}/${version}`, version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [gv], preferredVersion: gv };
}

/** APIResourceList for `v1` or `<group>/<version>`; undefined when the server has no such group version. */
export function apiResourceList(groupVersion: string): object | undefined {
  const infos = RESOURCES.filter((info) => apiVersionOf(info) === groupVersion);
  if (infos.length === 0) return undefined;
  const resources = infos.flatMap((info) => [
    {
      name: info.resource,
      singularName: singular(info.kind),
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: verbsOf(info),
      ...(SHORT_NAMES[info.resource] ? { shortNames: SHORT_NAMES[info.resource] } : {}),
      ...(ALL_CATEGORY.has(info.resource) ? { categories: ['all'] } : {}),
      storageVersionHash: createHash('sha256').update(`${groupVersion}/${info.kind}`).digest('base64').slice(0, 11),
    },
    ...subresourceEntries(info),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

function gvPath(groupVersion: string): string {
  return groupVersion.includes('/') ? `apis/${groupVersion}` : `api/${groupVersion}`;
}

/** /openapi/v3: one entry per group version, each with a content hash in its URL as the real index has. */
export function openApiIndex(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of new Set(RESOURCES.map(apiVersionOf))) {
    const hash = createHash('sha512').update(JSON.stringify(openApiDocument(gvPath(gv)))).digest('hex').slice(0, 128).toUpperCase();
    paths[gvPath(gv)] = { serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=${hash}` };
  }
  return { paths };
}

const QUERY = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });

/**
 * An OpenAPI v3 document for one group version (`api/v1`, `apis/apps/v1`): the object paths
 * with their operations, each PATCH tagged with its group/version/kind and the query parameters
 * the server accepts (fieldValidation among them), which is what kubectl's validation and
 * patch code look up. Object schemas are not included.
 */
export function openApiDocument(path: string): object | undefined {
  const gv = path.startsWith('api/') ? path.slice(4) : path.startsWith('apis/') ? path.slice(5) : '';
  const infos = RESOURCES.filter((info) => apiVersionOf(info) === gv);
  if (infos.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const info of infos) {
    const gvk = { group: info.group, version: info.version, kind: info.kind };
    const base = `/${path}${info.namespaced ? '/namespaces/{namespace}' : ''}/${info.resource}`;
    const op = (action: string, params: object[]) => ({
      operationId: `${action}${info.kind}`,
      parameters: params,
      responses: { '200': { description: 'OK' }, '401': { description: 'Unauthorized' } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    const write = [QUERY('dryRun', 'When present, indicates that modifications should not be persisted.'), QUERY('fieldManager', 'A name associated with the actor or entity that is making these changes.'), QUERY('fieldValidation', 'Ignore, Warn or Strict: how the server treats unknown or duplicate fields.')];
    paths[base] = { get: op('list', []), post: op('post', write) };
    paths[`${base}/{name}`] = { get: op('get', []), put: op('put', write), patch: op('patch', [...write, QUERY('force', 'Force is going to "force" Apply requests.')]), delete: op('delete', []) };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths, components: { schemas: {} } };
}
