/**
 * The patch types the real components send: JSON merge patch (RFC 7386) and strategic merge
 * patch, which merges lists of objects by their merge key (conditions by `type`, addresses by
 * `type`, containerStatuses by `name`, ...) instead of replacing them. Inputs are never mutated.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Merge keys of the list fields the simulation patches (from the API types' patchMergeKey tags). */
const MERGE_KEYS: Record<string, string> = {
  conditions: 'type',
  addresses: 'type',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
  containers: 'name',
  podIPs: 'ip',
  hostIPs: 'ip',
  ownerReferences: 'uid',
  volumes: 'name',
  ports: 'containerPort',
  images: 'names',
};

export function strategicMergePatch(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch)) {
    const mergeKey = MERGE_KEYS[field];
    if (!mergeKey || !Array.isArray(target)) return patch;
    const out = [...target] as unknown[];
    // Each element's merge key, serialised once (null for elements that are not objects).
    const keyOf = (e: unknown): string | undefined | null => (isObject(e) ? JSON.stringify(e[mergeKey]) : null);
    const keys = out.map(keyOf);
    for (const item of patch) {
      if (!isObject(item)) {
        out.push(item);
        keys.push(null);
        continue;
      }
      const directive = item['$patch'];
      const keyValue = JSON.stringify(item[mergeKey]);
      const index = keys.indexOf(keyValue);
      if (directive === 'delete') {
        if (index >= 0) {
          out.splice(index, 1);
          keys.splice(index, 1);
        }
      } else if (index >= 0) {
        out[index] = strategicMergePatch(out[index], item, '');
        keys[index] = keyOf(out[index]);
      } else {
        out.push(item);
        keys.push(keyValue);
      }
    }
    return out;
  }
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith('$setElementOrder')) continue;
    if (value === null) delete out[key];
    else out[key] = strategicMergePatch(out[key], value, key);
  }
  return out;
}

/** Deep equality for JSON values, used to skip writes that change nothing. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
