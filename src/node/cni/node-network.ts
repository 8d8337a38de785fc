/**
 * What each network plugin leaves on a node: its devices and the routing table `ip route`
 * prints, plus the VXLAN forwarding (`bridge fdb`) and neighbour (`ip neigh`) entries overlay
 * backends program. This is where the backends differ: flannel vxlan routes peer subnets via
 * flannel.1, host-gw via the peer's own address, Calico via tunl0 / vxlan.calico / plain BGP
 * routes with a blackhole for its own block, Weave through one flat bridge, and the bridge
 * plugin alone not at all (it never connects nodes).
 */
import { DEFAULT_WEAVE_RANGE } from './ipam-weave.js';
import { formatCidr, nthAddress, parseCidr } from './ipv4.js';
import { CALICO_HOST_VETH_MAC } from './names.js';
import {
  podVeths, route, sortRoutes, uplinkDevice, uplinkRoutes, vtepMac, withOverlayAddresses,
  type NetDevice, type NetworkNode, type NodeNetwork, type Route,
} from './node-network-base.js';
import { podMtu } from './plugin-env.js';
import { assertBackend, type CniBackend, type CniPluginName } from './types.js';

export * from './node-network-base.js';
export { encapsulate, type EncapsulationResult, type InnerPacket } from './encapsulation.js';

interface Parts {
  devices: NetDevice[];
  routes: Route[];
  fdb: string[];
  neighbors: string[];
}

const podRoutes = (n: NetworkNode, dev: (hostIf: string) => string): Route[] =>
  (n.pods ?? []).map((p, i) => route(p.ip, `dev ${dev(p.hostIfName ?? `veth${i}`)} scope link`));

function cni0(n: NetworkNode, mtu: number): Parts {
  if (!n.podCIDR || (n.pods ?? []).length === 0) return { devices: [], routes: [], fdb: [], neighbors: [] };
  const cidr = parseCidr(n.podCIDR);
  const gateway = nthAddress(cidr, 1);
  return {
    devices: [{ name: 'cni0', kind: 'bridge', mtu, addresses: [`${gateway}/${cidr.prefix}`] }, ...podVeths(n, mtu, 'cni0')],
    routes: [route(formatCidr(cidr), `dev cni0 proto kernel scope link src ${gateway}`)],
    fdb: [],
    neighbors: [],
  };
}

function flannel(n: NetworkNode, peers: readonly NetworkNode[], backend: CniBackend): Parts {
  const mtu = podMtu('flannel', backend);
  const local = cni0(n, mtu);
  const routed = peers.filter((p) => p.podCIDR);
  if (backend === 'host-gw') {
    return { ...local, routes: [...local.routes, ...routed.map((p) => route(formatCidr(parseCidr(p.podCIDR ?? '')), `via ${p.ip} dev eth0`))] };
  }
  const own = n.podCIDR ? [`${nthAddress(parseCidr(n.podCIDR), 0)}/32`] : [];
  const vxlan: NetDevice = {
    name: 'flannel.1', kind: 'vxlan', mtu, mac: vtepMac(n.name, 'flannel.1'), addresses: own,
    details: `vxlan id 1 local ${n.ip} dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300`,
  };
  const peerRoutes = routed.map((p) => {
    const cidr = parseCidr(p.podCIDR ?? '');
    return route(formatCidr(cidr), `via ${nthAddress(cidr, 0)} dev flannel.1 onlink`);
  });
  return {
    devices: [vxlan, ...local.devices],
    routes: [...local.routes, ...peerRoutes],
    fdb: routed.map((p) => `${vtepMac(p.name, 'flannel.1')} dst ${p.ip} self permanent`),
    neighbors: routed.map((p) => `${nthAddress(parseCidr(p.podCIDR ?? ''), 0)} lladdr ${vtepMac(p.name, 'flannel.1')} PERMANENT`),
  };
}

