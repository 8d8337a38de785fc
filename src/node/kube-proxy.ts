import type { Prng } from '../sim/prng.js';
import type { Simulation } from '../sim/simulation.js';
import type { ClusterConfig } from '../cluster/config.js';
import type { RestClient } from '../controlplane/client/rest-client.js';
import { Informer } from '../controlplane/client/informer.js';
import {
  diffFragments,
  diffRules,
  renderIptables,
  renderIpvs,
  renderNftables,
  serviceFragment,
  servicePortKey,
  type IptablesRender,
  type ProxierContext,
  type RuleDiff,
  type ServiceFragment,
  type ServicePortModel,
} from './proxy/index.js';
import { LARGE_CLUSTER_ENDPOINTS_THRESHOLD, buildIptablesProgram } from './proxy/iptables-proxier.js';
import { saveLineCount } from './proxy/iptables-save.js';
import type { KubeObject } from '../api/meta.js';
import { BoundedFrequencyRunner } from './network/bounded-frequency-runner.js';
import { kernelTables, type ProgrammedRules } from './network/kernel-tables.js';
import { servicePortsFrom, servicePortsOf, slicesByService } from './network/proxy-service-ports.js';

/**
 * kube-proxy on one node (cmd/kube-proxy, pkg/proxy): it authenticates with its service-account
 * token and lists/watches Services, EndpointSlices and its own Node. It never watches Pods, and
 * it never forwards traffic itself: it programs the kernel, which rewrites packets. Syncs go
 * through a BoundedFrequencyRunner: at most one per minSyncPeriod (1s, burst 2), at least one per
 * syncPeriod (30s).
 */
type Obj = Record<string, any>;

/** --iptables-min-sync-period (and the ipvs/nftables equivalents): 1s by default. */
export const MIN_SYNC_PERIOD_MS = 1_000;
/** --iptables-sync-period: 30s by default. */
export const SYNC_PERIOD_MS = 30_000;

const HOW: Record<ProgrammedRules['mode'], string> = {
  iptables: 'In iptables mode it writes its chains with one iptables-restore --noflush: KUBE-SERVICES matches each ClusterIP and port and jumps to that Service port\'s KUBE-SVC- chain, which picks one KUBE-SEP- chain per connection at random (statistic match, probability 1/(n-i) for rule i of n, so each endpoint gets 1/n), and the KUBE-SEP- chain DNATs to the pod\'s IP and port. A Service with no endpoints gets a REJECT in the filter table instead. Since 1.28 most syncs rewrite only the chains of Services that changed; the inspector shows the whole table.',
  ipvs: 'In ipvs mode each Service port becomes an IPVS virtual server whose real servers are the endpoints (round robin, masquerade forwarding); every ClusterIP is bound to the dummy interface kube-ipvs0 so the kernel accepts it as local, and ipsets let a handful of iptables rules handle masquerading for all Services.',
  nftables: 'In nftables mode it owns one table, ip kube-proxy: the service-ips verdict map sends each ClusterIP . protocol . port to that Service port\'s chain, numgen random picks an endpoint chain that DNATs, and the no-endpoint-services map rejects connections to Services without endpoints.',
};

/** kube-proxy on one node: informers, the sync runner, and the rules it last programmed. */
export class KubeProxy {
  readonly services: Informer;
  readonly endpointSlices: Informer;
  readonly node: Informer;
  /** The rules this process last programmed; they stay in the kernel after it stops. */
  lastRender: ProgrammedRules | undefined;
  /** The objects the last render was made from. */
  private lastInputs: SyncInputs | undefined;
  private readonly runner: BoundedFrequencyRunner;
  /** Each Service's ports as last built, with the EndpointSlices they were built from (its change tracker). */
  private readonly portsOf = new WeakMap<KubeObject, PortsMemo>();

