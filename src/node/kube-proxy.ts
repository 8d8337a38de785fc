import type { Prng } from '../sim/prng.js';
import type { Simulation } from '../sim/simulation.js';
import type { ClusterConfig } from '../cluster/config.js';
import type { RestClient } from '../controlplane/client/rest-client.js';
import { Informer } from '../controlplane/client/informer.js';
import {
  diffFragments,
  diffRules,
  diffServicePorts,
  fixedSaveLineCount,
  renderIptables,
  renderIpvs,
  renderNftables,
  type IptablesRender,
  type ProxierContext,
  type RuleDiff,
  type ServiceFragment,
  type ServicePortModel,
} from './proxy/index.js';
import { BoundedFrequencyRunner } from './network/bounded-frequency-runner.js';
import { kernelTables, type ProgrammedRules } from './network/kernel-tables.js';
import { ProxyChangeTracker, changedPorts } from './network/proxy-change-tracker.js';
import { servicePortsFrom } from './network/proxy-service-ports.js';
import type { ServiceEntry, ServiceTable } from './network/service-table.js';

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
  /** The node address and the Service and endpoint counts of the last render. */
  private lastNodeIP: string | undefined;
  private lastCount = '';
  private readonly runner: BoundedFrequencyRunner;
  /** Which Services changed since the last sync, and every Service's ports as of that sync. */
  private readonly tracker: ProxyChangeTracker;

  constructor(
    private readonly sim: Simulation,
    client: RestClient,
    prng: Prng,
    private readonly nodeName: string,
    readonly config: ClusterConfig,
  ) {
    this.runner = new BoundedFrequencyRunner(sim, client.actor, (periodic) => this.syncProxyRules(periodic), MIN_SYNC_PERIOD_MS, SYNC_PERIOD_MS);
    const onChange = (): void => this.changed();
    this.tracker = new ProxyChangeTracker(sim, nodeName);
    this.services = new Informer(sim, client, prng.fork('services'), {
      path: '/api/v1/services',
      labelSelector: '!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name',
      why: `kube-proxy on ${nodeName} lists and watches Services (skipping headless ones and those owned by another proxy): each ClusterIP and port becomes rules on this node.`,
      stage: 'networking',
    }, { ...this.tracker.serviceHandlers(onChange), onSynced: onChange });
    this.endpointSlices = new Informer(sim, client, prng.fork('endpointslices'), {
      path: '/apis/discovery.k8s.io/v1/endpointslices',
      labelSelector: '!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name',
      why: `kube-proxy on ${nodeName} lists and watches EndpointSlices: they say which pod IPs back each Service. It does not watch Pods.`,
      stage: 'networking',
    }, { ...this.tracker.sliceHandlers(onChange), onSynced: onChange });
    this.tracker.attach(this.services.cache, this.endpointSlices.cache);
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
    if (previous !== undefined && previous === this.lastRender && nodeIP === this.lastNodeIP && !this.tracker.hasChanges()) {
      // No Service or EndpointSlice changed: the rules would render the same.
      this.record(previous, previous, undefined, periodic, this.lastCount);
      return;
    }
    const context: ProxierContext = { nodeName: this.nodeName, nodeIP, clusterCIDR: this.config.podCIDR, serviceCIDR: this.config.serviceCIDR };
    const iptables = this.config.kubeProxyMode === 'iptables';
    const sync = this.tracker.sync(iptables ? context : undefined);
    const rendered = iptables
      ? partialRules(sync.table, context, this.sim.nowMs)
      : render(this.config.kubeProxyMode, sync.table.entries().flatMap((e) => e.ports.ports), context, this.sim.nowMs);
    const backend = context.iptablesBackend ?? 'nft';
    let diff: Omit<RuleDiff, 'lines'>;
    if (iptables && previous !== undefined && previous === this.lastRender) diff = diffServicePorts(changedPorts(sync), backend);
    else if (iptables && previous?.fragments && sameTableContext(previous.context, context)) diff = diffFragments(previous.fragments, rendered.fragments!, backend);
    else if (iptables && previous === undefined) diff = firstSyncDiff(rendered, fixedSaveLineCount() + sync.lines);
    else diff = diffRules(previous?.text ?? '', rendered.text);
    const unchanged = previous !== undefined && diff.added + diff.removed === 0;
    const count = `${sync.services} Services, ${sync.endpoints} endpoints`;
    this.record(rendered, previous, unchanged ? undefined : diff, periodic, count);
    this.lastRender = rendered;
    this.lastNodeIP = nodeIP;
    this.lastCount = count;
    kernel.set(this.nodeName, rendered);
  }

  /** One sync as a step; an unchanged resync carries no rule text (the kernel's is unchanged). */
  private record(rules: ProgrammedRules, previous: ProgrammedRules | undefined, diff: Omit<RuleDiff, 'lines'> | undefined, periodic: boolean, count: string): void {
    const unchanged = diff === undefined;
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
 * `iptables-save`, each added. The count is the fixed lines plus each Service port fragment's
 * own (fragments are shared between nodes, so nothing is rendered for it); the text (the whole
 * table) is rendered only when read.
 */
function firstSyncDiff(rules: ProgrammedRules, added: number): Omit<RuleDiff, 'lines'> {
  let text: string | undefined;
  return {
    get text() {
      return (text ??= diffRules('', rules.text).text);
    },
    added,
    removed: 0,
  };
}

/**
 * iptables mode, as `syncProxyRules` with partial syncs: the rules of one sync, each Service
 * port's part a fragment shared with the last sync (and with other nodes) unless it changed.
 * The Service ports, the fragments by port and the whole table (`iptables-save`) are built from
 * the table only when something reads them.
 */
function partialRules(table: ServiceTable, context: ProxierContext, syncedAtMs: number): ProgrammedRules {
  let entries: readonly ServiceEntry[] | undefined;
  let services: readonly ServicePortModel[] | undefined;
  let fragments: ReadonlyMap<string, ServiceFragment> | undefined;
  let iptables: IptablesRender | undefined;
  const all = (): readonly ServiceEntry[] => (entries ??= table.entries());
  const ports = (): readonly ServicePortModel[] => (services ??= all().flatMap((e) => e.ports.ports));
  const whole = (): IptablesRender => (iptables ??= renderIptables(ports(), context));
  return {
    mode: 'iptables',
    context,
    syncedAtMs,
    get services() {
      return ports();
    },
    get fragments() {
      return (fragments ??= new Map(all().flatMap((e) => [...e.fragments])));
    },
    get text() {
      return whole().save;
    },
    get iptables() {
      return whole();
    },
  };
}

/** The flags every fragment depends on: a change of any of them means a full render. */
function sameTableContext(a: ProxierContext, b: ProxierContext): boolean {
  return a.clusterCIDR === b.clusterCIDR && (a.masqueradeBit ?? 14) === (b.masqueradeBit ?? 14) && (a.iptablesBackend ?? 'nft') === (b.iptablesBackend ?? 'nft');
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

