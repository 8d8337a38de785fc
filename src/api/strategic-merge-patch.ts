/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch): how a list is patched
 * depends on its field's `patchStrategy`/`patchMergeKey` tags in the API types. Lists with a
 * merge key (conditions by `type`, pod IPs by `ip`, ...) are merged element by element; lists
 * without one (containerStatuses, node images, taints) are atomic and replaced whole.
 *
 * `createTwoWayMergePatch` builds the patch a client sends (what the kubelet's
 * PatchNodeStatus and PatchPodStatus send), `applyStrategicMergePatch` is what kube-apiserver
 * does with it. Inputs are never mutated.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * patchMergeKey of the list fields, by the field's path (array levels dropped). Matched on the
 * longest known suffix, so `spec.template.spec.containers` and `spec.containers` both merge by
 * name while a Service's `spec.ports` merges by `port` and a container's by `containerPort`.
 */
const MERGE_KEYS: readonly (readonly [string, string])[] = [
  ['containers.ports', 'containerPort'],
  ['initContainers.ports', 'containerPort'],
  ['containers.env', 'name'],
  ['containers.volumeMounts', 'mountPath'],
  ['spec.ports', 'port'],
  ['conditions', 'type'],
  ['status.addresses', 'type'],
  ['podIPs', 'ip'],
  ['hostIPs', 'ip'],
  ['containers', 'name'],
  ['initContainers', 'name'],
  ['volumes', 'name'],
  ['metadata.ownerReferences', 'uid'],
];

/** Primitive lists with patchStrategy=merge: patched items are added to the server's list. */
const MERGED_PRIMITIVE_LISTS = new Set(['metadata.finalizers']);

/** mergeKeyOf's answers by path: objects of one kind have few list paths. */
const mergeKeys = new Map<string, string | undefined>();
const MERGE_KEYS_REMEMBERED = 1024;

export function mergeKeyOf(path: string): string | undefined {
  if (mergeKeys.has(path)) return mergeKeys.get(path);
  let found: string | undefined;
  for (const [suffix, key] of MERGE_KEYS) {
    if (path === suffix || path.endsWith(`.${suffix}`)) {
      found = key;
      break;
    }
  }
  if (mergeKeys.size < MERGE_KEYS_REMEMBERED) mergeKeys.set(path, found);
  return found;
}

const SET_ELEMENT_ORDER = '$setElementOrder/';

// ---------------------------------------------------------------------------------------------
// Client side: CreateTwoWayMergePatch

/**
 * The strategic merge patch that turns `original` into `modified`; `{}` when they are equal.
 * Keys come out sorted at every level: the Go code diffs map[string]interface{} values, and
 * encoding/json writes a map's keys in order.
 */
export function createTwoWayMergePatch(original: unknown, modified: unknown): Record<string, unknown> {
  return sortDeep(diffMaps(isObject(original) ? original : {}, isObject(modified) ? modified : {}, '')) as Record<string, unknown>;
}

function sortDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortDeep(value[key]);
  return out;
}

function diffMaps(original: JsonObject, modified: JsonObject, path: string): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(original)) {
    if (!(key in modified)) patch[key] = null;
  }
  for (const key of Object.keys(modified)) {
    const from = original[key];
    const to = modified[key];
    const childPath = path ? `${path}.${key}` : key;
    if (!(key in original)) {
      patch[key] = to;
      continue;
    }
    if (jsonEqual(from, to)) continue;
    if (isObject(from) && isObject(to)) {
      const sub = diffMaps(from, to, childPath);
      if (Object.keys(sub).length) patch[key] = sub;
    } else if (Array.isArray(from) && Array.isArray(to)) {
      diffLists(patch, key, from, to, childPath);
    } else {
      patch[key] = to;
    }
  }
  return patch;
}

