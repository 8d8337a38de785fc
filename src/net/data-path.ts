import type { Cluster } from '../cluster/cluster.js';
import { encapsulate, type EncapsulationResult, type NetworkNode } from '../node/cni/index.js';
import { cidrContains, parseCidr } from '../node/cni/ipv4.js';
import { CniPodNetwork, cniBackendOf, kernelTables, type PodAttachment } from '../node/network/index.js';
import type { Pick } from '../node/proxy/index.js';
import { traverse } from './netfilter.js';
import { lookupRoute, type RouteEntry } from './routing.js';

/**
 * Where a packet goes after the source node's netfilter: the routing decision, the plugin's way
 * across to another node (VXLAN, IP-in-IP, Weave's sleeve, or a plain route), arrival and
 * decapsulation there, and delivery through the bridge or veth to the pod. Each hop is returned
 * with its headers so the walk can record it.
 */
export interface Packet {
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
  readonly proto: 'TCP' | 'UDP';
}

/** One hop of the walk, ready to be recorded as a step. */
export interface PathHop {
  readonly node?: string;
  readonly from: string;
  readonly to: string;
  readonly summary: string;
  readonly explanation: string;
  readonly detail: Record<string, unknown>;
}

/** Where a packet ended: in a pod, at kube-apiserver, lost on the way, or answered with a reset. */
export type PathEnd =
  | { readonly kind: 'pod'; readonly node: string; readonly pod: PodAttachment }
  | { readonly kind: 'apiserver' }
  | { readonly kind: 'lost'; readonly why: string }
  | { readonly kind: 'refused'; readonly why: string };

/** The hops a packet took and how it ended. */
export interface PathResult {
  readonly hops: PathHop[];
  readonly end: PathEnd;
  readonly encapsulation?: EncapsulationResult;
}

/** A packet's headers as the inspector shows them. */
export const headers = (p: Packet): Record<string, unknown> => ({ src: p.src, sport: p.sport, dst: p.dst, dport: p.dport, proto: p.proto });

/** The node's CNI state, or undefined while the machine has none (never booted). */
export function podNetworkOf(cluster: Cluster, node: string): CniPodNetwork | undefined {
  const net = cluster.nodes.get(node)?.network;
  return net instanceof CniPodNetwork ? net : undefined;
}

/** Why `node` cannot send or receive anything right now, if it cannot. */
export function nodeCut(cluster: Cluster, node: string): string | undefined {
  const worker = cluster.nodes.get(node);
  if (!worker || worker.crashed || !worker.host.machine.alive) return `${node} is down`;
  if (cluster.network.isPartitioned(node)) return `${node} is partitioned: its network link is cut`;
  return undefined;
}

function nodeByIP(cluster: Cluster, ip: string): string | undefined {
  return [...cluster.nodes.values()].find((n) => n.host.address === ip)?.spec.name;
}

function ownerOf(peers: Iterable<NetworkNode>, ip: string, via?: string): NetworkNode | undefined {
  for (const p of peers) {
    if (p.podCIDR && cidrContains(parseCidr(p.podCIDR), ip)) return p;
    if ((p.blocks ?? []).some((b) => cidrContains(parseCidr(b), ip))) return p;
  }
  for (const p of peers) if (via && (p.ip === via || p.overlayIP === via)) return p;
  return undefined;
}

const TUNNELS = new Set(['flannel.1', 'tunl0', 'vxlan.calico']);