  constructor(
    private readonly sim: Simulation,
    client: RestClient,
    prng: Prng,
    private readonly nodeName: string,
    readonly config: ClusterConfig,
  ) {
    this.runner = new BoundedFrequencyRunner(sim, client.actor, (periodic) => this.syncProxyRules(periodic), MIN_SYNC_PERIOD_MS, SYNC_PERIOD_MS);
    const onChange = (): void => this.changed();
    const handlers = { onAdd: onChange, onUpdate: onChange, onDelete: onChange, onSynced: onChange };
    this.services = new Informer(sim, client, prng.fork('services'), {
      path: '/api/v1/services',
      labelSelector: '!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name',
      why: `kube-proxy on ${nodeName} lists and watches Services (skipping headless ones and those owned by another proxy): each ClusterIP and port becomes rules on this node.`,
      stage: 'networking',
    }, handlers);
    this.endpointSlices = new Informer(sim, client, prng.fork('endpointslices'), {
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      labelSelector: '!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name',
      why: `kube-proxy on ${nodeName} lists and watches EndpointSlices: they say which pod IPs back each Service. It does not watch Pods.`,
      stage: 'networking',
    }, handlers);
    this.node = new Informer(sim, client, prng.fork('node'), {
      path: '/api/v1/nodes',
      fieldSelector: `metadata.name=${nodeName}`,
      why: `kube-proxy watches its own Node for its address and labels (topology hints, the local-traffic detector).`,
      stage: 'networking',
    }, {
      onSynced: onChange,
      onUpdate: (old, node) => {
        if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(node.metadata.labels ?? {})) onChange();
      },
    });
  }

  start(): void {
    this.services.start();
    this.endpointSlices.start();
    this.node.start();
  }

  /** Its address, as kube-proxy detects it from its Node's InternalIP. */
  nodeIP(): string | undefined {
    const node = this.node.cache.get(this.nodeName) as Obj | undefined;
    return (node?.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address;
  }

  /** The inputs of the next sync, from the informer caches. */
  servicePorts(): ServicePortModel[] {
    return servicePortsFrom(this.services.list(), this.endpointSlices.list(), this.nodeName);
  }

  /** A change arrived: sync once the caches are filled and the node's address is known. */
  private changed(): void {
    if (!this.services.synced || !this.endpointSlices.synced || !this.nodeIP()) return;
    this.runner.run();
  }

  private syncProxyRules(periodic: boolean): void {
    const nodeIP = this.nodeIP();
    if (!nodeIP) return;
    const kernel = kernelTables(this.sim);
    const previous = kernel.get(this.nodeName);
    const inputs: SyncInputs = { nodeIP, services: this.services.list(), slices: this.endpointSlices.list() };
    if (previous !== undefined && previous === this.lastRender && sameInputs(this.lastInputs, inputs)) {
      // The same Service and EndpointSlice objects as last time: the rules would render the same.
      this.record(previous, previous, undefined, periodic);
      return;
    }
    const context: ProxierContext = { nodeName: this.nodeName, nodeIP, clusterCIDR: this.config.podCIDR, serviceCIDR: this.config.serviceCIDR };
    const rendered = this.config.kubeProxyMode === 'iptables'
      ? this.renderIptablesPartial(inputs, context)
      : render(this.config.kubeProxyMode, servicePortsFrom(inputs.services, inputs.slices, this.nodeName), context, this.sim.nowMs);
    const diff: Omit<RuleDiff, 'lines'> = previous?.fragments && rendered.fragments && sameTableContext(previous.context, context)
      ? diffFragments(previous.fragments, rendered.fragments, context.iptablesBackend ?? 'nft')
      : previous === undefined && rendered.fragments
        ? firstSyncDiff(rendered, context)
        : diffRules(previous?.text ?? '', rendered.text);
    const unchanged = previous !== undefined && diff.added + diff.removed === 0;
    const rules = rendered;
    this.record(rules, previous, unchanged ? undefined : diff, periodic);
    this.lastRender = rules;
    this.lastInputs = inputs;
    kernel.set(this.nodeName, rules);
  }

  /**
   * iptables mode, as `syncProxyRules` with partial syncs: only Service ports whose Service or
   * EndpointSlices changed are rendered again; every other fragment is the one from the last
   * sync. Fragments are shared between nodes through `sharedFragment`. The whole table
   * (`iptables-save`) is rendered only when something reads it.
   */
  private renderIptablesPartial(inputs: SyncInputs, context: ProxierContext): ProgrammedRules {
    const bySvc = slicesByService(inputs.slices);
    const ports: ServicePortModel[] = [];
    const keys: string[] = [];
    for (const svc of inputs.services) {
      const slices = bySvc.get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? NO_SLICES;
      let memo = this.portsOf.get(svc);
      if (!memo || !sameObjects(memo.slices, slices)) {
        memo = hostsEndpoint(slices, this.nodeName)
          ? portsMemo(svc, slices, this.nodeName, this.nodeName)
          // No endpoint of this Service runs here: every such node sees the same ports (none of
          // them local), so one copy serves them all.
          : sharedPorts(this.sim, svc, slices, () => portsMemo(svc, slices, this.nodeName, ''));
        this.portsOf.set(svc, memo);
      }
      ports.push(...memo.ports);
      keys.push(...memo.keys);
    }
    const totalEndpoints = ports.reduce((n, p) => n + p.endpoints.length, 0);
    const largeCluster = totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
    const contextKey = `|${context.clusterCIDR}|${context.masqueradeBit ?? 14}|${largeCluster}`;
    const fragments = new Map<string, ServiceFragment>();
    ports.forEach((port, i) => {
      const key = servicePortKey(port);
      fragments.set(key, sharedFragment(this.sim, key, keys[i] + contextKey, () => serviceFragment(port, context, largeCluster)));
    });
    let iptables: IptablesRender | undefined;
    const whole = (): IptablesRender => (iptables ??= renderIptables(ports, context));
    return {
      mode: 'iptables',
      services: ports,
      context,
      syncedAtMs: this.sim.nowMs,
      fragments,
      get text() {
        return whole().save;
      },
      get iptables() {
        return whole();
      },
    };
  }

  /** One sync as a step; an unchanged resync carries no rule text (the kernel's is unchanged). */
  private record(rules: ProgrammedRules, previous: ProgrammedRules | undefined, diff: Omit<RuleDiff, 'lines'> | undefined, periodic: boolean): void {
    const unchanged = diff === undefined;
    const endpoints = rules.services.reduce((n, s) => n + s.endpoints.length, 0);
    const count = `${new Set(rules.services.map((s) => `${s.namespace}/${s.name}`)).size} Services, ${endpoints} endpoints`;
    const why = unchanged
      ? `${periodic ? `At least every syncPeriod (${SYNC_PERIOD_MS / 1000}s) kube-proxy resyncs even when nothing changed, to repair rules someone else may have touched.` : 'A watch event arrived but did not change any rule.'} The rules it computed are the ones already in the kernel.`
      : `${previous ? 'Its watches brought Service or EndpointSlice changes' : 'Its informers have filled their caches and it knows its node address'}, so kube-proxy recomputes the rules for every Service port from its caches (never from Pods) and programs the difference; syncs are at most one per minSyncPeriod (${MIN_SYNC_PERIOD_MS / 1000}s).`;
    this.sim.recorder.record({
      stage: 'networking',
      from: `kube-proxy/${this.nodeName}`,
      to: `kernel/${this.nodeName}`,
      kind: 'node',
      node: this.nodeName,
      summary: unchanged
        ? `kube-proxy on ${this.nodeName} resyncs ${rules.mode}: rules unchanged (${count})`
        : `kube-proxy on ${this.nodeName} programs ${rules.mode}: +${diff.added} -${diff.removed} lines (${count})`,
      explanation: `${why} ${HOW[rules.mode]}`,
      heartbeat: unchanged || undefined,
      detail: unchanged
        ? { mode: rules.mode, periodic, unchanged: true, added: 0, removed: 0 }
        : {
          mode: rules.mode,
          periodic,
          // The whole table, rendered when a reader asks for it (a view, the JSON transcript).
          get rules() {
            return rules.text;
          },
          // Read when a reader asks for it: a first sync's diff is the whole table.
          get diff() {
            return diff.text;
          },
          added: diff.added,
          removed: diff.removed,
        },
    });
  }
}

