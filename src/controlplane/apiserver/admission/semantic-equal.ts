/**
 * apiequality.Semantic.DeepEqual for JSON objects: like reflect.DeepEqual, except that an empty
 * list or map equals an absent one (the forked reflect package in apimachinery does this), so
 * `taints: []` and no taints at all are the same taints.
 */
function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** Dotted paths (to depth 3) where two objects differ, for messages that would print a cmp.Diff. */
export function differingPaths(a: unknown, b: unknown, prefix = '', depth = 3): string[] {
  if (semanticEqual(a, b)) return [];
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (depth === 0 || !isObject(a) || !isObject(b)) return [prefix || '.'];
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
  return keys.flatMap((key) => differingPaths(x[key], y[key], prefix ? `${prefix}.${key}` : key, depth - 1));
}
