import type { KubeObject } from '../../api/meta.js';
import type { Simulation } from '../../sim/simulation.js';
import { objectKey, type InformerHandlers } from '../../controlplane/client/informer.js';
import { SERVICE_NAME_INDEX, serviceNameIndexFunc, type Indexer } from '../../controlplane/client/indexer.js';
import { LARGE_CLUSTER_ENDPOINTS_THRESHOLD } from '../proxy/iptables-proxier.js';
import { serviceFragment, servicePortKey, type ProxierContext, type ServiceFragment } from '../proxy/index.js';
import { servicePortsOf } from './proxy-service-ports.js';
import { ServiceTable, type PortsMemo, type ServiceEntry } from './service-table.js';

/**
 * kube-proxy's change trackers (pkg/proxy servicechangetracker.go, endpointschangetracker.go):
 * the informers' handlers only note which Services changed, by "namespace/name" (an
 * EndpointSlice names its Service in the kubernetes.io/service-name label); a sync rebuilds the
 * ports of those Services alone and keeps every other Service's ports, fragments and counts from
 * the last sync. A sync with nothing noted costs nothing, and any other costs in proportion to
 * the Services that changed, not to all of them.
 */
type Obj = Record<string, any>;

const SERVICE_NAME = 'kubernetes.io/service-name';

/** What one sync changed, and the state after it. */
export interface TrackedSync {
  /** Every Service's ports (and fragments, in iptables mode) after the sync, in the informer's order. */
  readonly table: ServiceTable;
  /** Each Service the sync changed: its entry before and after (undefined: it did not exist then). */
  readonly changed: readonly (readonly [ServiceEntry | undefined, ServiceEntry | undefined])[];
  /** Services with at least one proxied port. */
  readonly services: number;
  /** Endpoints over all Service ports. */
  readonly endpoints: number;
  /** iptables mode: the lines of `iptables-save` that belong to Service ports. */
  readonly lines: number;
}

interface Rebuilt {
  readonly key: string;
  readonly before: ServiceEntry | undefined;
  /** Undefined when the Service is gone. */
  readonly after?: { readonly seq: number; readonly service: KubeObject; readonly slices: readonly KubeObject[]; readonly memo: PortsMemo };
}

/** Fewer changes than this since the last full copy never copy the table again (see `ServiceTable`). */
const MIN_CHANGES_PER_COPY = 64;

/** Per node: the Services changed since the last sync, and every Service's part of the rules as of that sync. */
export class ProxyChangeTracker {
  /** Each cached Service's place: the order the informer's cache holds them in, which the proxier walks. */
  private readonly seqs = new Map<string, number>();
  private nextSeq = 0;
  /** Services ("namespace/name") whose Service or EndpointSlices changed since the last sync. */
  private readonly pending = new Set<string>();
  /** The state after the last sync, by Service. */
  private readonly live = new Map<string, ServiceEntry>();
  private table: ServiceTable | undefined;
  private services = 0;
  private endpoints = 0;
  private lines = 0;
  /** The proxier flags the current fragments were rendered with. */
  private flags: string | undefined;

