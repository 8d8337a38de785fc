/**
 * kube-proxy's ipvs mode (`pkg/proxy/ipvs/proxier.go`, `ipset.go`): each Service port becomes an
 * IPVS virtual server with its endpoints as real servers (masquerade forwarding, weight 1,
 * round robin), every ClusterIP is bound to the dummy device kube-ipvs0 so the kernel accepts
 * it as local, and ipsets group addresses so a handful of iptables rules cover all Services.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { categorizeEndpoints, externalPolicyLocal, internalPolicyLocal } from './categorize.js';
import { compareStrings, servicePortNameString, sortedServices, type EndpointModel, type ProxierContext, type ServicePortModel } from './types.js';

export interface IpvsRealServer {
  readonly address: string;
  readonly port: number;
}

export interface IpvsVirtualServer {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly address: string;
  readonly port: number;
  readonly scheduler: 'rr';
  readonly realServers: readonly IpvsRealServer[];
  /** "ns/svc:port" of the Service port it implements. */
  readonly service: string;
}

export interface IpsetModel {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
  readonly entries: readonly string[];
}

export interface IpvsRender {
  readonly virtualServers: readonly IpvsVirtualServer[];
  /** `ipvsadm -Ln` (trailing padding trimmed). */
  readonly ipvsadm: string;
  /** Addresses bound to kube-ipvs0, "10.96.0.1/32" style. */
  readonly dummyAddresses: readonly string[];
  /** `ip addr show kube-ipvs0`. */
  readonly dummyInterface: string;
  /** Every ipset kube-proxy creates, in `ipsetInfo` order, with this node's entries. */
  readonly ipsets: readonly IpsetModel[];
}

