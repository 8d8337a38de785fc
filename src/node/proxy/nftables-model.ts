/**
 * The `ip kube-proxy` table the nftables proxier (`pkg/proxy/nftables/proxier.go`) keeps, as
 * data: base chains hooked into netfilter, verdict maps keyed by "address . protocol . port"
 * that send packets straight to a per-service chain (no linear rule list as in iptables), and
 * per-endpoint chains that DNAT. `nftables.ts` prints it the two ways a learner meets it.
 */
import { categorizeEndpoints, externalPolicyLocal, externallyAccessible, internalPolicyLocal, usesClusterEndpoints, usesLocalEndpoints } from './categorize.js';
import { nftEndpointChainBase, nftServiceChainBase } from './chain-names.js';
import { endpointString, masqueradeMarkString, servicePortNameString, sortedServices, type EndpointModel, type ProxierContext, type ServicePortModel } from './types.js';

export interface NftRule { readonly rule: string; readonly comment?: string }
export interface NftChain {
  readonly name: string;
  /** Base chains only; priority is numeric, as knftables writes it (dstnat = -100, srcnat = 100). */
  readonly base?: { readonly type: 'filter' | 'nat'; readonly hook: string; readonly priority: number };
  readonly comment?: string;
  readonly rules: NftRule[];
}
export interface NftElement { readonly key: string; readonly value?: string; readonly comment?: string }
export interface NftSet {
  readonly kind: 'set' | 'map';
  readonly name: string;
  readonly type: string;
  readonly comment: string;
  readonly elements: NftElement[];
}
export interface NftTable { readonly comment: string; readonly chains: NftChain[]; readonly sets: NftSet[] }

/** `nftablesBaseChains`: filter chains run before DNAT (dstnat-10) so they see ClusterIPs. */
const BASE_CHAINS: readonly [string, 'filter' | 'nat', string, number][] = [
  ['filter-prerouting', 'filter', 'prerouting', -110],
  ['filter-input', 'filter', 'input', -110],
  ['filter-forward', 'filter', 'forward', -110],
  ['filter-output', 'filter', 'output', -110],
  ['filter-output-post-dnat', 'filter', 'output', -90],
  ['nat-prerouting', 'nat', 'prerouting', -100],
  ['nat-output', 'nat', 'output', -100],
  ['nat-postrouting', 'nat', 'postrouting', 100],
];

/** `nftablesJumpChains`: destination, source base chain, extra match. */
const JUMPS: readonly [string, string, string][] = [
  ['nodeport-endpoints-check', 'filter-input', 'ct state new'],
  ['service-endpoints-check', 'filter-input', 'ct state new'],
  ['service-endpoints-check', 'filter-forward', 'ct state new'],
  ['service-endpoints-check', 'filter-output', 'ct state new'],
  ['firewall-check', 'filter-prerouting', 'ct state new'],
  ['firewall-check', 'filter-output', 'ct state new'],
  ['services', 'nat-output', ''],
  ['services', 'nat-prerouting', ''],
  ['masquerading', 'nat-postrouting', ''],
  ['cluster-ips-check', 'filter-forward', 'ct state new'],
  ['cluster-ips-check', 'filter-output-post-dnat', 'ct state new'],
];

class TableBuilder {
  readonly chains = new Map<string, NftChain>();
  readonly sets = new Map<string, NftSet>();
  chain(name: string, extra: Omit<NftChain, 'name' | 'rules'> = {}): NftChain {
    let chain = this.chains.get(name);
    if (!chain) this.chains.set(name, (chain = { name, ...extra, rules: [] }));
    return chain;
  }
  rule(chain: string, rule: string, comment?: string): void {
    this.chain(chain).rules.push(comment === undefined ? { rule } : { rule, comment });
  }
  set(kind: 'set' | 'map', name: string, type: string, comment: string): void {
    this.sets.set(name, { kind, name, type, comment, elements: [] });
  }
  /** `nftElementStorage.ensureElem`: one element per key (kube-dns's three ports share one ClusterIP). */
  element(set: string, element: NftElement): void {
    const elements = this.sets.get(set)?.elements;
    if (!elements) return;
    const i = elements.findIndex((e) => e.key === element.key);
    if (i === -1) elements.push(element);
    else elements[i] = element;
  }
}

