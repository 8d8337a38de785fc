/**
 * Field schemas shared by the scenario schema: Kubernetes names, durations and quantities.
 * Each checks its text with the same parser the normaliser uses (so the messages are the
 * parser's) and keeps the value a plain string or number, so `z.toJSONSchema` can describe it.
 */
import * as z from 'zod';
import { parseDuration } from './duration.js';
import { parseBytes, parseCount, parseCpuMillis, type QuantityResult } from './quantity.js';

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A DNS-1123 label (scenario and namespace names): lowercase, digits and '-', at most 63. */
export const dnsLabel = z
  .string()
  .max(63, { error: 'must be at most 63 characters (a DNS-1123 label)' })
  .regex(DNS1123_LABEL, {
    error: 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
  });

/** A DNS-1123 subdomain, which is what Kubernetes requires of a Node's name. */
export const dnsSubdomain = z
  .string()
  .max(253, { error: 'must be at most 253 characters (a DNS-1123 subdomain)' })
  .regex(DNS1123_SUBDOMAIN, {
    error: 'must be a lowercase DNS-1123 name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
  });

/** A label or taint key: optional `prefix/` plus a name of at most 63 characters. */
export const qualifiedName = z
  .string()
  .regex(QUALIFIED_NAME, { error: 'must be a label key such as "disktype" or "example.com/gpu"' })
  .refine((key) => (key.split('/').pop() ?? '').length <= 63, { error: 'the name part must be at most 63 characters' });

/** A label or taint value: empty, or at most 63 characters of letters, digits, '-', '_' and '.'. */
export const labelValue = z
  .string({ error: (iss) => (iss.input === undefined ? undefined : 'label values are strings; quote it (e.g. "true" or "3")') })
  .max(63, { error: 'must be at most 63 characters' })
  .regex(LABEL_VALUE, { error: 'must be letters, digits, "-", "_" or ".", starting and ending with a letter or digit' });

function durationTypeError(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  if (typeof input === 'number') return `a duration needs a unit: write ${input}s, ${input}m or ${input}ms`;
  return 'expected a duration such as 90s, 5m or 1m30s';
}

/** A non-negative Go duration (`90s`, `5m`, `1m30s`, `500ms`), turned into ms by the normaliser. */
export const duration = z
  .string({ error: (iss) => durationTypeError(iss.input) })
  .superRefine((text, ctx) => {
    const parsed = parseDuration(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    else if (parsed.ms < 0) ctx.addIssue({ code: 'custom', message: `"${text}" is negative; times count from the start of the scenario` });
  })
  .meta({ description: 'A Go duration such as 90s, 5m, 1m30s or 500ms.', examples: ['90s', '5m', '1m30s'] });

function quantity(parse: (input: unknown) => QuantityResult, description: string) {
  return z
    .union([z.string(), z.number()], { error: 'expected a quantity such as 500m, 2 or 4Gi' })
    .superRefine((value, ctx) => {
      const parsed = parse(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    })
    .meta({ description });
}

export const cpuQuantity = quantity(parseCpuMillis, 'CPU as a Kubernetes quantity: "2", "500m".');
export const memoryQuantity = quantity(parseBytes, 'Memory as a Kubernetes quantity: 4Gi, 512Mi, 1e9.');
export const countQuantity = quantity(parseCount, 'A whole count, e.g. "110".');

/** A Kubernetes manifest: apiVersion, kind and a name (or generateName); the rest passes through. */
export const manifest = z
  .looseObject({
    apiVersion: z.string().min(1, { error: 'must not be empty' }),
    kind: z.string().min(1, { error: 'must not be empty' }),
    metadata: z.looseObject({
      name: z.string().min(1, { error: 'must not be empty' }).optional(),
      generateName: z.string().min(1, { error: 'must not be empty' }).optional(),
      namespace: dnsLabel.optional(),
    }),
  })
  .superRefine((object, ctx) => {
    if (object.metadata.name === undefined && object.metadata.generateName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['metadata', 'name'], message: 'missing required field "name" (or "generateName")' });
    }
  })
  .meta({ description: 'A Kubernetes manifest; fields other than apiVersion, kind and metadata pass through.' });
