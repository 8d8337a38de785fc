import { NODE_USER_PREFIX, SYSTEM_NODES, type Attributes, type UserInfo } from '../../../api/meta.js';

/** One `field=value` / `field!=value` term of a field selector (k8s.io/apimachinery/pkg/fields). */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** Parses `spec.nodeName=worker-1,metadata.name!=x`; `==` counts as `=`, as in fields.ParseSelector. */
export function parseFieldSelector(text: string | undefined): FieldRequirement[] {
  if (!text) return [];
  const out: FieldRequirement[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const ne = part.indexOf('!=');
    if (ne >= 0) {
      out.push({ field: part.slice(0, ne).trim(), operator: '!=', value: part.slice(ne + 2).trim() });
      continue;
    }
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const value = part.slice(eq + 1).replace(/^=/, '');
    out.push({ field: part.slice(0, eq).trim(), operator: '=', value: value.trim() });
  }
  return out;
}

/** The value a selector pins `field` to with `=`, if it does (fields.Selector.RequiresExactMatch). */
export function exactMatch(text: string | undefined, field: string): string | undefined {
  return parseFieldSelector(text).find((r) => r.field === field && r.operator === '=')?.value;
}

/**
 * The object name authorizers see. RequestInfoFactory fills it from
 * `fieldSelector=metadata.name=<x>` on list/watch, which is how a kubelet may watch its own Node
 * or a single CSR; we do the same here in case the caller did not.
 */
export function effectiveName(attrs: Attributes): string {
  if (attrs.name) return attrs.name;
  if (attrs.verb !== 'list' && attrs.verb !== 'watch') return '';
  const name = exactMatch(attrs.fieldSelector, 'metadata.name');
  return name && !name.includes('/') && name !== '.' && name !== '..' ? name : '';
}

/**
 * pkg/auth/nodeidentifier: a user is a node when its name starts with `system:node:` and it is in
 * group `system:nodes`. The name may be empty (`system:node:`), which authorizers refuse.
 */
export function nodeIdentity(user: UserInfo): { isNode: false } | { isNode: true; nodeName: string } {
  if (!user.name.startsWith(NODE_USER_PREFIX)) return { isNode: false };
  if (!user.groups.includes(SYSTEM_NODES)) return { isNode: false };
  return { isNode: true, nodeName: user.name.slice(NODE_USER_PREFIX.length) };
}

/** `system:serviceaccount:<ns>:<name>` (k8s.io/apiserver/pkg/authentication/serviceaccount.MakeUsername). */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}