function calico(n: NetworkNode, peers: readonly NetworkNode[], backend: CniBackend): Parts {
  const mtu = podMtu('calico', backend);
  const veths = (n.pods ?? []).map((p, i) => ({ name: p.hostIfName ?? `cali${i}`, kind: 'veth' as const, mtu, mac: CALICO_HOST_VETH_MAC, addresses: [] }));
  const proto = backend === 'vxlan' ? 'proto 80' : 'proto bird';
  const routes = [...(n.blocks ?? []).map((b) => route(b, proto, 'blackhole ')), ...podRoutes(n, (i) => i)];
  const peerBlocks = (via: (p: NetworkNode) => string): Route[] => peers.flatMap((p) => (p.blocks ?? []).map((b) => route(b, via(p))));
  if (backend === 'bgp') return { devices: veths, routes: [...routes, ...peerBlocks((p) => `via ${p.ip} dev eth0 proto bird`)], fdb: [], neighbors: [] };
  if (backend === 'ipip') {
    const tunl0: NetDevice = { name: 'tunl0', kind: 'ipip', mtu, addresses: [`${n.overlayIP}/32`], details: 'ipip any remote any local any ttl inherit nopmtudisc' };
    return { devices: [tunl0, ...veths], routes: [...routes, ...peerBlocks((p) => `via ${p.ip} dev tunl0 proto bird onlink`)], fdb: [], neighbors: [] };
  }
  const vxlan: NetDevice = {
    name: 'vxlan.calico', kind: 'vxlan', mtu, mac: vtepMac(n.name, 'vxlan.calico'), addresses: [`${n.overlayIP}/32`],
    details: `vxlan id 4096 local ${n.ip} dev eth0 srcport 0 0 dstport 4789 nolearning ttl auto ageing 300`,
  };
  return {
    devices: [vxlan, ...veths],
    routes: [...routes, ...peerBlocks((p) => `via ${p.overlayIP} dev vxlan.calico onlink`)],
    fdb: peers.map((p) => `${vtepMac(p.name, 'vxlan.calico')} dst ${p.ip} self permanent`),
    neighbors: peers.map((p) => `${p.overlayIP} lladdr ${vtepMac(p.name, 'vxlan.calico')} PERMANENT`),
  };
}

function weave(n: NetworkNode, backend: CniBackend): Parts {
  const mtu = podMtu('weave', backend);
  const range = parseCidr(DEFAULT_WEAVE_RANGE);
  const bridge: NetDevice = { name: 'weave', kind: 'bridge', mtu, addresses: [`${n.overlayIP}/${range.prefix}`] };
  const fastdp: NetDevice[] = backend !== 'fastdp' ? [] : [
    { name: 'datapath', kind: 'openvswitch', mtu, addresses: [] },
    { name: 'vethwe-datapath', kind: 'veth', mtu, addresses: [], details: 'master datapath' },
    { name: 'vethwe-bridge', kind: 'veth', mtu, addresses: [], details: 'master weave' },
    { name: 'vxlan-6784', kind: 'vxlan', mtu: 65485, addresses: [], details: 'vxlan external id 0 srcport 0 0 dstport 6784 nolearning' },
  ];
  return {
    devices: [bridge, ...fastdp, ...podVeths(n, mtu, 'weave')],
    routes: [route(DEFAULT_WEAVE_RANGE, `dev weave proto kernel scope link src ${n.overlayIP}`)],
    fdb: [],
    neighbors: [],
  };
}

function build(plugin: CniPluginName, backend: CniBackend, n: NetworkNode, peers: readonly NetworkNode[]): Parts {
  switch (plugin) {
    case 'flannel': return flannel(n, peers, backend);
    case 'calico': return calico(n, peers, backend);
    case 'weave': return weave(n, backend);
    case 'bridge': return cni0(n, 1500);
  }
}

/** One node's network state under `plugin`/`backend`, given every node in the cluster. */
export function nodeNetwork(plugin: CniPluginName, backend: CniBackend, nodes: readonly NetworkNode[], nodeName: string): NodeNetwork {
  assertBackend(plugin, backend);
  const full = withOverlayAddresses(plugin, backend, nodes);
  const self = full.find((n) => n.name === nodeName);
  if (!self) throw new Error(`no node named ${nodeName}`);
  return networkOf(plugin, backend, self, full);
}

/** Every node's network state; Calico blocks and Weave bridge addresses are derived when absent. */
export function clusterNetwork(plugin: CniPluginName, backend: CniBackend, nodes: readonly NetworkNode[]): NodeNetwork[] {
  assertBackend(plugin, backend);
  const full = withOverlayAddresses(plugin, backend, nodes);
  return full.map((n) => networkOf(plugin, backend, n, full));
}

function networkOf(plugin: CniPluginName, backend: CniBackend, n: NetworkNode, all: readonly NetworkNode[]): NodeNetwork {
  const parts = build(plugin, backend, n, all.filter((p) => p.name !== n.name));
  return {
    node: n.name,
    devices: [uplinkDevice(n), ...parts.devices],
    routes: sortRoutes([...uplinkRoutes(n), ...parts.routes]),
    fdb: parts.fdb,
    neighbors: parts.neighbors,
  };
}
