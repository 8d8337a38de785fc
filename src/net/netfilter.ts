import { categorizeEndpoints, walkChains, type PacketSpec, type Pick, type ServicePortModel, type WalkHop } from '../node/proxy/index.js';
import type { ProgrammedRules } from '../node/network/index.js';

/**
 * The first packet of a connection through the rules kube-proxy programmed on one node, in
 * whichever mode it runs: iptables (walked chain by chain), ipvs (the virtual server's real
 * servers), nftables (the service-ips map and numgen). Later packets of the connection skip all
 * this: conntrack remembers the translation.
 */
export interface NetfilterResult {
  readonly verdict: 'ACCEPT' | 'REJECT' | 'DROP';
  readonly dnat?: { readonly ip: string; readonly port: number };
  readonly masqueraded: boolean;
  /** The Service port the packet matched, "ns/name:port". */
  readonly service?: string;
  /** How many endpoints the pick chose from. */
  readonly candidates?: number;
  readonly hops: readonly WalkHop[];
  /** One sentence: what happened. */
  readonly summary: string;
}

function findService(services: readonly ServicePortModel[], p: PacketSpec): ServicePortModel | undefined {
  return services.find((s) => s.clusterIP === p.dstIP && s.port === p.dstPort && s.protocol === p.protocol);
}

const name = (s: ServicePortModel): string => `${s.namespace}/${s.name}${s.portName ? `:${s.portName}` : ''}`;

function iptables(rules: ProgrammedRules, p: PacketSpec, pick: Pick): NetfilterResult {
  const walk = walkChains(rules.iptables!.chains, rules.context, p, pick);
  const svc = findService(rules.services, p);
  const candidates = svc ? categorizeEndpoints(svc).clusterEndpoints.length : undefined;
  const sep = walk.hops.filter((h) => h.action === 'jump' && h.rule?.includes('-j KUBE-SEP-')).at(-1);
  const summary = walk.verdict === 'REJECT'
    ? `filter KUBE-SERVICES: REJECT, "${svc ? name(svc) : p.dstIP} has no endpoints"`
    : walk.dnat
      ? `nat KUBE-SERVICES → ${sep ? `${sep.chain} → ${sep.rule?.split('-j ')[1]}` : 'KUBE-SVC'}: DNAT to ${walk.dnat.ip}:${walk.dnat.port}`
      : `no kube-proxy rule matches ${p.dstIP}:${p.dstPort}: the packet passes unchanged`;
  return { verdict: walk.verdict, dnat: walk.dnat, masqueraded: walk.masqueraded, service: svc ? name(svc) : undefined, candidates, hops: walk.hops, summary };
}

/** ipvs and nftables: look the Service up, then pick among its cluster endpoints. */
function lookup(rules: ProgrammedRules, p: PacketSpec, pick: Pick): NetfilterResult {
  const svc = findService(rules.services, p);
  if (!svc) return { verdict: 'ACCEPT', masqueraded: false, hops: [], summary: `no kube-proxy rule matches ${p.dstIP}:${p.dstPort}: the packet passes unchanged` };
  const endpoints = categorizeEndpoints(svc).clusterEndpoints;
  const masqueraded = rules.context.clusterCIDR !== '' && !inRange(p.srcIP, rules.context.clusterCIDR);
  const where = rules.mode === 'ipvs' ? `IPVS virtual server ${svc.clusterIP}:${svc.port} (kube-ipvs0)` : `nft kube-proxy service-ips map → chain for ${name(svc)}`;
  if (endpoints.length === 0) {
    const why = rules.mode === 'ipvs'
      ? `the ClusterIP is bound to kube-ipvs0, so the node takes the packet as its own, finds no real server and nothing listening, and answers with a reset`
      : `the no-endpoint-services map rejects it`;
    return { verdict: 'REJECT', masqueraded, service: name(svc), candidates: 0, hops: [], summary: `${where}: no endpoints, ${why}` };
  }
  const chosen = endpoints[pick(endpoints.length)];
  const how = rules.mode === 'ipvs' ? 'round robin picks real server' : `numgen random mod ${endpoints.length} picks`;
  return {
    verdict: 'ACCEPT', dnat: { ip: chosen.ip, port: chosen.port }, masqueraded, service: name(svc), candidates: endpoints.length, hops: [],
    summary: `${where}: ${how} ${chosen.ip}:${chosen.port} (DNAT)`,
  };
}

function inRange(ip: string, cidr: string): boolean {
  const [base, prefix] = cidr.split('/');
  const toInt = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

/** Runs the packet through `rules`; no rules at all (kube-proxy never synced) lets it pass unchanged. */
export function traverse(rules: ProgrammedRules | undefined, p: PacketSpec, pick: Pick): NetfilterResult {
  if (!rules) return { verdict: 'ACCEPT', masqueraded: false, hops: [], summary: 'kube-proxy has programmed no rules on this node yet: the packet passes unchanged' };
  return rules.mode === 'iptables' ? iptables(rules, p, pick) : lookup(rules, p, pick);
}
