import type { KubeObject } from '../../api/meta.js';

/**
 * Label and field selectors as the API accepts them in `labelSelector=` and `fieldSelector=`.
 * Label selectors support equality (`a=b`, `a==b`, `a!=b`) and set-based (`a in (x,y)`,
 * `a notin (x)`, `a`, `!a`) requirements; field selectors support `=`, `==` and `!=` on the
 * fields each resource indexes.
 */
export interface Requirement {
  readonly key: string;
  readonly op: 'in' | 'notin' | 'exists' | '!exists' | '=' | '!=';
  readonly values: readonly string[];
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseLabelSelector(text: string): Requirement[] {
  const out: Requirement[] = [];
  for (const part of splitTopLevel(text)) {
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (set) {
      out.push({ key: set[1], op: set[2] as 'in' | 'notin', values: set[3].split(',').map((v) => v.trim()) });
      continue;
    }
    const ne = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(part);
    if (ne) {
      out.push({ key: ne[1], op: '!=', values: [ne[2]] });
      continue;
    }
    const eq = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(part);
    if (eq) {
      out.push({ key: eq[1], op: '=', values: [eq[2]] });
      continue;
    }
    if (part.startsWith('!')) out.push({ key: part.slice(1).trim(), op: '!exists', values: [] });
    else out.push({ key: part, op: 'exists', values: [] });
  }
  return out;
}

export function matchRequirements(requirements: readonly Requirement[], get: (key: string) => string | undefined): boolean {
  for (const req of requirements) if (!requirementHolds(req, get(req.key))) return false;
  return true;
}

function requirementHolds(req: Requirement, value: string | undefined): boolean {
  switch (req.op) {
    case '=':
      return value === req.values[0];
    case '!=':
      return value !== req.values[0];
    case 'in':
      return value !== undefined && req.values.includes(value);
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case 'exists':
      return value !== undefined;
    case '!exists':
      return value === undefined;
  }
}

export function parseFieldSelector(text: string): Requirement[] {
  return splitTopLevel(text).map((part) => {
    const ne = /^([^!=]+)!=(.*)$/.exec(part);
    if (ne) return { key: ne[1].trim(), op: '!=' as const, values: [ne[2].trim()] };
    const eq = /^([^!=]+)==?(.*)$/.exec(part);
    if (!eq) throw new Error(`invalid field selector: ${part}`);
    return { key: eq[1].trim(), op: '=' as const, values: [eq[2].trim()] };
  });
}

/** The parts of each dotted field path seen, split once (selectors name a handful of fields). */
const pathParts = new Map<string, readonly string[]>();
const PATH_PARTS_MAX = 256;

/** Reads a dotted field path (`spec.nodeName`) from an object, as a string. */
export function fieldValue(obj: KubeObject, path: string): string | undefined {
  let parts = pathParts.get(path);
  if (!parts) {
    parts = path.split('.');
    if (pathParts.size < PATH_PARTS_MAX) pathParts.set(path, parts);
  }
  let current: unknown = obj;
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) {
    // Unset string fields select as "" in Kubernetes (spec.nodeName= selects unscheduled pods).
    return '';
  }
  return typeof current === 'string' ? current : String(current);
}

export interface Selector {
  readonly labels: readonly Requirement[];
  readonly fields: readonly Requirement[];
  /** The `spec.nodeName=<x>` value when the field selector pins one node (the watch cache indexes it). */
  readonly nodeName?: string;
}

export function compileSelector(labelSelector?: string, fieldSelector?: string): Selector {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  const pin = fields.find((f) => f.key === 'spec.nodeName' && f.op === '=');
  return { labels, fields, nodeName: pin?.values[0] };
}

export function matchesSelector(selector: Selector, obj: KubeObject): boolean {
  const { labels, fields } = selector;
  if (labels.length > 0) {
    const have = obj.metadata.labels ?? {};
    for (const req of labels) if (!requirementHolds(req, have[req.key])) return false;
  }
  for (const req of fields) if (!requirementHolds(req, fieldValue(obj, req.key))) return false;
  return true;
}
