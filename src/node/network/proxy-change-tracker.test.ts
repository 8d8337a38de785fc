import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { objectKey } from '../../controlplane/client/informer.js';
import { Indexer } from '../../controlplane/client/indexer.js';
import type { Simulation } from '../../sim/simulation.js';
import { buildIptablesProgram, LARGE_CLUSTER_ENDPOINTS_THRESHOLD } from '../proxy/iptables-proxier.js';
import { saveLineCount } from '../proxy/iptables-save.js';
import {
  diffFragments,
  diffRules,
  diffServicePorts,
  fixedSaveLineCount,
  renderIptables,
  serviceFragment,
  servicePortKey,
  type ProxierContext,
  type ServiceFragment,
  type ServicePortModel,
} from '../proxy/index.js';
import { ProxyChangeTracker, changedPorts, type TrackedSync } from './proxy-change-tracker.js';
import { servicePortsFrom } from './proxy-service-ports.js';
import type { ServiceTable } from './service-table.js';

type Obj = Record<string, any>;
type Handlers = { onAdd(o: KubeObject): void; onUpdate(old: KubeObject, o: KubeObject): void; onDelete(o: KubeObject): void };

const NODE = 'node-1';
const CTX: ProxierContext = { nodeName: NODE, nodeIP: '192.168.56.11', clusterCIDR: '10.244.0.0/16' };

/**
 * An informer's cache and handler calls, exactly as `Informer.apply` (a watch event) and
 * `Informer.replace` (a relist after 410 Gone) make them: a relist keeps the place of objects
 * already cached, replaces unchanged ones with fresh copies without a handler call, appends new
 * ones in list order and deletes the rest.
 */
class CacheModel {
  readonly cache = new Indexer<KubeObject>();
  constructor(private readonly handlers: Handlers) {}

  apply(type: 'PUT' | 'DELETED', obj: KubeObject): void {
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (type === 'DELETED') {
      this.cache.delete(key);
      this.handlers.onDelete(old ?? obj);
      return;
    }
    this.cache.set(key, obj);
    if (old) this.handlers.onUpdate(old, obj);
    else this.handlers.onAdd(obj);
  }

  replace(items: readonly KubeObject[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const key = objectKey(item);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, item);
      if (old) {
        if (old.metadata.resourceVersion !== item.metadata.resourceVersion) this.handlers.onUpdate(old, item);
      } else this.handlers.onAdd(item);
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.handlers.onDelete(old);
      }
    }
  }
}

const NAMESPACES = ['default', 'shop'];

function service(ns: number, i: number, variant: number, rv: number): KubeObject {
  const http = { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' };
  const specs: Obj[] = [
    { ports: [http] },
    { ports: [http, { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }] },
    { type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ ...http, nodePort: 30000 + 10 * ns + i }] },
    { internalTrafficPolicy: 'Local', ports: [http] },
    { ports: [{ port: 8080, targetPort: 8080, protocol: 'TCP' }] },
    { clusterIP: 'None', ports: [http] },
    { type: 'ExternalName', externalName: 'example.com' },
  ];
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { namespace: NAMESPACES[ns], name: `svc-${i}`, resourceVersion: String(rv) },
    spec: { clusterIP: `10.96.${ns}.${10 + i}`, ...specs[variant] },
  };
}

interface EndpointSpec { readonly host: number; readonly node: number; readonly ready: boolean; readonly terminating: boolean }

function slice(ns: number, s: number, target: number, ports: number, eps: readonly EndpointSpec[], v6: boolean, rv: number): KubeObject {
  const portSets: Obj[][] = [
    [{ name: 'http', port: 8080, protocol: 'TCP' }],
    [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }],
    [{ name: '', port: 8080, protocol: 'TCP' }],
  ];
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: v6 ? 'IPv6' : 'IPv4',
    metadata: { namespace: NAMESPACES[ns], name: `slice-${s}`, resourceVersion: String(rv), labels: { 'kubernetes.io/service-name': `svc-${target}` } },
    ports: portSets[ports],
    endpoints: eps.map((e) => ({
      addresses: [`10.244.${e.node}.${e.host}`], nodeName: `node-${e.node}`,
      conditions: { ready: e.ready, serving: e.ready, terminating: e.terminating },
    })),
  } as KubeObject;
}