  private serviceCache: ReadonlyMap<string, KubeObject> = new Map();
  private sliceCache: Indexer<KubeObject> | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly nodeName: string,
  ) {}

  /**
   * Reads Services and EndpointSlices from these informer caches (whose handlers are
   * `serviceHandlers` and `sliceHandlers`). The slice cache gets an index by Service, so that a
   * Service's slices are found without a scan.
   */
  attach(services: ReadonlyMap<string, KubeObject>, slices: Indexer<KubeObject>): void {
    slices.addIndexer(SERVICE_NAME_INDEX, serviceNameIndexFunc);
    this.serviceCache = services;
    this.sliceCache = slices;
  }

  /** A Service entered the cache: it goes last in the cache's order, as a Map key added anew does. */
  serviceAdded(service: KubeObject): void {
    const key = objectKey(service);
    this.seqs.set(key, this.nextSeq++);
    this.pending.add(key);
  }

  serviceUpdated(service: KubeObject): void {
    this.pending.add(objectKey(service));
  }

  serviceDeleted(service: KubeObject): void {
    const key = objectKey(service);
    this.seqs.delete(key);
    this.pending.add(key);
  }

  /** An EndpointSlice was added, updated or deleted: its Service's endpoints may have changed. */
  sliceChanged(slice: KubeObject): void {
    const name = slice.metadata.labels?.[SERVICE_NAME];
    if (name !== undefined) this.pending.add(`${slice.metadata.namespace}/${name}`);
  }

  /** The Service informer's handlers: note the change, then `then` (ask for a sync). */
  serviceHandlers(then: () => void): Required<Omit<InformerHandlers<KubeObject>, 'onSynced'>> {
    return {
      onAdd: (svc) => (this.serviceAdded(svc), then()),
      onUpdate: (_, svc) => (this.serviceUpdated(svc), then()),
      onDelete: (svc) => (this.serviceDeleted(svc), then()),
    };
  }

  /** The EndpointSlice informer's handlers; a slice moved to another Service changes both. */
  sliceHandlers(then: () => void): Required<Omit<InformerHandlers<KubeObject>, 'onSynced'>> {
    return {
      onAdd: (slice) => (this.sliceChanged(slice), then()),
      onUpdate: (old, slice) => {
        if (old.metadata.labels?.[SERVICE_NAME] !== slice.metadata.labels?.[SERVICE_NAME]) this.sliceChanged(old);
        this.sliceChanged(slice);
        then();
      },
      onDelete: (slice) => (this.sliceChanged(slice), then()),
    };
  }

  /** True when a Service or EndpointSlice changed since the last sync. */
  hasChanges(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Applies the changes noted since the last sync. With `context` (iptables mode) each changed
   * Service port also gets its fragment; when the flags every fragment depends on change (the
   * large-cluster threshold is crossed), every fragment is rendered again.
   */
  sync(context: ProxierContext | undefined): TrackedSync {
    const rebuilt = this.rebuild();
    for (const { before, after } of rebuilt) {
      if (before) {
        this.endpoints -= before.ports.endpoints;
        if (before.ports.ports.length > 0) this.services--;
      }
      if (after) {
        this.endpoints += after.memo.endpoints;
        if (after.memo.ports.length > 0) this.services++;
      }
    }
    const largeCluster = this.endpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
    const flags = context ? `|${context.clusterCIDR}|${context.masqueradeBit ?? 14}|${largeCluster}` : '';
    const renderAll = this.table !== undefined && flags !== this.flags;
    this.flags = flags;
    const changed: [ServiceEntry | undefined, ServiceEntry | undefined][] = [];
    const delta = new Map<string, ServiceEntry | null>();
    for (const { key, before, after } of rebuilt) {
      this.lines -= before?.lines ?? 0;
      if (!after) {
        this.live.delete(key);
        delta.set(key, null);
        changed.push([before, undefined]);
        continue;
      }
      const entry = this.entry(key, after.seq, after.service, after.slices, after.memo, context, largeCluster, flags);
      this.lines += entry.lines;
      this.live.set(key, entry);
      delta.set(key, entry);
      changed.push([before, entry]);
    }
    if (renderAll) {
      for (const [key, was] of this.live) {
        if (delta.has(key)) continue;
        const entry = this.entry(key, was.seq, was.service, was.slices, was.ports, context, largeCluster, flags);
        this.lines += entry.lines - was.lines;
        this.live.set(key, entry);
        changed.push([was, entry]);
      }
    }
    const copy = renderAll || !this.table || this.table.changes + delta.size > Math.max(this.live.size, MIN_CHANGES_PER_COPY);
    this.table = copy ? ServiceTable.of(this.live) : this.table!.then(delta);
    return { table: this.table, changed, services: this.services, endpoints: this.endpoints, lines: this.lines };
  }

  /** The noted Services as the caches hold them now, skipping those that did not change. */
  private rebuild(): Rebuilt[] {
    const out: Rebuilt[] = [];
    const cache = this.serviceCache;
    for (const key of this.pending) {
      const before = this.live.get(key);
      const service = cache.get(key);
      const seq = this.seqs.get(key);
      if (!service || seq === undefined) {
        if (before) out.push({ key, before });
        continue;
      }
      const slices = this.slicesOf(key);
      const same = before !== undefined && before.service === service && sameObjects(before.slices, slices);
      if (same && before.seq === seq) continue;
      const memo = same ? before.ports : this.portsMemo(service, slices);
      out.push({ key, before, after: { seq, service, slices, memo } });
    }
    this.pending.clear();
    return out;
  }

  /** A Service's IPv4 EndpointSlices, in cache order (as `slicesByService` gives them). */
  private slicesOf(key: string): KubeObject[] {
    return (this.sliceCache?.byIndex(SERVICE_NAME_INDEX, key) ?? []).filter((s) => ((s as Obj).addressType ?? 'IPv4') === 'IPv4');
  }

  private portsMemo(service: KubeObject, slices: readonly KubeObject[]): PortsMemo {
    if (hostsEndpoint(slices, this.nodeName)) return portsMemo(service, slices, this.nodeName, this.nodeName);
    // No endpoint of this Service runs here: every such node sees the same ports (none of
    // them local), so one copy serves them all. Nodes that hold the very same objects find it
    // without building its key.
    const last = lastShared.get(service);
    if (last && sameObjects(last.slices, slices)) return last.memo;
    const memo = sharedPorts(this.sim, service, slices, () => portsMemo(service, slices, this.nodeName, ''));
    lastShared.set(service, { slices, memo });
    return memo;
  }

  private entry(
    key: string,
    seq: number,
    service: KubeObject,
    slices: readonly KubeObject[],
    memo: PortsMemo,
    context: ProxierContext | undefined,
    largeCluster: boolean,
    flags: string,
  ): ServiceEntry {
    if (!context) return { key, seq, service, slices, ports: memo, fragments: NO_FRAGMENTS, lines: 0 };
    if (memo.rendered?.flags !== flags) {
      const fragments = new Map<string, ServiceFragment>();
      memo.ports.forEach((port, i) => {
        const portKey = servicePortKey(port);
        fragments.set(portKey, sharedFragment(this.sim, portKey, memo.keys[i] + flags, () => serviceFragment(port, context, largeCluster)));
      });
      let lines = 0;
      for (const fragment of fragments.values()) lines += fragment.lineCount;
      memo.rendered = { flags, fragments, lines };
    }
    const { fragments, lines } = memo.rendered;
    return { key, seq, service, slices, ports: memo, fragments, lines };
  }
}

