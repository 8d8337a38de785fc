/**
 * Strict field validation of the Kubernetes manifests in a scenario, as kube-apiserver does it
 * for `kubectl apply --validate=strict`: every field must exist in the object's type (an unknown
 * one is an error, with the closest known name), and every value must fit the field's type
 * (int32 fields such as replicas and ports hold at most 2147483647). The field table comes from
 * Kubernetes' OpenAPI types (k8s-fields.ts, generated).
 */
import { INT32_MAX, INT32_MIN } from './limits.js';
import { K8S_FIELDS, KIND_MODELS } from './k8s-fields.js';
import type { PathIssue, PathSegment } from './problems.js';
import { suggest } from './problems.js';

/** int64 as JSON numbers can hold it exactly. */
const INT64_SAFE = Number.MAX_SAFE_INTEGER;

function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 40)}..."` : JSON.stringify(value);
  return String(value);
}

/** `V1DeploymentSpec` => `DeploymentSpec`, as Kubernetes' Go types are named. */
function typeName(model: string): string {
  return model.replace(/^(Core|Discovery|Rbac|Apps|Events|Storage)?V\d+(beta\d+|alpha\d+)?/, '');
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wholeNumber(value: unknown, min: number, max: number, type: string): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `expected a whole number (${type}), got ${describe(value)}`;
  if (value < min || value > max) {
    // Kubernetes' int64 goes further, but a YAML number is exact only up to 2^53 - 1.
    if (type === 'int64') return `${value} is beyond the whole numbers a scenario holds exactly: ${min} to ${max}`;
    return `${value} does not fit in ${type}: Kubernetes allows ${min} to ${max} here`;
  }
  return undefined;
}

/** What is wrong with a scalar value of `type`, if anything. */
function scalarProblem(type: string, value: unknown): string | undefined {
  switch (type) {
    case 'any':
      return undefined;
    case 'string':
      return typeof value === 'string' ? undefined : `expected text, got ${describe(value)}${typeof value === 'number' || typeof value === 'boolean' ? '; quote it' : ''}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${describe(value)}`;
    case 'number':
      return typeof value === 'number' ? undefined : `expected a number, got ${describe(value)}`;
    case 'int32':
      return wholeNumber(value, INT32_MIN, INT32_MAX, 'int32');
    case 'int64':
      return wholeNumber(value, -INT64_SAFE, INT64_SAFE, 'int64');
    case 'int-or-string':
      return typeof value === 'string' ? undefined : wholeNumber(value, INT32_MIN, INT32_MAX, 'int32');
    case 'quantity':
      return typeof value === 'string' || typeof value === 'number' ? undefined : `expected a quantity such as 500m or 4Gi, got ${describe(value)}`;
    default:
      return undefined;
  }
}

interface Walk {
  readonly issues: PathIssue[];
  depth: number;
}

function check(walk: Walk, path: readonly PathSegment[], type: string, value: unknown): void {
  // null is how YAML writes "nothing": Kubernetes treats it as the field left out.
  if (value === null || value === undefined || walk.depth > 64) return;
  walk.depth++;
  try {
    if (type.endsWith('[]')) {
      if (!Array.isArray(value)) return void walk.issues.push({ path, message: `expected a list, got ${describe(value)}` });
      value.forEach((item, index) => check(walk, [...path, index], type.slice(0, -2), item));
    } else if (type.startsWith('map:')) {
      if (!isMapping(value)) return void walk.issues.push({ path, message: `expected a mapping, got ${describe(value)}` });
      for (const [key, item] of Object.entries(value)) check(walk, [...path, key], type.slice(4), item);
    } else if (Object.hasOwn(K8S_FIELDS, type)) {
      checkObject(walk, path, type, value);
    } else {
      const problem = scalarProblem(type, value);
      if (problem !== undefined) walk.issues.push({ path, message: problem });
    }
  } finally {
    walk.depth--;
  }
}

function checkObject(walk: Walk, path: readonly PathSegment[], model: string, value: unknown): void {
  if (!isMapping(value)) return void walk.issues.push({ path, message: `expected a mapping (a ${typeName(model)}), got ${describe(value)}` });
  const fields = K8S_FIELDS[model];
  const known = Object.keys(fields);
  for (const [key, item] of Object.entries(value)) {
    // Own fields only: `toString` or `constructor` is an unknown field, not Object.prototype's.
    const type = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (type === undefined) {
      walk.issues.push({ path: [...path, key], message: `unknown field "${key}" in ${typeName(model)}`, suggestion: suggest(key, known), atKey: true });
    } else check(walk, [...path, key], type, item);
  }
}

/** Every unknown field and ill-typed value in a manifest of a served kind at `path`. */
export function checkManifestFields(path: readonly PathSegment[], object: unknown): PathIssue[] {
  const kind = isMapping(object) ? object.kind : undefined;
  const model = typeof kind === 'string' && Object.hasOwn(KIND_MODELS, kind) ? KIND_MODELS[kind] : undefined;
  if (model === undefined) return [];
  const walk: Walk = { issues: [], depth: 0 };
  checkObject(walk, path, model, object);
  return walk.issues;
}