type Command =
  | { op: 'service'; ns: number; i: number; variant: number; seen: boolean }
  | { op: 'deleteService'; ns: number; i: number; seen: boolean }
  | { op: 'slice'; ns: number; s: number; target: number; ports: number; eps: EndpointSpec[]; v6: boolean; seen: boolean }
  | { op: 'deleteSlice'; ns: number; s: number; seen: boolean }
  | { op: 'relist' }
  | { op: 'sync' };

const ns = fc.integer({ min: 0, max: 1 });
const i = fc.integer({ min: 0, max: 3 });
/** Most events reach the informer; a missed one is picked up by the next relist. */
const seen = fc.integer({ min: 0, max: 7 }).map((n) => n > 0);
const endpoint = fc.record({ host: fc.integer({ min: 2, max: 9 }), node: fc.integer({ min: 0, max: 2 }), ready: fc.boolean(), terminating: fc.boolean() });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('service' as const), ns, i, variant: fc.integer({ min: 0, max: 6 }), seen }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('deleteService' as const), ns, i, seen }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('slice' as const), ns, s: fc.integer({ min: 0, max: 5 }), target: i, ports: fc.integer({ min: 0, max: 2 }),
      eps: fc.uniqueArray(endpoint, { maxLength: 4, selector: (e) => `${e.node}.${e.host}` }), v6: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), seen,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteSlice' as const), ns, s: fc.integer({ min: 0, max: 5 }), seen }) },
  { weight: 1, arbitrary: fc.constant({ op: 'relist' as const }) },
  { weight: 3, arbitrary: fc.constant({ op: 'sync' as const }) },
);

/** The old way, for comparison: every Service port's fragment rendered afresh from the whole caches. */
function freshFragments(ports: readonly ServicePortModel[]): Map<string, ServiceFragment> {
  const large = ports.reduce((n, p) => n + p.endpoints.length, 0) > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
  return new Map(ports.map((p) => [servicePortKey(p), serviceFragment(p, CTX, large)]));
}

const portsOf = (table: ServiceTable): ServicePortModel[] => table.entries().flatMap((e) => e.ports.ports);
const sortedLines = (text: string): string[] => text.split('\n').sort();

/** A kube-proxy's two caches (Services, EndpointSlices), what the API server holds, and the tracker fed by the caches' handlers. */
class World {
  rv = 1;
  readonly server = { services: new Map<string, KubeObject>(), slices: new Map<string, KubeObject>() };
  readonly tracker: ProxyChangeTracker;
  readonly services: CacheModel;
  readonly slices: CacheModel;

  /** Wired as kube-proxy wires its informers. */
  constructor() {
    this.tracker = new ProxyChangeTracker({} as Simulation, NODE);
    const none = (): void => {};
    this.services = new CacheModel(this.tracker.serviceHandlers(none));
    this.slices = new CacheModel(this.tracker.sliceHandlers(none));
    this.tracker.attach(this.services.cache, this.slices.cache);
  }

  run(c: Exclude<Command, { op: 'sync' }>): void {
    if (c.op === 'relist') {
      const fresh = (m: Map<string, KubeObject>): KubeObject[] => [...m.keys()].sort().map((k) => structuredClone(m.get(k)!));
      this.services.replace(fresh(this.server.services));
      this.slices.replace(fresh(this.server.slices));
      return;
    }
    const [server, cache, obj] = c.op === 'service' ? [this.server.services, this.services, service(c.ns, c.i, c.variant, this.rv++)]
      : c.op === 'slice' ? [this.server.slices, this.slices, slice(c.ns, c.s, c.target, c.ports, c.eps, c.v6, this.rv++)]
        : c.op === 'deleteService' ? [this.server.services, this.services, service(c.ns, c.i, 0, this.rv++)]
          : [this.server.slices, this.slices, slice(c.ns, c.s, 0, 0, [], false, this.rv++)];
    const key = objectKey(obj);
    const deleting = c.op === 'deleteService' || c.op === 'deleteSlice';
    if (deleting) {
      const old = server.get(key);
      if (!old) return;
      server.delete(key);
      if (c.seen) cache.apply('DELETED', { ...old, metadata: { ...old.metadata, resourceVersion: obj.metadata.resourceVersion } });
    } else {
      server.set(key, obj);
      if (c.seen) cache.apply('PUT', obj);
    }
  }

