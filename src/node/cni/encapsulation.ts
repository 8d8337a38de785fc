/**
 * How a packet between pods on two nodes crosses the wire under each plugin and backend:
 * which outer headers wrap it (VXLAN in UDP 8472 for flannel, 4789 for Calico, 6784 for
 * Weave fastdp; IP-in-IP as IP protocol 4; Weave's sleeve in UDP 6783), or whether it is
 * simply routed to the peer node (flannel host-gw, Calico BGP).
 */
import { hashString } from '../../sim/prng.js';
import { vtepMac } from './node-network-base.js';
import { podMtu } from './plugin-env.js';
import { assertBackend, type CniBackend, type CniNode, type CniPluginName } from './types.js';

export interface InnerPacket {
  readonly src: string;
  readonly dst: string;
  readonly proto: 'TCP' | 'UDP' | 'ICMP';
  readonly sport?: number;
  readonly dport?: number;
}

export interface OuterHeaders {
  readonly srcIP: string;
  readonly dstIP: string;
  /** 17 for UDP-based tunnels, 4 for IP-in-IP. */
  readonly ipProtocol: 17 | 4;
  readonly protocol: 'UDP' | 'IPIP';
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly vni?: number;
}

export interface EncapsulationResult {
  /** local: same node; routed: plain routing to the peer; unreachable: nothing connects the nodes. */
  readonly mode: 'vxlan' | 'ipip' | 'sleeve' | 'routed' | 'local' | 'unreachable';
  readonly encapsulated: boolean;
  readonly device?: string;
  readonly outer?: OuterHeaders;
  /** The inner Ethernet header a VXLAN device writes: its own MAC to the peer VTEP's. */
  readonly innerEthernet?: { readonly src: string; readonly dst: string };
  /** For routed traffic: the next hop on the node network. */
  readonly nextHop?: string;
  /** Bytes the encapsulation adds (50 for VXLAN over IPv4, 20 for IP-in-IP); absent for sleeve, whose framing varies. */
  readonly overheadBytes?: number;
  /** The pod interface MTU that leaves room for that overhead. */
  readonly innerMtu: number;
  readonly inner: InnerPacket;
  readonly description: string;
}

/**
 * The UDP source port Linux picks for a VXLAN packet: a hash of the inner flow, spread over
 * the local port range (32768-60999), so one flow keeps one outer port (ECMP-friendly).
 */
export function vxlanSourcePort(inner: InnerPacket): number {
  const flow = `${inner.src}:${inner.sport ?? 0}>${inner.dst}:${inner.dport ?? 0}/${inner.proto}`;
  return 32768 + (hashString(flow) % (61000 - 32768));
}

interface Tunnel {
  readonly mode: 'vxlan' | 'ipip' | 'sleeve';
  readonly device: string;
  readonly dstPort?: number;
  readonly vni?: number;
  readonly overhead?: number;
  readonly text: string;
}

function tunnelFor(plugin: CniPluginName, backend: CniBackend): Tunnel | undefined {
  if (plugin === 'flannel' && backend === 'vxlan') {
    return { mode: 'vxlan', device: 'flannel.1', dstPort: 8472, vni: 1, overhead: 50, text: 'flannel.1 wraps the frame in VXLAN (VNI 1) to UDP port 8472, the Linux kernel default' };
  }
  if (plugin === 'calico' && backend === 'vxlan') {
    return { mode: 'vxlan', device: 'vxlan.calico', dstPort: 4789, vni: 4096, overhead: 50, text: 'vxlan.calico wraps the frame in VXLAN (VNI 4096) to UDP port 4789' };
  }
  if (plugin === 'calico' && backend === 'ipip') {
    return { mode: 'ipip', device: 'tunl0', overhead: 20, text: 'tunl0 puts the packet inside a second IPv4 header (IP protocol 4, IP-in-IP)' };
  }
  if (plugin === 'weave' && backend === 'fastdp') {
    return { mode: 'vxlan', device: 'vxlan-6784', dstPort: 6784, overhead: 50, text: "Weave's fastdp (kernel Open vSwitch datapath) wraps the frame in VXLAN to UDP port 6784" };
  }
  if (plugin === 'weave' && backend === 'sleeve') {
    return { mode: 'sleeve', device: 'weave', dstPort: 6783, text: "the weave router process captures the frame and sends it in its own UDP encapsulation ('sleeve') to port 6783 on the peer" };
  }
  return undefined;
}

/** Describes the trip of `inner` from a pod on `outer.srcNode` to a pod on `outer.dstNode`. */
export function encapsulate(
  plugin: CniPluginName, backend: CniBackend, inner: InnerPacket, outer: { readonly srcNode: CniNode; readonly dstNode: CniNode },
): EncapsulationResult {
  assertBackend(plugin, backend);
  const { srcNode, dstNode } = outer;
  const base = { inner, innerMtu: podMtu(plugin, backend) };
  if (srcNode.name === dstNode.name) {
    return { ...base, mode: 'local', encapsulated: false, overheadBytes: 0, description: `both pods are on ${srcNode.name}: the packet never leaves the node` };
  }
  if (plugin === 'bridge') {
    return {
      ...base, mode: 'unreachable', encapsulated: false, overheadBytes: 0,
      description: `the bridge plugin only connects pods on one node: ${srcNode.name} has no route to ${dstNode.name}'s pods, so the packet follows the default route and is lost`,
    };
  }
  const tunnel = tunnelFor(plugin, backend);
  if (!tunnel) {
    const how = plugin === 'calico' ? 'a route BIRD learned over BGP' : "flannel's host-gw route";
    return {
      ...base, mode: 'routed', encapsulated: false, nextHop: dstNode.ip, overheadBytes: 0,
      description: `no encapsulation: ${how} sends the packet as is to ${dstNode.ip} (${dstNode.name}); the nodes must share a layer-2 network or routers must know pod routes`,
    };
  }
  const udp = tunnel.mode !== 'ipip';
  const headers: OuterHeaders = {
    srcIP: srcNode.ip, dstIP: dstNode.ip, ipProtocol: udp ? 17 : 4, protocol: udp ? 'UDP' : 'IPIP',
    ...(udp ? { srcPort: vxlanSourcePort(inner), dstPort: tunnel.dstPort } : {}),
    ...(tunnel.vni !== undefined ? { vni: tunnel.vni } : {}),
  };
  const vtep = tunnel.mode === 'vxlan' && plugin !== 'weave'
    ? { innerEthernet: { src: vtepMac(srcNode.name, tunnel.device), dst: vtepMac(dstNode.name, tunnel.device) } }
    : {};
  return {
    ...base, ...vtep, mode: tunnel.mode, encapsulated: true, device: tunnel.device, outer: headers,
    ...(tunnel.overhead !== undefined ? { overheadBytes: tunnel.overhead } : {}),
    description: `${tunnel.text}; outer ${srcNode.ip} -> ${dstNode.ip}`,
  };
}
