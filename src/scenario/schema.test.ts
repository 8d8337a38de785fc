import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { NETWORK_BACKENDS, scenarioJsonSchema, scenarioSchema } from './schema.js';
import { TIMELINE_ACTIONS } from './schema-timeline.js';

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: unknown;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
};

describe('the JSON Schema printed for editors', () => {
  const schema = scenarioJsonSchema() as JsonSchema;
  const spec = schema.properties?.spec as JsonSchema;
  const node = spec.properties?.nodes.items as JsonSchema;

  it('can also be generated for the parsed (output) side', () => {
    expect(() => z.toJSONSchema(scenarioSchema)).not.toThrow();
  });

  it('refuses unknown fields, like the loader', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(spec.additionalProperties).toBe(false);
    expect(node.additionalProperties).toBe(false);
  });

  it('requires only apiVersion, kind, metadata.name and nodes', () => {
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(schema.properties?.metadata.required).toEqual(['name']);
    expect(spec.required).toEqual(['nodes']);
    expect(node.required).toEqual(['name']);
  });

  it('documents the defaults from the format page', () => {
    const cluster = spec.properties?.cluster.properties ?? {};
    expect(cluster.serviceCIDR.default).toBe('10.96.0.0/12');
    expect(cluster.podCIDR.default).toBe('10.244.0.0/16');
    expect(cluster.nodeCIDRMaskSize.default).toBe(24);
    expect(cluster.clusterDomain.default).toBe('cluster.local');
    expect(node.properties?.joinAt.default).toBe('0s');
    expect(spec.properties?.seed.default).toBe(1);
  });

  it('offers every checkpoint anchor: a stage, { step }, { at } and { action }', () => {
    const after = spec.properties?.checkpoints.items?.properties?.after as JsonSchema;
    const forms = after.anyOf ?? after.oneOf ?? [];
    expect(forms[0].enum).toEqual(['authentication', 'registration', 'synchronization', 'networking']);
    expect(forms.slice(1).map((form) => Object.keys(form.properties ?? {}))).toEqual([['step'], ['at'], ['action']]);
    expect(forms.slice(1).every((form) => form.additionalProperties === false)).toBe(true);
  });

  it('offers one form per timeline action, keyed by `action`', () => {
    const forms = spec.properties?.timeline.items?.oneOf ?? [];
    expect(forms.map((form) => form.properties?.action.const)).toEqual(TIMELINE_ACTIONS);
    expect(TIMELINE_ACTIONS).toContain('partition');
    expect(TIMELINE_ACTIONS).toHaveLength(18);
  });
});

it('lists each plugin backend once, the default first', () => {
  expect(NETWORK_BACKENDS).toEqual({
    flannel: ['vxlan', 'host-gw'],
    calico: ['ipip', 'vxlan', 'bgp'],
    weave: ['fastdp', 'sleeve'],
    bridge: ['host-gw'],
  });
});