  /** What a full render from the caches gives now (the proxier before change tracking). */
  fullPorts(): ServicePortModel[] {
    return servicePortsFrom([...this.services.cache.values()], [...this.slices.cache.values()], NODE);
  }
}

/** Checks one sync against a render of everything from the caches, and against the last such render. */
function checkSync(sync: TrackedSync, expected: ServicePortModel[], last: { ports: ServicePortModel[]; fragments: Map<string, ServiceFragment> } | undefined): Map<string, ServiceFragment> {
  // The Service ports, in the order the proxier walks them (the informer cache's order).
  expect(portsOf(sync.table)).toEqual(expected);
  expect(sync.services).toBe(new Set(expected.map((p) => `${p.namespace}/${p.name}`)).size);
  expect(sync.endpoints).toBe(expected.reduce((n, p) => n + p.endpoints.length, 0));
  // Every kept fragment has the rules a fresh render gives.
  const fresh = freshFragments(expected);
  const kept = new Map(sync.table.entries().flatMap((e) => [...e.fragments]));
  expect([...kept.keys()].sort()).toEqual([...fresh.keys()].sort());
  const drift = diffFragments(fresh, kept, 'nft');
  expect({ added: drift.added, removed: drift.removed }).toEqual({ added: 0, removed: 0 });
  // A first sync's "+N lines": exactly the lines iptables-save prints.
  const text = renderIptables(expected, CTX).save;
  expect(fixedSaveLineCount() + sync.lines).toBe(text.trimEnd().split('\n').length);
  expect(fixedSaveLineCount() + sync.lines).toBe(saveLineCount(buildIptablesProgram(expected, CTX)));
  if (last) {
    // A later sync's "+A -R lines" and its diff: the lines that changed in iptables-save.
    const diff = diffServicePorts(changedPorts(sync), 'nft');
    const whole = diffRules(renderIptables(last.ports, CTX).save, text);
    expect({ added: diff.added, removed: diff.removed }).toEqual({ added: whole.added, removed: whole.removed });
    expect(sortedLines(diff.text)).toEqual(sortedLines(whole.text));
    // Byte for byte what comparing every fragment (the sync before change tracking) printed.
    expect(diff.text).toBe(diffFragments(last.fragments, fresh, 'nft').text);
  }
  return fresh;
}

