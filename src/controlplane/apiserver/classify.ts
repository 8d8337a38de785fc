import type { Stage } from '../../sim/trace.js';
import type { RequestInfo } from './request-info.js';

/** Which of the four stages a request belongs to when its sender did not say. */
export function stageOf(info: RequestInfo): Stage {
  switch (info.resource) {
    case 'certificatesigningrequests':
    case 'secrets':
    case 'serviceaccounts':
    case 'subjectaccessreviews':
    case 'clusterroles':
    case 'clusterrolebindings':
    case 'roles':
    case 'rolebindings':
      return 'authentication';
    case 'nodes':
      return info.verb === 'create' || (info.subresource !== 'status' && info.verb !== 'watch' && info.verb !== 'list') ? 'registration' : 'synchronization';
    case 'services':
    case 'endpointslices':
    case 'endpoints':
      return 'networking';
    case undefined:
      return 'authentication';
    default:
      return 'synchronization';
  }
}

const REASONS: Record<number, string> = {
  0: 'no response',
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusText(code: number): string {
  return `${code} ${REASONS[code] ?? ''}`.trim();
}

/** `create certificatesigningrequests node-csr-x`: the verb and object, for a step's summary. */
export function describe(info: RequestInfo): string {
  if (!info.resourceRequest) return `${info.verb.toUpperCase()} ${info.path}`;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const target = info.name ? (info.namespace && info.resource !== 'namespaces' ? `${info.namespace}/${info.name}` : info.name) : info.namespace ? `in ${info.namespace}` : '';
  return `${info.verb} ${resource}${target ? ` ${target}` : ''}`;
}