/**
 * The first sync on a node writes everything into empty tables: its diff is every line of
 * `iptables-save`, each added. The count comes from the restore program without rendering the
 * text; the text (the whole table) is rendered only when read. Before this, every node rendered
 * its whole table on its first sync and kept it, which grew with nodes × Services.
 */
function firstSyncDiff(rules: ProgrammedRules, context: ProxierContext): Omit<RuleDiff, 'lines'> {
  const added = saveLineCount(buildIptablesProgram(rules.services, context));
  let text: string | undefined;
  return {
    get text() {
      return (text ??= diffRules('', rules.text).text);
    },
    added,
    removed: 0,
  };
}

/** What a sync renders from: the informers' objects (never mutated, so compared by identity) and the node's address. */
interface SyncInputs {
  readonly nodeIP: string;
  readonly services: ReturnType<Informer['list']>;
  readonly slices: ReturnType<Informer['list']>;
}

interface PortsMemo {
  readonly slices: readonly KubeObject[];
  readonly ports: readonly ServicePortModel[];
  /** Per port: what its fragment is a function of, besides the proxier's flags. */
  readonly keys: readonly string[];
}

const NO_SLICES: readonly KubeObject[] = [];

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
  return { slices, ports, keys };
}

const sharedPortsCache = new WeakMap<Simulation, Map<string, Map<string, PortsMemo>>>();