describe('kube-proxy change tracking (incremental syncs)', () => {
  it('after any sequence of Service and EndpointSlice events, each sync equals a render of everything', () => {
    fc.assert(fc.property(fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), (commands) => {
      const world = new World();
      const history: [ServiceTable, ServicePortModel[]][] = [];
      let last: { ports: ServicePortModel[]; fragments: Map<string, ServiceFragment> } | undefined;
      for (const c of [...commands, { op: 'sync' } as const]) {
        if (c.op !== 'sync') {
          world.run(c);
          continue;
        }
        const changes = world.tracker.hasChanges();
        const sync = world.tracker.sync(CTX);
        const expected = world.fullPorts();
        if (!changes && last) expect(expected).toEqual(last.ports);
        last = { ports: expected, fragments: checkSync(sync, expected, last) };
        history.push([sync.table, expected]);
      }
      // The table of every earlier sync still reads as it was (the rules a recorded step shows).
      for (const [table, expected] of history) expect(portsOf(table)).toEqual(expected);
    }), { numRuns: 150 });
  });

  it('keeps the cache order: a Service deleted and created again moves last, a relist keeps places', () => {
    const world = new World();
    for (const i of [0, 1, 2]) world.run({ op: 'service', ns: 0, i, variant: 0, seen: true });
    const names = (): string[] => portsOf(world.tracker.sync(CTX).table).map((p) => p.name);
    expect(names()).toEqual(['svc-0', 'svc-1', 'svc-2']);
    world.run({ op: 'deleteService', ns: 0, i: 0, seen: true });
    world.run({ op: 'service', ns: 0, i: 0, variant: 1, seen: true });
    world.run({ op: 'service', ns: 0, i: 1, variant: 3, seen: true });
    expect(names()).toEqual(['svc-1', 'svc-2', 'svc-0', 'svc-0']);
    // Missed while the watch was down: svc-3 created, svc-2 deleted and created again.
    world.run({ op: 'service', ns: 0, i: 3, variant: 0, seen: false });
    world.run({ op: 'deleteService', ns: 0, i: 2, seen: false });
    world.run({ op: 'service', ns: 0, i: 2, variant: 0, seen: false });
    world.run({ op: 'relist' });
    // svc-2 was updated in place (its key never left the cache); svc-3 is new, so last.
    expect(names()).toEqual(['svc-1', 'svc-2', 'svc-0', 'svc-0', 'svc-3']);
    expect(names()).toEqual(world.fullPorts().map((p) => p.name));
  });

  it('renders every fragment again when the endpoints cross the large-cluster threshold, both ways', () => {
    const world = new World();
    world.run({ op: 'service', ns: 0, i: 0, variant: 0, seen: true });
    world.run({ op: 'service', ns: 0, i: 1, variant: 0, seen: true });
    world.run({ op: 'slice', ns: 0, s: 0, target: 0, ports: 0, eps: [{ host: 2, node: 1, ready: true, terminating: false }], v6: false, seen: true });
    const many = (s: number): KubeObject => {
      const eps = Array.from({ length: 520 }, (_, n) => ({
        addresses: [`10.${245 + s}.${n >> 8}.${n & 255}`], nodeName: `node-${n % 3}`, conditions: { ready: true, serving: true, terminating: false },
      }));
      return { ...slice(0, s, 1, 0, [], false, world.rv++), endpoints: eps } as KubeObject;
    };
    let last: { ports: ServicePortModel[]; fragments: Map<string, ServiceFragment> } | undefined;
    const sync = (): TrackedSync => {
      const s = world.tracker.sync(CTX);
      const expected = world.fullPorts();
      last = { ports: expected, fragments: checkSync(s, expected, last) };
      return s;
    };
    sync();
    // svc-0's KUBE-SEP- rules, which carry comments unless the cluster is large.
    const sepRules = (s: TrackedSync): string[] => [...s.table.entries().find((e) => e.key === 'default/svc-0')!.fragments.values()]
      .flatMap((f) => [...f.own].filter(([chain]) => chain.startsWith('KUBE-SEP-')).flatMap(([, rules]) => rules));
    expect(sepRules(sync()).every((l) => l.includes('--comment'))).toBe(true);
    world.slices.apply('PUT', many(1));
    world.slices.apply('PUT', many(2));
    const crossed = sync();
    expect(crossed.endpoints).toBeGreaterThan(LARGE_CLUSTER_ENDPOINTS_THRESHOLD);
    // svc-0 did not change, yet its KUBE-SEP- rules lose their comments.
    expect(crossed.changed.map(([, after]) => after?.key)).toContain('default/svc-0');
    expect(sepRules(crossed).some((l) => l.includes('--comment'))).toBe(false);
    world.slices.apply('DELETED', many(2));
    const back = sync();
    expect(back.endpoints).toBeLessThanOrEqual(LARGE_CLUSTER_ENDPOINTS_THRESHOLD);
    expect(back.changed.map(([, after]) => after?.key)).toContain('default/svc-0');
    expect(sepRules(back).every((l) => l.includes('--comment'))).toBe(true);
  });
});
