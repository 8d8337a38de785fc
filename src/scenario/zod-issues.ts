/**
 * Turns zod's issues into messages a scenario author can act on: `missing required field
 * "name"`, `unknown field "nmae"` (one per key, pointing at the key, with the closest known
 * field), `expected one of 1, 3, 5, got 2`. Schema-level messages (durations, quantities,
 * names) win over these defaults, as zod's error precedence has it.
 */
import type * as z from 'zod';
import { suggest, type PathIssue, type PathSegment } from './problems.js';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;
type Def = { type: string; [field: string]: unknown };

function describe(input: unknown): string {
  if (input === null) return 'nothing (null)';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return input.length > 40 ? `"${input.slice(0, 40)}..."` : JSON.stringify(input);
  return String(input);
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

function bound(origin: unknown, limit: unknown, inclusive: unknown, least: boolean): string {
  const word = least ? 'at least' : 'at most';
  const n = Number(limit) + (inclusive === false ? (least ? 1 : -1) : 0);
  if (origin === 'array' || origin === 'set') {
    return least && n === 1 ? 'must not be empty' : `needs ${word} ${n} item${n === 1 ? '' : 's'}`;
  }
  if (origin === 'string') return least && n === 1 ? 'must not be empty' : `must be ${word} ${n} characters`;
  return `must be ${word} ${n}`;
}

function expectedValues(values: readonly unknown[]): string {
  const shown = values.map((v) => describe(v));
  return shown.length === 1 ? `it must be ${shown[0]}` : `one of ${shown.join(', ')}`;
}

/** Parse-level error map: the default message for each kind of issue. */
export function scenarioErrorMap(issue: RawIssue): string {
  const iss = issue as RawIssue & Record<string, unknown>;
  const last = iss.path?.[iss.path.length - 1];
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return `missing required field "${String(last)}"`;
      return `expected ${EXPECTED[String(iss.expected)] ?? String(iss.expected)}, got ${describe(iss.input)}`;
    case 'invalid_value': {
      if (iss.input === undefined) return `missing required field "${String(last)}" (${expectedValues(iss.values as unknown[])})`;
      const values = (iss.values as unknown[]).map((v) => describe(v));
      const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      return `expected ${expected}, got ${describe(iss.input)}`;
    }
    case 'too_small':
      return bound(iss.origin, iss.minimum, iss.inclusive, true);
    case 'too_big':
      return bound(iss.origin, iss.maximum, iss.inclusive, false);
    case 'unrecognized_keys':
      return `unknown field ${(iss.keys as string[]).map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union':
      if (Array.isArray(iss.options)) {
        const value = (iss.input as Record<string, unknown> | undefined)?.[String(iss.discriminator)];
        if (value === undefined) return `missing required field "${String(iss.discriminator)}"`;
        return `unknown ${String(iss.discriminator)} ${describe(value)}; expected one of ${iss.options.join(', ')}`;
      }
      return `does not match any allowed form, got ${describe(iss.input)}`;
    case 'invalid_key':
      return ((iss.issues as Issue[] | undefined)?.[0]?.message ?? 'invalid key').toString();
    default:
      return iss.message ?? 'is not valid here';
  }
}

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** Strips wrappers and, for a union, picks the member the data is meant for. */
function resolve(schema: unknown, value: unknown): Def | undefined {
  let def = defOf(schema);
  for (let guard = 0; def && guard < 20; guard++) {
    if (WRAPPERS.has(def.type)) def = defOf(def.innerType);
    else if (def.type === 'pipe') def = defOf(def.in);
    else if (def.type === 'union') def = defOf(pickOption(def, value));
    else break;
  }
  return def;
}

function pickOption(def: Def, value: unknown): unknown {
  const options = def.options as unknown[];
  const discriminator = def.discriminator as string | undefined;
  const tag = discriminator && value && typeof value === 'object' ? (value as Record<string, unknown>)[discriminator] : undefined;
  const objects = options.filter((option) => resolve(option, value)?.type === 'object');
  const tagged = objects.find((option) => {
    const shape = resolve(option, value)?.shape as Record<string, unknown> | undefined;
    const values = (defOf(shape?.[discriminator ?? '']) as { values?: unknown[] } | undefined)?.values;
    return values?.includes(tag);
  });
  return tagged ?? objects[0] ?? options[0];
}

/** The field names the schema allows at `path`, for "did you mean" on unknown keys. */
export function knownKeys(schema: unknown, data: unknown, path: readonly PathSegment[]): string[] {
  let current: unknown = schema;
  let value = data;
  for (const segment of path) {
    const def = resolve(current, value);
    if (def?.type === 'object') current = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def?.type === 'array') current = def.element;
    else if (def?.type === 'record') current = def.valueType;
    else return [];
    value = child(value, segment);
  }
  const def = resolve(current, value);
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

function child(value: unknown, segment: PathSegment): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[String(segment)] : undefined;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) value = child(value, segment);
  return value;
}

/** One PathIssue per mistake, with suggestions for unknown keys and near-miss enum values. */
export function toPathIssues(issues: readonly Issue[], schema: unknown, data: unknown): PathIssue[] {
  return issues.flatMap((issue): PathIssue[] => {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, data, path);
        return issue.keys.map((key) => ({
          path: [...path, key],
          message: `unknown field "${key}"`,
          suggestion: suggest(key, known),
          atKey: true,
        }));
      }
      case 'invalid_key':
        return [{ path, message: issue.message, atKey: true }];
      case 'invalid_value':
        return [{ path, message: issue.message, suggestion: suggest(valueAt(data, path), issue.values) }];
      case 'invalid_union': {
        const written = valueAt(data, path);
        const discriminated = issue as { options?: unknown[] };
        if (discriminated.options) return [{ path, message: issue.message, suggestion: suggest(written, discriminated.options) }];
        const values = issue.errors
          .flat()
          .flatMap((inner) => (inner.code === 'invalid_value' && inner.path.length === 0 ? inner.values : []));
        return [{ path, message: issue.message, suggestion: suggest(written, values) }];
      }
      default:
        return [{ path, message: issue.message }];
    }
  });
}
