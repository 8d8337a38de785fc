import { findResource, type ResourceInfo } from './resources.js';

/** What a request is about, as k8s.io/apiserver's RequestInfoFactory works it out from the URL. */
export interface RequestInfo {
  readonly path: string;
  readonly query: ReadonlyMap<string, string>;
  readonly resourceRequest: boolean;
  readonly verb: string;
  readonly info?: ResourceInfo;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

function parseQuery(text: string): Map<string, string> {
  const query = new Map<string, string>();
  if (!text) return query;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    query.set(key, value);
  }
  return query;
}

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export function parseRequestInfo(method: string, url: string): RequestInfo | { error: string } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
  const parts = path.split('/').filter(Boolean);
  const nonResource = (): RequestInfo => ({
    path,
    query,
    resourceRequest: false,
    verb: method.toLowerCase() === 'head' ? 'get' : method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
  });
  let rest: string[];
  let apiGroup: string;
  let apiVersion: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    apiGroup = '';
    apiVersion = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiGroup = parts[1];
    apiVersion = parts[2];
    rest = parts.slice(3);
  } else {
    return nonResource();
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces') {
    // /api/v1/namespaces/<name> is the Namespace object itself.
    namespace = rest[1];
  }
  const [resource, name, subresource] = rest;
  const info = findResource(apiGroup, resource);
  if (!info) return { error: `the server could not find the requested resource` };
  const watch = query.get('watch') === 'true' || query.get('watch') === '1';
  let verb: string;
  if (method === 'GET' || method === 'HEAD') verb = watch ? 'watch' : name ? 'get' : 'list';
  else if (method === 'DELETE' && !name) verb = 'deletecollection';
  else verb = METHOD_VERBS[method] ?? method.toLowerCase();
  return {
    path,
    query,
    resourceRequest: true,
    verb,
    info,
    apiGroup,
    apiVersion,
    resource,
    namespace,
    name,
    subresource,
  };
}
