import type { Attributes, Status } from '../../../api/meta.js';
import { effectiveName } from './attributes.js';

/** responsewriters' sanitizer: the message is HTML-escaped before it is sent. */
function sanitize(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Go's %q for the plain strings that appear here. */
function quote(text: string): string {
  return JSON.stringify(text);
}

/** responsewriters.forbiddenMessage: what the user could not do, without the object prefix. */
function describeDenied(attrs: Attributes): string {
  const user = quote(attrs.user.name);
  if (!attrs.resourceRequest) return `User ${user} cannot ${attrs.verb} path ${quote(attrs.path ?? '')}`;
  const resource = attrs.subresource ? `${attrs.resource ?? ''}/${attrs.subresource}` : (attrs.resource ?? '');
  const scope = attrs.namespace ? `in the namespace ${quote(attrs.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${attrs.verb} resource ${quote(resource)} in API group ${quote(attrs.apiGroup ?? '')} ${scope}`;
}

/**
 * The exact `message` of the 403 kube-apiserver sends when authorization fails
 * (responsewriters.Forbidden + apierrors.NewForbidden), e.g.
 * `nodes is forbidden: User "system:bootstrap:abcdef" cannot list resource "nodes" in API group "" at the cluster scope`.
 * `reason` is the authorizer chain's reason and is appended after a colon when not empty.
 */
export function forbiddenMessage(attrs: Attributes, reason?: string): string {
  const denied = sanitize(describeDenied(attrs));
  const err = reason ? `${denied}: ${reason}` : denied;
  if (!attrs.resourceRequest || !attrs.resource) return `forbidden: ${err}`;
  const qualified = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
  const name = effectiveName(attrs);
  return name ? `${qualified} ${quote(name)} is forbidden: ${err}` : `${qualified} is forbidden: ${err}`;
}

/** The whole metav1.Status body of that 403, with `details` as apierrors.NewForbidden fills them. */
export function forbiddenStatus(attrs: Attributes, reason?: string): Status {
  const body: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: forbiddenMessage(attrs, reason),
    reason: 'Forbidden',
    code: 403,
  };
  if (attrs.resourceRequest && attrs.resource) {
    const name = effectiveName(attrs);
    body.details = { ...(name ? { name } : {}), ...(attrs.apiGroup ? { group: attrs.apiGroup } : {}), kind: attrs.resource };
  } else {
    body.details = {};
  }
  return body;
}
