/**
 * The iptables proxier's sync (`pkg/proxy/iptables/proxier.go` `syncProxyRules`) as a pure
 * function: the chains and rules kube-proxy hands to one `iptables-restore --noflush`, plus
 * the `iptables -N` / `iptables -I` commands it runs first to hook its chains into the
 * built-in ones. Arguments are kept exactly as kube-proxy writes them (comments quoted,
 * probabilities `%0.10f`), so the restore text matches a real node's.
 */
import {
  categorizeEndpoints,
  externalPolicyLocal,
  externallyAccessible,
  internalPolicyLocal,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from './categorize.js';
import { ensureCommands, type EnsureCommand, type IptablesTable, type KubeRule } from './iptables-jumps.js';

export type { EnsureCommand, IptablesTable, KubeRule };
import { CHAIN_PREFIX, servicePortChainName, servicePortEndpointChainName } from './chain-names.js';
import {
  endpointString,
  masqueradeMarkString,
  servicePortNameString,
  sortedServices,
  type EndpointModel,
  type ProxierContext,
  type ServicePortModel,
} from './types.js';

export interface IptablesProgram {
  /** Run first, one command each (kube-proxy's EnsureChain / EnsureRule with Prepend). */
  readonly ensure: readonly EnsureCommand[];
  readonly filterChains: readonly string[];
  readonly filterRules: readonly KubeRule[];
  readonly natChains: readonly string[];
  readonly natRules: readonly KubeRule[];
}

/** More endpoints than this and kube-proxy drops per-rule comments (large cluster mode). */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

/** `computeProbability`: Go's `fmt.Sprintf("%0.10f", 1.0/float64(n))`. */
export function computeProbability(n: number): string {
  return (1 / n).toFixed(10);
}

const q = (text: string): string => `"${text}"`;

/** Mutable buffers for one sync, like the proxier's LineBuffers. */
export interface Buffers {
  readonly filterChains: string[];
  readonly filterRules: KubeRule[];
  readonly natChains: string[];
  readonly natRules: KubeRule[];
  readonly mark: string;
  readonly ctx: ProxierContext;
  readonly largeCluster: boolean;
}

const nat = (b: Buffers, chain: string, ...args: string[]): void => void b.natRules.push({ table: 'nat', chain, args });
const filter = (b: Buffers, chain: string, ...args: string[]): void =>
  void b.filterRules.push({ table: 'filter', chain, args });

function writeBase(b: Buffers): void {
  b.filterChains.push('KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL');
  b.natChains.push('KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ');
  nat(b, 'KUBE-POSTROUTING', '-m', 'mark', '!', '--mark', `${b.mark}/${b.mark}`, '-j', 'RETURN');
  nat(b, 'KUBE-POSTROUTING', '-j', 'MARK', '--xor-mark', b.mark);
  nat(b, 'KUBE-POSTROUTING', '-m', 'comment', '--comment', q('kubernetes service traffic requiring SNAT'), '-j', 'MASQUERADE', '--random-fully');
  nat(b, 'KUBE-MARK-MASQ', '-j', 'MARK', '--or-mark', b.mark);
  // localhostNodePorts defaults to true, so kube-proxy also writes kubelet's anti-martian rule.
  b.filterChains.push('KUBE-FIREWALL');
  filter(b, 'KUBE-FIREWALL', '-m', 'comment', '--comment', q('block incoming localnet connections'), '-d', '127.0.0.0/8',
    '!', '-s', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP');
}

function writeTail(b: Buffers): void {
  nat(b, 'KUBE-SERVICES', '-m', 'comment', '--comment',
    q('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
    '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'KUBE-NODEPORTS');
  filter(b, 'KUBE-FORWARD', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP');
  filter(b, 'KUBE-FORWARD', '-m', 'comment', '--comment', q('kubernetes forwarding rules'),
    '-m', 'mark', '--mark', `${b.mark}/${b.mark}`, '-j', 'ACCEPT');
  filter(b, 'KUBE-FORWARD', '-m', 'comment', '--comment', q('kubernetes forwarding conntrack rule'),
    '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT');
}

/** Empty buffers for one sync (or one Service's part of it). */
export function newBuffers(ctx: ProxierContext, largeCluster: boolean): Buffers {
  return { filterChains: [], filterRules: [], natChains: [], natRules: [], mark: masqueradeMarkString(ctx), ctx, largeCluster };
}

/** Renders every chain and rule kube-proxy would restore for these Service ports. */
export function buildIptablesProgram(services: readonly ServicePortModel[], ctx: ProxierContext): IptablesProgram {
  const sorted = sortedServices(services);
  const totalEndpoints = sorted.reduce((n, svc) => n + svc.endpoints.length, 0);
  const b = newBuffers(ctx, totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD);
  writeBase(b);
  for (const svc of sorted) writeService(b, svc);
  writeTail(b);
  return { ensure: ensureCommands(), filterChains: b.filterChains, filterRules: b.filterRules, natChains: b.natChains, natRules: b.natRules };
}

/** The chain names one Service port uses. */
export function serviceChains(svc: ServicePortModel): { cluster: string; local: string; external: string; firewall: string } {
  const name = servicePortNameString(svc);
  const proto = svc.protocol.toLowerCase();
  return {
    cluster: servicePortChainName(CHAIN_PREFIX.cluster, name, proto),
    local: servicePortChainName(CHAIN_PREFIX.local, name, proto),
    external: servicePortChainName(CHAIN_PREFIX.external, name, proto),
    firewall: servicePortChainName(CHAIN_PREFIX.firewall, name, proto),
  };
}

export function endpointChain(svc: ServicePortModel, ep: EndpointModel): string {
  return servicePortEndpointChainName(servicePortNameString(svc), svc.protocol.toLowerCase(), endpointString(ep));
}

export function writeService(b: Buffers, svc: ServicePortModel): void {
  const name = servicePortNameString(svc);
  const proto = svc.protocol.toLowerCase();
  const chains = serviceChains(svc);
  const cat = categorizeEndpoints(svc);
  const usesCluster = cat.clusterEndpoints.length > 0 && usesClusterEndpoints(svc);
  const usesLocal = cat.localEndpoints.length > 0 && usesLocalEndpoints(svc);
  const internalChain = internalPolicyLocal(svc) ? chains.local : chains.cluster;
  const hasInternal = cat.hasAnyEndpoints && !(internalPolicyLocal(svc) && cat.localEndpoints.length === 0);
  const externalPolicyChain = externalPolicyLocal(svc) ? chains.local : chains.cluster;
  const hasExternal = cat.hasAnyEndpoints && !(externalPolicyLocal(svc) && cat.localEndpoints.length === 0);
  const usesExternal = cat.hasAnyEndpoints && externallyAccessible(svc);
  const noEp = !cat.hasAnyEndpoints;
  const internalFilter = noEp ? ['REJECT', q(`${name} has no endpoints`)] : ['DROP', q(`${name} has no local endpoints`)];
  const externalFilter = internalFilter;
  const dst = ['-m', proto, '-p', proto, '-d', svc.clusterIP, '--dport', String(svc.port)];
  if (hasInternal) nat(b, 'KUBE-SERVICES', '-m', 'comment', '--comment', q(`${name} cluster IP`), ...dst, '-j', internalChain);
  else filter(b, 'KUBE-SERVICES', '-m', 'comment', '--comment', internalFilter[1], ...dst, '-j', internalFilter[0]);
  const nodePort = svc.nodePort ?? 0;
  if (nodePort !== 0) {
    if (cat.hasAnyEndpoints) {
      nat(b, 'KUBE-NODEPORTS', '-m', 'comment', '--comment', name, '-m', proto, '-p', proto, '--dport', String(nodePort), '-j', chains.external);
    }
    if (!hasExternal) {
      filter(b, 'KUBE-EXTERNAL-SERVICES', '-m', 'comment', '--comment', externalFilter[1], '-m', 'addrtype', '--dst-type', 'LOCAL',
        '-m', proto, '-p', proto, '--dport', String(nodePort), '-j', externalFilter[0]);
    }
  }
  if (hasInternal && b.ctx.clusterCIDR !== '') {
    nat(b, internalChain, '-m', 'comment', '--comment', q(`${name} cluster IP`), ...dst, '!', '-s', b.ctx.clusterCIDR, '-j', 'KUBE-MARK-MASQ');
  }
  if (usesExternal) writeExternalChain(b, svc, chains, externalPolicyChain, hasExternal);
  if (usesCluster) {
    b.natChains.push(chains.cluster);
    writeServiceToEndpointRules(b, svc, chains.cluster, cat.clusterEndpoints);
  }
  if (usesLocal) {
    b.natChains.push(chains.local);
    writeServiceToEndpointRules(b, svc, chains.local, cat.localEndpoints);
  }
  for (const ep of cat.allReachableEndpoints) writeEndpointChain(b, svc, ep);
}

function writeExternalChain(
  b: Buffers,
  svc: ServicePortModel,
  chains: ReturnType<typeof serviceChains>,
  externalPolicyChain: string,
  hasExternal: boolean,
): void {
  const name = servicePortNameString(svc);
  const ext = chains.external;
  b.natChains.push(ext);
  if (!externalPolicyLocal(svc)) {
    nat(b, ext, '-m', 'comment', '--comment', q(`masquerade traffic for ${name} external destinations`), '-j', 'KUBE-MARK-MASQ');
  } else {
    if (b.ctx.clusterCIDR !== '') {
      nat(b, ext, '-m', 'comment', '--comment', q(`pod traffic for ${name} external destinations`), '-s', b.ctx.clusterCIDR, '-j', chains.cluster);
    }
    nat(b, ext, '-m', 'comment', '--comment', q(`masquerade LOCAL traffic for ${name} external destinations`),
      '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'KUBE-MARK-MASQ');
    nat(b, ext, '-m', 'comment', '--comment', q(`route LOCAL traffic for ${name} external destinations`),
      '-m', 'addrtype', '--src-type', 'LOCAL', '-j', chains.cluster);
  }
  if (hasExternal) nat(b, ext, '-j', externalPolicyChain);
}

function comment(b: Buffers, text: string): string[] {
  return b.largeCluster ? [] : ['-m', 'comment', '--comment', text];
}

/** `writeServiceToEndpointRules`: rule i of n matches with probability 1/(n-i); the last always. */
function writeServiceToEndpointRules(b: Buffers, svc: ServicePortModel, chain: string, endpoints: readonly EndpointModel[]): void {
  const name = servicePortNameString(svc);
  endpoints.forEach((ep, i) => {
    const stat = i < endpoints.length - 1
      ? ['-m', 'statistic', '--mode', 'random', '--probability', computeProbability(endpoints.length - i)]
      : [];
    nat(b, chain, ...comment(b, q(`${name} -> ${endpointString(ep)}`)), ...stat, '-j', endpointChain(svc, ep));
  });
}

function writeEndpointChain(b: Buffers, svc: ServicePortModel, ep: EndpointModel): void {
  const chain = endpointChain(svc, ep);
  const proto = svc.protocol.toLowerCase();
  b.natChains.push(chain);
  const c = comment(b, servicePortNameString(svc));
  nat(b, chain, ...c, '-s', ep.ip, '-j', 'KUBE-MARK-MASQ');
  nat(b, chain, ...c, '-m', proto, '-p', proto, '-j', 'DNAT', '--to-destination', endpointString(ep));
}