function setup(t: TableBuilder, ctx: ProxierContext): void {
  for (const [name, type, hook, priority] of BASE_CHAINS) t.chain(name, { base: { type, hook, priority } });
  for (const [dst, src, extra] of JUMPS) {
    t.chain(dst);
    t.rule(src, `${extra ? `${extra} ` : ''}jump ${dst}`);
  }
  for (const name of ['services', 'cluster-ips-check', 'masquerading', 'mark-for-masquerade']) t.chain(name);
  const mark = masqueradeMarkString(ctx);
  t.rule('mark-for-masquerade', `mark set mark or ${mark}`);
  t.rule('masquerading', `mark and ${mark} == 0 return`);
  t.rule('masquerading', `mark set mark xor ${mark}`);
  t.rule('masquerading', 'masquerade fully-random');
  t.set('set', 'cluster-ips', 'ipv4_addr', 'Active ClusterIPs');
  t.rule('cluster-ips-check', 'ip daddr @cluster-ips reject', 'Reject traffic to invalid ports of ClusterIPs');
  if (ctx.serviceCIDR) t.rule('cluster-ips-check', `ip daddr { ${ctx.serviceCIDR} } drop`, 'Drop traffic to unallocated ClusterIPs');
  const vmapKey = 'ipv4_addr . inet_proto . inet_service : verdict';
  t.set('map', 'no-endpoint-services', vmapKey, 'vmap to drop or reject packets to services with no endpoints');
  t.set('map', 'no-endpoint-nodeports', 'inet_proto . inet_service : verdict', 'vmap to drop or reject packets to service nodeports with no endpoints');
  t.chain('reject-chain', { comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' });
  t.rule('reject-chain', 'reject');
  t.rule('service-endpoints-check', 'ip daddr . meta l4proto . th dport vmap @no-endpoint-services');
  t.rule('nodeport-endpoints-check', 'ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports');
  t.set('map', 'firewall-ips', vmapKey, 'destinations that are subject to LoadBalancerSourceRanges');
  t.rule('firewall-check', 'ip daddr . meta l4proto . th dport vmap @firewall-ips');
  t.set('map', 'service-ips', vmapKey, 'ClusterIP, ExternalIP and LoadBalancer IP traffic');
  t.set('map', 'service-nodeports', 'inet_proto . inet_service : verdict', 'NodePort traffic');
  t.rule('services', 'ip daddr . meta l4proto . th dport vmap @service-ips');
  t.rule('services', 'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports');
}

/** Chain names of one Service port in the nftables proxier. */
export function nftServiceChains(svc: ServicePortModel): { cluster: string; local: string; external: string } {
  const base = nftServiceChainBase(svc.namespace, svc.name, svc.protocol, svc.portName);
  return { cluster: `service-${base}`, local: `local-${base}`, external: `external-${base}` };
}

export function nftEndpointChain(svc: ServicePortModel, ep: EndpointModel): string {
  return `endpoint-${nftEndpointChainBase(svc.namespace, svc.name, svc.protocol, svc.portName, ep.ip, ep.port)}`;
}

function writeService(t: TableBuilder, svc: ServicePortModel, ctx: ProxierContext): void {
  const proto = svc.protocol.toLowerCase();
  const name = servicePortNameString(svc);
  const chains = nftServiceChains(svc);
  const cat = categorizeEndpoints(svc);
  for (const ep of cat.allReachableEndpoints) t.chain(nftEndpointChain(svc, ep));
  const usesCluster = cat.clusterEndpoints.length > 0 && usesClusterEndpoints(svc);
  const usesLocal = cat.localEndpoints.length > 0 && usesLocalEndpoints(svc);
  if (usesCluster) t.chain(chains.cluster);
  if (usesLocal) t.chain(chains.local);
  const internalChain = internalPolicyLocal(svc) ? chains.local : chains.cluster;
  const hasInternal = cat.hasAnyEndpoints && !(internalPolicyLocal(svc) && cat.localEndpoints.length === 0);
  const hasExternal = cat.hasAnyEndpoints && !(externalPolicyLocal(svc) && cat.localEndpoints.length === 0);
  const usesExternal = cat.hasAnyEndpoints && externallyAccessible(svc);
  if (usesExternal) t.chain(chains.external);
  const filterVerdict = cat.hasAnyEndpoints ? 'drop' : 'goto reject-chain';
  t.element('cluster-ips', { key: svc.clusterIP });
  const key = `${svc.clusterIP} . ${proto} . ${svc.port}`;
  if (hasInternal) t.element('service-ips', { key, value: `goto ${internalChain}` });
  else t.element('no-endpoint-services', { key, value: filterVerdict, comment: name });
  const nodePort = svc.nodePort ?? 0;
  if (nodePort !== 0) {
    if (cat.hasAnyEndpoints) t.element('service-nodeports', { key: `${proto} . ${nodePort}`, value: `goto ${chains.external}` });
    if (!hasExternal) t.element('no-endpoint-nodeports', { key: `${proto} . ${nodePort}`, value: filterVerdict, comment: name });
  }
  if (hasInternal && ctx.clusterCIDR) {
    t.rule(internalChain, `ip daddr ${svc.clusterIP} ${proto} dport ${svc.port} ip saddr != ${ctx.clusterCIDR} jump mark-for-masquerade`);
  }
  if (usesExternal) writeExternal(t, svc, chains, ctx, hasExternal);
  if (usesCluster) writeDispatch(t, svc, chains.cluster, cat.clusterEndpoints);
  if (usesLocal) writeDispatch(t, svc, chains.local, cat.localEndpoints);
  for (const ep of cat.allReachableEndpoints) {
    const chain = nftEndpointChain(svc, ep);
    t.rule(chain, `ip saddr ${ep.ip} jump mark-for-masquerade`);
    t.rule(chain, `meta l4proto ${proto} dnat to ${endpointString(ep)}`);
  }
}

function writeExternal(
  t: TableBuilder, svc: ServicePortModel, chains: ReturnType<typeof nftServiceChains>, ctx: ProxierContext, hasExternal: boolean,
): void {
  if (!externalPolicyLocal(svc)) t.rule(chains.external, 'jump mark-for-masquerade');
  else {
    if (ctx.clusterCIDR) t.rule(chains.external, `ip saddr ${ctx.clusterCIDR} goto ${chains.cluster}`, 'short-circuit pod traffic');
    t.rule(chains.external, 'fib saddr type local jump mark-for-masquerade', 'masquerade local traffic');
    t.rule(chains.external, `fib saddr type local goto ${chains.cluster}`, 'short-circuit local traffic');
  }
  if (hasExternal) t.rule(chains.external, `goto ${externalPolicyLocal(svc) ? chains.local : chains.cluster}`);
}

/** `writeServiceToEndpointRules`: one `numgen random mod N vmap` rule picks the endpoint. */
function writeDispatch(t: TableBuilder, svc: ServicePortModel, chain: string, endpoints: readonly EndpointModel[]): void {
  const elements = endpoints.map((ep, i) => `${i} : goto ${nftEndpointChain(svc, ep)}`).join(' , ');
  t.rule(chain, `numgen random mod ${endpoints.length} vmap { ${elements} }`);
}

/** Builds the whole table for one full sync. */
export function buildNftTable(services: readonly ServicePortModel[], ctx: ProxierContext): NftTable {
  const t = new TableBuilder();
  setup(t, ctx);
  for (const svc of sortedServices(services)) writeService(t, svc, ctx);
  return { comment: 'rules for kube-proxy', chains: [...t.chains.values()], sets: [...t.sets.values()] };
}
