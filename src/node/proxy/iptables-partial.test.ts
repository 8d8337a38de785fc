import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffRules } from './diff.js';
import { LARGE_CLUSTER_ENDPOINTS_THRESHOLD, buildIptablesProgram } from './iptables-proxier.js';
import { saveLineCount } from './iptables-save.js';
import { diffFragments, serviceFragment, servicePortKey, type ServiceFragment } from './iptables-partial.js';
import { renderIptables } from './iptables.js';
import { NODE_1, readyEndpoint, sampleServices } from './testdata.js';
import type { EndpointModel, ServicePortModel } from './types.js';

/** What kube-proxy keeps between syncs: one fragment per Service port, re-rendered only when it changed. */
function fragmentsOf(services: readonly ServicePortModel[], previous?: Map<string, [ServicePortModel, ServiceFragment]>): Map<string, [ServicePortModel, ServiceFragment]> {
  const large = services.reduce((n, s) => n + s.endpoints.length, 0) > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
  const out = new Map<string, [ServicePortModel, ServiceFragment]>();
  for (const svc of services) {
    const key = servicePortKey(svc);
    const was = previous?.get(key);
    out.set(key, was && was[0] === svc ? was : [svc, serviceFragment(svc, NODE_1, large)]);
  }
  return out;
}

const only = (m: Map<string, [ServicePortModel, ServiceFragment]>): Map<string, ServiceFragment> => new Map([...m].map(([k, [, f]]) => [k, f]));

/** The full-text diff of iptables-save before and after, which the partial diff must equal. */
function both(before: ServicePortModel[], after: ServicePortModel[]): { full: ReturnType<typeof diffRules>; partial: ReturnType<typeof diffFragments> } {
  const a = fragmentsOf(before);
  const b = fragmentsOf(after, a);
  return {
    full: diffRules(renderIptables(before, NODE_1).save, renderIptables(after, NODE_1).save),
    partial: diffFragments(only(a), only(b), 'nft'),
  };
}

describe('partial sync (diffFragments)', () => {
  it('reports a scale-up exactly as the diff of the whole iptables-save, reading only the changed Service port', () => {
    const before = sampleServices();
    const after = [...before];
    after[4] = { ...after[4], endpoints: [...after[4].endpoints, readyEndpoint('10.244.2.10', 8080, 'node-2')] };
    const { full, partial } = both(before, after);
    expect(partial.added).toBeGreaterThan(0);
    expect(partial).toEqual({ text: full.text, added: full.added, removed: full.removed });
    expect(partial.text).not.toContain('kube-dns');
  });

  it('gives no change when every fragment is the same object', () => {
    const services = sampleServices();
    const a = only(fragmentsOf(services));
    expect(diffFragments(a, new Map(a), 'nft')).toEqual({ text: '', added: 0, removed: 0 });
  });

  it('a Service losing its last endpoint moves from nat to a filter REJECT, a deleted one leaves nothing', () => {
    const before = sampleServices();
    const after = [...before.slice(0, 4), { ...before[4], endpoints: [] }];
    const { full, partial } = both(before, after);
    expect(partial.text).toContain('+ -A KUBE-SERVICES -d 10.96.120.15/32 -p tcp -m comment --comment "default/web:http has no endpoints"');
    expect({ added: partial.added, removed: partial.removed }).toEqual({ added: full.added, removed: full.removed });
    const gone = both(before, before.slice(1));
    expect({ added: gone.partial.added, removed: gone.partial.removed }).toEqual({ added: 0, removed: gone.full.removed });
  });

  it('matches the whole-table diff in added and removed lines for any change of endpoints', () => {
    const endpoint = fc.record({ host: fc.integer({ min: 2, max: 9 }), node: fc.constantFrom('node-0', 'node-1', 'node-2'), ready: fc.boolean(), terminating: fc.boolean() })
      .map(({ host, node, ready, terminating }): EndpointModel => ({ ...readyEndpoint(`10.244.1.${host}`, 8080, node), ready, serving: ready, terminating }));
    const service = fc.record({
      i: fc.integer({ min: 0, max: 5 }),
      nodePort: fc.boolean(),
      local: fc.boolean(),
      endpoints: fc.uniqueArray(endpoint, { maxLength: 5, selector: (e) => e.ip }),
    }).map(({ i, nodePort, local, endpoints }): ServicePortModel => ({
      namespace: 'default', name: `svc-${i}`, portName: '', protocol: 'TCP', clusterIP: `10.96.0.${10 + i}`, port: 80, targetPort: 8080,
      ...(nodePort ? { nodePort: 30000 + i } : {}), externalTrafficPolicy: local ? 'Local' : 'Cluster', internalTrafficPolicy: 'Cluster', endpoints,
    }));
    const services = fc.uniqueArray(service, { maxLength: 5, selector: (s) => s.name });
    fc.assert(fc.property(services, services, (before, after) => {
      const { full, partial } = both(before, after);
      expect({ added: partial.added, removed: partial.removed }).toEqual({ added: full.added, removed: full.removed });
      const sorted = (text: string): string[] => text.split('\n').sort();
      expect(sorted(partial.text)).toEqual(sorted(full.text));
    }), { numRuns: 300 });
  });
});

describe('saveLineCount (the "+N lines" of a first sync)', () => {
  const lines = (services: readonly ServicePortModel[], ctx = NODE_1): number => renderIptables(services, ctx).save.trimEnd().split('\n').length;
  const counted = (services: readonly ServicePortModel[], ctx = NODE_1): number => saveLineCount(buildIptablesProgram(services, ctx));

  it('counts exactly the lines iptables-save prints: no Services, some, one without endpoints, the legacy backend', () => {
    const services = sampleServices();
    expect(counted([])).toBe(lines([]));
    expect(counted(services)).toBe(lines(services));
    const noEndpoints = [...services.slice(0, 4), { ...services[4], endpoints: [] }];
    expect(counted(noEndpoints)).toBe(lines(noEndpoints));
    const legacy = { ...NODE_1, iptablesBackend: 'legacy' as const };
    expect(counted(services, legacy)).toBe(lines(services, legacy));
  });

  it('counts a large cluster (no rule comments) exactly', () => {
    const services = sampleServices();
    const many: EndpointModel[] = Array.from({ length: LARGE_CLUSTER_ENDPOINTS_THRESHOLD + 5 }, (_, i) => readyEndpoint(`10.244.${(i >> 8) + 3}.${i & 255}`, 8080, 'node-2'));
    const large = [...services.slice(0, 4), { ...services[4], endpoints: many }];
    expect(counted(large)).toBe(lines(large));
    expect(counted(large)).toBeGreaterThan(2 * LARGE_CLUSTER_ENDPOINTS_THRESHOLD);
  });
});