/** `ipsetInfo` in pkg/proxy/ipvs/proxier.go: name, type, comment. */
const IPSETS: readonly (readonly [string, string, string])[] = [
  ['KUBE-LOOP-BACK', 'hash:ip,port,ip', 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose'],
  ['KUBE-CLUSTER-IP', 'hash:ip,port', 'Kubernetes service cluster ip + port for masquerade purpose'],
  ['KUBE-EXTERNAL-IP', 'hash:ip,port', 'Kubernetes service external ip + port for masquerade and filter purpose'],
  ['KUBE-EXTERNAL-IP-LOCAL', 'hash:ip,port', 'Kubernetes service external ip + port with externalTrafficPolicy=local'],
  ['KUBE-LOAD-BALANCER', 'hash:ip,port', 'Kubernetes service lb portal'],
  ['KUBE-LOAD-BALANCER-FW', 'hash:ip,port', 'Kubernetes service load balancer ip + port for load balancer with sourceRange'],
  ['KUBE-LOAD-BALANCER-LOCAL', 'hash:ip,port', 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local'],
  ['KUBE-LOAD-BALANCER-SOURCE-IP', 'hash:ip,port,ip', 'Kubernetes service load balancer ip + port + source IP for packet filter purpose'],
  ['KUBE-LOAD-BALANCER-SOURCE-CIDR', 'hash:ip,port,net', 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose'],
  ['KUBE-NODE-PORT-TCP', 'bitmap:port', 'Kubernetes nodeport TCP port for masquerade purpose'],
  ['KUBE-NODE-PORT-LOCAL-TCP', 'bitmap:port', 'Kubernetes nodeport TCP port with externalTrafficPolicy=local'],
  ['KUBE-NODE-PORT-UDP', 'bitmap:port', 'Kubernetes nodeport UDP port for masquerade purpose'],
  ['KUBE-NODE-PORT-LOCAL-UDP', 'bitmap:port', 'Kubernetes nodeport UDP port with externalTrafficPolicy=local'],
  ['KUBE-NODE-PORT-SCTP-HASH', 'hash:ip,port', "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'"],
  ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'hash:ip,port', "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'"],
  ['KUBE-HEALTH-CHECK-NODE-PORT', 'bitmap:port', 'Kubernetes health check node port'],
];

const PROTO_NUMBER = { TCP: 6, UDP: 17, SCTP: 132 } as const;

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function realServers(endpoints: readonly EndpointModel[]): IpvsRealServer[] {
  return [...endpoints]
    .map((ep) => ({ address: ep.ip, port: ep.port }))
    .sort((a, b) => ipToNumber(a.address) - ipToNumber(b.address) || a.port - b.port);
}

function virtualServersFor(svc: ServicePortModel, ctx: ProxierContext): IpvsVirtualServer[] {
  const cat = categorizeEndpoints(svc);
  const service = servicePortNameString(svc);
  const internal = internalPolicyLocal(svc) ? cat.localEndpoints : cat.clusterEndpoints;
  const external = externalPolicyLocal(svc) ? cat.localEndpoints : cat.clusterEndpoints;
  const out: IpvsVirtualServer[] = [
    { protocol: svc.protocol, address: svc.clusterIP, port: svc.port, scheduler: 'rr', realServers: realServers(internal), service },
  ];
  if ((svc.nodePort ?? 0) !== 0) {
    out.push({ protocol: svc.protocol, address: ctx.nodeIP, port: svc.nodePort ?? 0, scheduler: 'rr', realServers: realServers(external), service });
  }
  return out;
}

/** ipvsadm sorts services by protocol, then address, then port (`ipvs_cmp_services`). */
function compareVirtualServers(a: IpvsVirtualServer, b: IpvsVirtualServer): number {
  return PROTO_NUMBER[a.protocol] - PROTO_NUMBER[b.protocol] || ipToNumber(a.address) - ipToNumber(b.address) || a.port - b.port;
}

export function formatIpvsadm(servers: readonly IpvsVirtualServer[]): string {
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const vs of servers) {
    lines.push(`${vs.protocol}  ${vs.address}:${vs.port} ${vs.scheduler}`);
    for (const rs of vs.realServers) {
      lines.push(`  -> ${`${rs.address}:${rs.port}`.padEnd(28)} ${'Masq'.padEnd(7)} ${'1'.padEnd(6)} ${'0'.padEnd(10)} 0`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function ipsetsFor(services: readonly ServicePortModel[], ctx: ProxierContext): IpsetModel[] {
  const entries = new Map<string, Set<string>>(IPSETS.map(([name]) => [name, new Set<string>()]));
  const add = (set: string, entry: string): void => void entries.get(set)?.add(entry);
  for (const svc of services) {
    const proto = svc.protocol.toLowerCase();
    for (const ep of svc.endpoints) if (ep.isLocal) add('KUBE-LOOP-BACK', `${ep.ip},${proto}:${ep.port},${ep.ip}`);
    add('KUBE-CLUSTER-IP', `${svc.clusterIP},${proto}:${svc.port}`);
    const nodePort = svc.nodePort ?? 0;
    if (nodePort === 0) continue;
    const local = externalPolicyLocal(svc);
    if (svc.protocol === 'SCTP') {
      add('KUBE-NODE-PORT-SCTP-HASH', `${ctx.nodeIP},sctp:${nodePort}`);
      if (local) add('KUBE-NODE-PORT-LOCAL-SCTP-HASH', `${ctx.nodeIP},sctp:${nodePort}`);
    } else {
      add(`KUBE-NODE-PORT-${svc.protocol}`, String(nodePort));
      if (local) add(`KUBE-NODE-PORT-LOCAL-${svc.protocol}`, String(nodePort));
    }
  }
  return IPSETS.map(([name, type, comment]) => ({ name, type, comment, entries: [...(entries.get(name) ?? [])].sort(compareStrings) }));
}

/** A stable locally administered MAC for a device, since the simulator has no kernel to ask. */
export function deterministicMac(seed: string): string {
  const bytes = sha256(utf8ToBytes(seed)).slice(0, 6);
  bytes[0] = (bytes[0] & 0xfe) | 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function renderIpvs(services: readonly ServicePortModel[], ctx: ProxierContext, ifIndex = 5): IpvsRender {
  const sorted = sortedServices(services);
  const virtualServers = sorted.flatMap((svc) => virtualServersFor(svc, ctx)).sort(compareVirtualServers);
  const dummyAddresses = [...new Set(sorted.map((svc) => svc.clusterIP))]
    .sort((a, b) => ipToNumber(a) - ipToNumber(b))
    .map((ip) => `${ip}/32`);
  const dummyInterface = [
    `${ifIndex}: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default`,
    `    link/ether ${deterministicMac(`${ctx.nodeName}/kube-ipvs0`)} brd ff:ff:ff:ff:ff:ff`,
    ...dummyAddresses.flatMap((a) => [`    inet ${a} scope global kube-ipvs0`, '       valid_lft forever preferred_lft forever']),
  ].join('\n');
  return {
    virtualServers,
    ipvsadm: formatIpvsadm(virtualServers),
    dummyAddresses,
    dummyInterface: `${dummyInterface}\n`,
    ipsets: ipsetsFor(sorted, ctx),
  };
}
