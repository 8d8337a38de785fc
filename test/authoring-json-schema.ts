/**
 * A small JSON Schema (draft 2020-12) validator for the keywords `kube-learn schema` uses, so
 * tests can check the printed schema against real documents without a dependency (no ajv in
 * the project). Unknown keywords are reported by `unknownKeywords`, so the schema cannot grow a
 * keyword this validator silently ignores.
 */
export type Schema = boolean | { [keyword: string]: unknown };

/** Keywords this validator evaluates, and annotations it may ignore (they never reject). */
export const EVALUATED = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf',
  'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems',
  'maxItems', 'propertyNames',
]);
export const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples', 'format', 'readOnly', 'writeOnly', 'deprecated']);

/** Every keyword in the schema that is neither evaluated nor a known annotation. */
export function unknownKeywords(schema: Schema, path = '#'): string[] {
  if (typeof schema === 'boolean') return [];
  const out: string[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (!EVALUATED.has(keyword) && !ANNOTATIONS.has(keyword)) out.push(`${path}/${keyword}`);
    if (keyword === 'properties') for (const [name, sub] of Object.entries(value as Record<string, Schema>)) out.push(...unknownKeywords(sub, `${path}/properties/${name}`));
    if (['items', 'additionalProperties', 'propertyNames'].includes(keyword) && typeof value === 'object') out.push(...unknownKeywords(value as Schema, `${path}/${keyword}`));
    if (['anyOf', 'oneOf', 'allOf'].includes(keyword)) (value as Schema[]).forEach((sub, i) => out.push(...unknownKeywords(sub, `${path}/${keyword}/${i}`)));
  }
  return out;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: unknown, value: unknown): boolean {
  const types = Array.isArray(expected) ? expected : [expected];
  const actual = typeOf(value);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/** Errors as `path: keyword`; [] when `value` is valid. */
export function validate(schema: Schema, value: unknown, path = ''): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: false`];
  const s = schema;
  const errors: string[] = [];
  const fail = (keyword: string) => errors.push(`${path || '/'}: ${keyword}`);
  if (s.type !== undefined && !typeMatches(s.type, value)) return [`${path || '/'}: type ${JSON.stringify(s.type)}`];
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) fail('const');
  if (Array.isArray(s.enum) && !s.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) fail('enum');
  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) fail('pattern');
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) fail('minLength');
    if (typeof s.maxLength === 'number' && length > s.maxLength) fail('maxLength');
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail('minimum');
    if (typeof s.maximum === 'number' && value > s.maximum) fail('maximum');
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) fail('exclusiveMinimum');
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) fail('exclusiveMaximum');
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) fail('minItems');
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) fail('maxItems');
    if (s.items !== undefined) value.forEach((item, i) => errors.push(...validate(s.items as Schema, item, `${path}/${i}`)));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const name of (s.required ?? []) as string[]) if (!(name in object)) fail(`required ${name}`);
    for (const [name, item] of Object.entries(object)) {
      if (name in properties) errors.push(...validate(properties[name], item, `${path}/${name}`));
      else if (s.additionalProperties !== undefined) errors.push(...validate(s.additionalProperties as Schema, item, `${path}/${name}`));
      if (s.propertyNames !== undefined) errors.push(...validate(s.propertyNames as Schema, name, `${path}/${name} (name)`));
    }
  }
  const passing = (list: unknown) => (list as Schema[]).filter((sub) => validate(sub, value, path).length === 0).length;
  if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) errors.push(...validate(sub, value, path));
  if (Array.isArray(s.anyOf) && passing(s.anyOf) === 0) fail('anyOf');
  if (Array.isArray(s.oneOf) && passing(s.oneOf) !== 1) fail('oneOf');
  return errors;
}
