import { applyStrategicMergePatch, jsonEqual } from '../../api/strategic-merge-patch.js';

/**
 * The patch types the real components send: JSON merge patch (RFC 7386) and strategic merge
 * patch, which merges lists of objects by their merge key (conditions by `type`, addresses by
 * `type`, pod IPs by `ip`, ...) and replaces lists that have none (containerStatuses, images).
 * Inputs are never mutated.
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

/**
 * application/strategic-merge-patch+json, as kube-apiserver applies it: merge-keyed lists merge
 * element by element ($patch: delete removes one), `$setElementOrder/<list>` fixes the order,
 * lists without a merge key are replaced whole.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  return applyStrategicMergePatch(target, patch);
}

/** Deep equality for JSON values, used to skip writes that change nothing. */
export { jsonEqual };