/** Follows `packet` from `node` (after its netfilter) to wherever it ends. */
export function forward(cluster: Cluster, node: string, packet: Packet, pick: Pick, depth = 0): PathResult {
  const net = podNetworkOf(cluster, node);
  const hops: PathHop[] = [];
  if (!net) return { hops, end: { kind: 'lost', why: `${node} has no network` } };
  const route = lookupRoute(net.routes(), packet.dst);
  hops.push(routingHop(node, packet, route));
  if (!route) return { hops, end: { kind: 'lost', why: `${node} has no route to ${packet.dst}` } };
  if (route.blackhole) return { hops, end: { kind: 'lost', why: `the blackhole route ${route.text} drops it: no pod holds ${packet.dst}` } };
  const local = net.podByIP(packet.dst);
  const dev = route.dev ?? '';
  if (local && !TUNNELS.has(dev) && dev !== 'eth0') return { hops: [...hops, deliveryHop(node, packet, local, dev)], end: { kind: 'pod', node, pod: local } };
  if (dev === 'cni0' || dev.startsWith('cali')) {
    return { hops, end: { kind: 'lost', why: `no pod on ${node} has ${packet.dst} any more: nobody answers the ARP request on ${dev}, and the packet is dropped` } };
  }
  if (TUNNELS.has(dev) || dev === 'weave') {
    const owner = dev === 'weave' ? weaveOwner(cluster, net, packet.dst) : ownerOf(net.peers.values(), packet.dst, route.via);
    if (!owner) return { hops, end: { kind: 'lost', why: `no peer of ${node} owns ${packet.dst}: nobody answers for it` } };
    return cross(cluster, node, owner.name, packet, pick, hops, depth);
  }
  const viaNode = route.via ? nodeByIP(cluster, route.via) : nodeByIP(cluster, packet.dst);
  if (viaNode && viaNode !== node) return cross(cluster, node, viaNode, packet, pick, hops, depth);
  if (!route.via && packet.dst === cluster.network.apiserverAddress.split(':')[0]) return toControlPlane(cluster, node, packet, hops);
  return { hops, end: { kind: 'lost', why: route.via ? `${route.via}, the default gateway, has no route to ${packet.dst}: the pod network only exists between the nodes` : `no machine on the node network has ${packet.dst}` } };
}

function weaveOwner(cluster: Cluster, net: CniPodNetwork, ip: string): NetworkNode | undefined {
  for (const [name, peer] of net.peers) if (podNetworkOf(cluster, name)?.podByIP(ip)) return peer;
  return undefined;
}

function routingHop(node: string, packet: Packet, route: RouteEntry | undefined): PathHop {
  return {
    node, from: `kernel/${node}`, to: `kernel/${node}`,
    summary: route ? `routing on ${node}: ${packet.dst} → ${route.text}` : `routing on ${node}: no route to ${packet.dst}`,
    explanation: route
      ? `The kernel looks the destination up in ${node}'s routing table (ip route get ${packet.dst}); the most specific matching route wins. ${route.dev && TUNNELS.has(route.dev) ? `${route.dev} is the network plugin's tunnel device: the packet will be encapsulated.` : route.via ? `It goes to ${route.via} through ${route.dev}.` : `The destination is directly reachable on ${route.dev}.`}`
      : `No route matches, not even a default one.`,
    detail: { packet: headers(packet), route: route?.text },
  };
}

function deliveryHop(node: string, packet: Packet, pod: PodAttachment, dev: string): PathHop {
  const bridge = dev === 'cni0' || dev === 'weave';
  return {
    node, from: `kernel/${node}`, to: `pod/${pod.name}`,
    summary: `${node} delivers to ${pod.namespace}/${pod.name} (${pod.ip}) via ${bridge ? `${dev} → ${pod.hostIfName}` : pod.hostIfName}`,
    explanation: bridge
      ? `${packet.dst} is on the ${dev} bridge: the node ARPs for it, the pod's eth0 answers, and the bridge forwards the frame out of ${pod.hostIfName}, the host end of the pod's veth pair; it arrives on eth0 inside the pod's network namespace ${pod.netns}.`
      : `Calico routes, not bridges: the /32 route sends the packet straight into ${pod.hostIfName}, the host end of the pod's veth pair; it arrives on eth0 inside ${pod.netns}.`,
    detail: { packet: headers(packet), device: dev, veth: pod.hostIfName, netns: pod.netns, pod: `${pod.namespace}/${pod.name}` },
  };
}

function cross(cluster: Cluster, from: string, to: string, packet: Packet, pick: Pick, hops: PathHop[], depth: number): PathResult {
  const fromNode = cluster.nodes.get(from)!;
  const toNode = cluster.nodes.get(to);
  const enc = encapsulate(cluster.config.networkPlugin, cniBackendOf(cluster.config), { src: packet.src, dst: packet.dst, proto: packet.proto, sport: packet.sport, dport: packet.dport },
    { srcNode: { name: from, ip: fromNode.host.address }, dstNode: { name: to, ip: toNode?.host.address ?? '' } });
  const outer = enc.outer ? `outer ${enc.outer.srcIP} → ${enc.outer.dstIP} ${enc.outer.protocol}${enc.outer.dstPort ? ` ${enc.outer.srcPort} → ${enc.outer.dstPort}` : ''}${enc.outer.vni !== undefined ? ` VNI ${enc.outer.vni}` : ''}` : `next hop ${enc.nextHop}`;
  hops.push({
    node: from, from: `kernel/${from}`, to: `kernel/${to}`,
    summary: `${enc.encapsulated ? `${enc.mode.toUpperCase()} on ${enc.device}` : 'routed, no encapsulation'}: ${outer}; inner ${packet.src}:${packet.sport} → ${packet.dst}:${packet.dport}`,
    explanation: `${enc.description}. The pod's packet inside keeps its own addresses${enc.encapsulated ? `; only the outer header, between the node addresses, is seen on the wire (${enc.overheadBytes ?? 'some'} bytes of overhead, which is why pod interfaces have MTU ${enc.innerMtu})` : ''}.`,
    detail: { inner: headers(packet), outer: enc.outer, innerEthernet: enc.innerEthernet, mode: enc.mode, device: enc.device, nextHop: enc.nextHop },
  });
  const cut = nodeCut(cluster, from) ?? nodeCut(cluster, to);
  if (cut) return { hops, end: { kind: 'lost', why: `${cut}, so the packet never arrives` }, encapsulation: enc };
  const rest = arrive(cluster, to, packet, enc, pick, depth);
  return { hops: [...hops, ...rest.hops], end: rest.end, encapsulation: enc };
}