/** The ports of a Service as seen from any node that hosts none of its endpoints, built once. */
function sharedPorts(sim: Simulation, svc: KubeObject, slices: readonly KubeObject[], make: () => PortsMemo): PortsMemo {
  let bySvc = sharedPortsCache.get(sim);
  if (!bySvc) sharedPortsCache.set(sim, (bySvc = new Map()));
  const name = `${svc.metadata.namespace}/${svc.metadata.name}`;
  let versions = bySvc.get(name);
  if (!versions) bySvc.set(name, (versions = new Map()));
  const key = inputKeyOf(svc, slices);
  let memo = versions.get(key);
  if (!memo) {
    versions.set(key, (memo = make()));
    if (versions.size > FRAGMENTS_PER_PORT) versions.delete(versions.keys().next().value!);
  }
  return memo;
}

function sameObjects(a: readonly KubeObject[], b: readonly KubeObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The flags every fragment depends on: a change of any of them means a full render. */
function sameTableContext(a: ProxierContext, b: ProxierContext): boolean {
  return a.clusterCIDR === b.clusterCIDR && (a.masqueradeBit ?? 14) === (b.masqueradeBit ?? 14) && (a.iptablesBackend ?? 'nft') === (b.iptablesBackend ?? 'nft');
}

/** How many renders of one Service port are kept for other nodes (nodes lag by a watch event or two). */
const FRAGMENTS_PER_PORT = 4;
const fragmentCache = new WeakMap<Simulation, Map<string, Map<string, ServiceFragment>>>();

/**
 * A Service port's fragment for these inputs, rendered by the first kube-proxy that needs it and
 * then shared: every node renders the same chains from the same Service and EndpointSlices.
 */
function sharedFragment(sim: Simulation, port: string, key: string, make: () => ServiceFragment): ServiceFragment {
  let byPort = fragmentCache.get(sim);
  if (!byPort) fragmentCache.set(sim, (byPort = new Map()));
  let renders = byPort.get(port);
  if (!renders) byPort.set(port, (renders = new Map()));
  let fragment = renders.get(key);
  if (!fragment) {
    renders.set(key, (fragment = make()));
    if (renders.size > FRAGMENTS_PER_PORT) renders.delete(renders.keys().next().value!);
  }
  return fragment;
}

function sameInputs(a: SyncInputs | undefined, b: SyncInputs): boolean {
  if (!a || a.nodeIP !== b.nodeIP || a.services.length !== b.services.length || a.slices.length !== b.slices.length) return false;
  for (let i = 0; i < a.services.length; i++) if (a.services[i] !== b.services[i]) return false;
  for (let i = 0; i < a.slices.length; i++) if (a.slices[i] !== b.slices[i]) return false;
  return true;
}

/** Renders the rules for `mode` (pure). */
export function render(mode: ProgrammedRules['mode'], services: readonly ServicePortModel[], context: ProxierContext, nowMs: number): ProgrammedRules {
  const base = { mode, services, context, syncedAtMs: nowMs };
  switch (mode) {
    case 'iptables': {
      const iptables = renderIptables(services, context);
      return { ...base, text: iptables.save, iptables };
    }
    case 'ipvs': {
      const ipvs = renderIpvs(services, context);
      return { ...base, text: ipvs.ipvsadm, ipvs };
    }
    case 'nftables': {
      const nftables = renderNftables(services, context);
      return { ...base, text: nftables.ruleset, nftables };
    }
  }
}