function diffLists(patch: JsonObject, key: string, original: Json[], modified: Json[], path: string): void {
  const mergeKey = mergeKeyOf(path);
  if (!mergeKey || !modified.every(isObject) || !original.every(isObject)) {
    patch[key] = modified;
    return;
  }
  const keyOf = (e: JsonObject): string => JSON.stringify(e[mergeKey]);
  // Each element's merge key, worked out once.
  const originalKeys = (original as JsonObject[]).map(keyOf);
  const elementKeys = (modified as JsonObject[]).map(keyOf);
  const originals = new Map((original as JsonObject[]).map((e, i) => [originalKeys[i], e]));
  const modifiedKeys = new Set(elementKeys);
  const changes: Json[] = [];
  (modified as JsonObject[]).forEach((element, i) => {
    const old = originals.get(elementKeys[i]);
    if (!old) {
      changes.push(element);
      return;
    }
    const sub = diffMaps(old, element, path);
    if (Object.keys(sub).length) changes.push({ ...sub, [mergeKey]: element[mergeKey] });
  });
  (original as JsonObject[]).forEach((element, i) => {
    if (!modifiedKeys.has(originalKeys[i])) changes.push({ $patch: 'delete', [mergeKey]: element[mergeKey] });
  });
  const sameOrder = jsonEqual(
    originalKeys.filter((k) => modifiedKeys.has(k)),
    elementKeys.filter((k) => originals.has(k)),
  );
  if (changes.length) patch[key] = changes;
  // diffLists: the order list accompanies any change to the list, or a change of order alone.
  if (changes.length || !sameOrder) {
    patch[`${SET_ELEMENT_ORDER}${key}`] = (modified as JsonObject[]).map((e) => ({ [mergeKey]: e[mergeKey] }));
  }
}


// ---------------------------------------------------------------------------------------------
// Server side: StrategicMergePatch

export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  return mergeMap(isObject(target) ? target : {}, isObject(patch) ? patch : {}, '');
}

function mergeMap(target: JsonObject, patch: JsonObject, path: string): JsonObject {
  if (patch['$patch'] === 'replace') {
    const { $patch: _directive, ...rest } = patch;
    return rest;
  }
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith('$')) continue;
    const childPath = path ? `${path}.${key}` : key;
    if (value === null) delete out[key];
    else if (isObject(value)) out[key] = mergeMap(isObject(out[key]) ? (out[key] as JsonObject) : {}, value, childPath);
    else if (Array.isArray(value)) out[key] = mergeList(out[key], value, childPath);
    else out[key] = value;
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER) || !Array.isArray(order)) continue;
    const field = key.slice(SET_ELEMENT_ORDER.length);
    const mergeKey = mergeKeyOf(path ? `${path}.${field}` : field);
    if (mergeKey && Array.isArray(out[field])) out[field] = ordered(out[field] as Json[], order, mergeKey);
  }
  return out;
}

function mergeList(target: Json | undefined, patch: Json[], path: string): Json[] {
  const current = Array.isArray(target) ? target : [];
  if (MERGED_PRIMITIVE_LISTS.has(path)) return [...current, ...patch.filter((v) => !current.some((c) => jsonEqual(c, v)))];
  const mergeKey = mergeKeyOf(path);
  if (!mergeKey || !patch.every(isObject)) return patch;
  const out: Json[] = [...current];
  const keyOf = (e: Json): string | null => (isObject(e) ? JSON.stringify(e[mergeKey]) : null);
  // The merge key of each element of `out`, kept in step with it.
  const keys = out.map(keyOf);
  for (const item of patch as JsonObject[]) {
    const itemKey = keyOf(item);
    const index = keys.indexOf(itemKey);
    if (item['$patch'] === 'delete') {
      if (index >= 0) {
        out.splice(index, 1);
        keys.splice(index, 1);
      }
    } else if (index >= 0) {
      out[index] = mergeMap(out[index] as JsonObject, item, path);
      keys[index] = keyOf(out[index]);
    } else {
      out.push(item);
      keys.push(itemKey);
    }
  }
  return out;
}

/**
 * $setElementOrder: the listed elements take the listed order; elements only the server has
 * keep their place relative to the others (normalizeElementOrder).
 */
function ordered(list: Json[], order: Json[], mergeKey: string): Json[] {
  const rank = new Map<string | undefined, number>();
  order.forEach((e, i) => {
    if (isObject(e)) rank.set(JSON.stringify(e[mergeKey]), i);
  });
  // Each element's rank, worked out once (undefined: not listed, keeps its place).
  const ranks = list.map((e) => (isObject(e) ? rank.get(JSON.stringify(e[mergeKey])) : undefined));
  const listed = list.filter((_, i) => ranks[i] !== undefined).map((e, i) => ({ e, i }));
  const listedRanks = ranks.filter((r) => r !== undefined);
  listed.sort((a, b) => listedRanks[a.i] - listedRanks[b.i]);
  let next = 0;
  return list.map((e, i) => (ranks[i] !== undefined ? listed[next++].e : e));
}

/** Deep equality for JSON values. */
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