function arrive(cluster: Cluster, node: string, packet: Packet, enc: EncapsulationResult, pick: Pick, depth: number): PathResult {
  const rules = kernelTables(cluster.sim).get(node);
  const isNodeIP = cluster.nodes.get(node)?.host.address === packet.dst;
  const nf = traverse(rules, { srcIP: packet.src, dstIP: packet.dst, dstPort: packet.dport, protocol: packet.proto }, pick);
  const hops: PathHop[] = [{
    node, from: `kernel/${node}`, to: `kernel/${node}`,
    summary: `${node} receives it${enc.encapsulated ? ` and ${enc.device} decapsulates` : ''}: ${packet.src} → ${packet.dst}:${packet.dport}${isNodeIP ? `; ${nf.summary}` : ''}`,
    explanation: `${enc.encapsulated ? `The outer packet arrives on ${node}'s eth0 (${enc.outer?.protocol}${enc.outer?.dstPort ? ` port ${enc.outer.dstPort}` : ''}); the kernel hands it to ${enc.device}, which strips the outer headers. ` : ''}The inner packet then passes ${node}'s netfilter as a forwarded packet: its destination is already a pod IP (the DNAT happened on the sending node), so no KUBE-SERVICES rule matches and it is simply forwarded.`,
    detail: { packet: headers(packet), netfilter: nf.hops, decapsulated: enc.encapsulated ? enc.outer : undefined },
  }];
  if (isNodeIP) {
    if (nf.verdict === 'REJECT') return { hops, end: { kind: 'refused', why: nf.summary } };
    if (nf.dnat && depth < 2) {
      const next = forward(cluster, node, { ...packet, dst: nf.dnat.ip, dport: nf.dnat.port }, pick, depth + 1);
      return { hops: [...hops, ...next.hops], end: next.end };
    }
    return { hops, end: { kind: 'refused', why: `nothing listens on ${packet.dst}:${packet.dport}: ${node} answers with a TCP reset` } };
  }
  const net = podNetworkOf(cluster, node);
  const route = net ? lookupRoute(net.routes(), packet.dst) : undefined;
  const pod = net?.podByIP(packet.dst);
  if (!pod) return { hops, end: { kind: 'lost', why: `no pod on ${node} has ${packet.dst} any more: nobody answers the ARP request, and the packet is dropped` } };
  hops.push(deliveryHop(node, packet, pod, route?.dev ?? 'cni0'));
  return { hops, end: { kind: 'pod', node, pod } };
}

function toControlPlane(cluster: Cluster, node: string, packet: Packet, hops: PathHop[]): PathResult {
  const cut = nodeCut(cluster, node);
  if (cut) return { hops, end: { kind: 'lost', why: cut } };
  const port = Number(cluster.network.apiserverAddress.split(':')[1]);
  if (!cluster.network.apiserverUp || packet.dport !== port) return { hops, end: { kind: 'refused', why: `nothing listens on ${packet.dst}:${packet.dport}: the control plane answers with a TCP reset` } };
  hops.push({
    from: `kernel/${node}`, to: 'kube-apiserver', node,
    summary: `the control plane receives it: kube-apiserver listens on ${packet.dst}:${port}`,
    explanation: `The endpoint of the kubernetes Service is kube-apiserver itself, on the control-plane host's address: the packet crosses the node network unencapsulated.`,
    detail: { packet: headers(packet) },
  });
  return { hops, end: { kind: 'apiserver' } };
}
