import type { Status } from '../../api/meta.js';
import { qualifiedResource } from './resources.js';

/**
 * metav1.Status bodies with the reasons and messages of
 * staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go.
 */
export function status(code: number, reason: string, message: string, details?: Status['details']): Status {
  const body: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) body.details = details;
  return body;
}

type Res = { resource: string; group: string };

export const unauthorized = (): Status => status(401, 'Unauthorized', 'Unauthorized');

export function notFound(res: Res, name: string): Status {
  return status(404, 'NotFound', `${qualifiedResource(res)} "${name}" not found`, {
    name,
    group: res.group || undefined,
    kind: res.resource,
  });
}

export function alreadyExists(res: Res, name: string): Status {
  return status(409, 'AlreadyExists', `${qualifiedResource(res)} "${name}" already exists`, {
    name,
    group: res.group || undefined,
    kind: res.resource,
  });
}

export function conflict(res: Res, name: string, why: string): Status {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(res)} "${name}": ${why}`, {
    name,
    group: res.group || undefined,
    kind: res.resource,
  });
}

export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export function forbidden(res: Res | undefined, name: string | undefined, message: string): Status {
  const prefix = res ? `${qualifiedResource(res)}${name ? ` "${name}"` : ''} is forbidden: ` : '';
  return status(403, 'Forbidden', `${prefix}${message}`, res ? { name, group: res.group || undefined, kind: res.resource } : undefined);
}

export function invalid(kind: string, group: string, name: string, causes: { field: string; message: string }[]): Status {
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return status(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${list}`, {
    name,
    group: group || undefined,
    kind,
    causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

export function expired(requested: number, oldest: number): Status {
  return status(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

export function badRequest(message: string): Status {
  return status(400, 'BadRequest', message);
}

export function methodNotSupported(res: Res, verb: string): Status {
  return status(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualifiedResource(res)}"`);
}

export function serviceUnavailable(message: string): Status {
  return status(503, 'ServiceUnavailable', message);
}

export function internalError(message: string): Status {
  return status(500, 'InternalError', `Internal error occurred: ${message}`);
}