const NO_FRAGMENTS: ReadonlyMap<string, ServiceFragment> = new Map();

/** True when one of the slices lists an endpoint on this node. */
function hostsEndpoint(slices: readonly KubeObject[], nodeName: string): boolean {
  return slices.some((s) => ((s as Obj).endpoints ?? []).some((ep: Obj) => ep.nodeName === nodeName));
}

function inputKeyOf(svc: KubeObject, slices: readonly KubeObject[]): string {
  return `${svc.metadata.namespace}/${svc.metadata.name}@${svc.metadata.resourceVersion}|${slices.map((s) => `${s.metadata.name}@${s.metadata.resourceVersion}`).join(',')}`;
}

/**
 * One Service's ports as the proxier on `nodeName` sees them, with what each port's fragment is a
 * function of: the Service and its slices, and the node when that node hosts an endpoint and a
 * traffic policy is Local (`localTo` is '' when no endpoint is local: the rules are then the same
 * on every such node).
 */
function portsMemo(svc: KubeObject, slices: readonly KubeObject[], nodeName: string, localTo: string): PortsMemo {
  const ports = servicePortsOf(svc, slices, nodeName);
  const inputKey = inputKeyOf(svc, slices);
  const keys = ports.map((p) => `${inputKey}|${p.portName}/${p.protocol}|${p.internalTrafficPolicy === 'Local' || (p.nodePort && p.externalTrafficPolicy === 'Local') ? localTo : ''}`);
  return { ports, keys, endpoints: ports.reduce((n, p) => n + p.endpoints.length, 0) };
}

/** How many versions of one Service's ports, or of one Service port's fragment, are kept for other nodes (nodes lag by a watch event or two). */
const VERSIONS_KEPT = 4;
const sharedPortsCache = new WeakMap<Simulation, Map<string, Map<string, PortsMemo>>>();
/** The shared ports last found for a Service object, with the slices they were found for. */
const lastShared = new WeakMap<KubeObject, { readonly slices: readonly KubeObject[]; readonly memo: PortsMemo }>();
const fragmentCache = new WeakMap<Simulation, Map<string, Map<string, ServiceFragment>>>();

/** A bounded cache of recent versions: per name, at most VERSIONS_KEPT, the oldest dropped first. */
function recent<T>(caches: WeakMap<Simulation, Map<string, Map<string, T>>>, sim: Simulation, name: string, key: string, make: () => T): T {
  let byName = caches.get(sim);
  if (!byName) caches.set(sim, (byName = new Map()));
  let versions = byName.get(name);
  if (!versions) byName.set(name, (versions = new Map()));
  let value = versions.get(key);
  if (value === undefined) {
    versions.set(key, (value = make()));
    if (versions.size > VERSIONS_KEPT) versions.delete(versions.keys().next().value!);
  }
  return value;
}

/** The ports of a Service as seen from any node that hosts none of its endpoints, built once. */
function sharedPorts(sim: Simulation, svc: KubeObject, slices: readonly KubeObject[], make: () => PortsMemo): PortsMemo {
  return recent(sharedPortsCache, sim, `${svc.metadata.namespace}/${svc.metadata.name}`, inputKeyOf(svc, slices), make);
}

/**
 * A Service port's fragment for these inputs, rendered by the first kube-proxy that needs it and
 * then shared: every node renders the same chains from the same Service and EndpointSlices.
 */
function sharedFragment(sim: Simulation, port: string, key: string, make: () => ServiceFragment): ServiceFragment {
  return recent(fragmentCache, sim, port, key, make);
}

function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Each Service port a sync changed, as its fragment before and after (for `diffServicePorts`). */
export function changedPorts(sync: TrackedSync): [ServiceFragment | undefined, ServiceFragment | undefined][] {
  const pairs: [ServiceFragment | undefined, ServiceFragment | undefined][] = [];
  for (const [before, after] of sync.changed) {
    const was = before?.fragments;
    const is = after?.fragments;
    if (was) for (const [key, fragment] of was) if (is?.get(key) !== fragment) pairs.push([fragment, is?.get(key)]);
    if (is) for (const [key, fragment] of is) if (!was?.has(key)) pairs.push([undefined, fragment]);
  }
  return pairs;
}
