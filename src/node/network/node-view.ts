import {
  bridgeAddress, calicoAssignments, calicoBlocksFor, nodeNetwork, tunnelHandle, type NetworkNode, type NodeNetwork,
} from '../cni/index.js';
import type { CniPodNetwork } from './cni-pod-network.js';

/**
 * A node's network as the node-network model describes it, from what its CNI side and its
 * daemon know: its own pods and subnet or blocks, and the peers its daemon has learned (through
 * flannel's Node watch, BGP, or Weave's mesh). Before the daemon has configured anything, only
 * the uplink exists.
 */
export function selfNode(net: CniPodNetwork, withPods = true): NetworkNode {
  const fabric = net.fabric;
  const kind = net.backend === 'vxlan' ? 'vxlan' : 'ipip';
  const pods = withPods ? [...net.pods.values()].map((p) => ({ ip: p.ip, hostIfName: p.hostIfName })) : [];
  const base = { name: net.nodeName, ip: net.nodeIP, pods };
  if (net.plugin === 'calico' && fabric) {
    const tunnel = calicoAssignments(fabric.calicoIpam).find((a) => a.handle === tunnelHandle(kind, net.nodeName));
    return { ...base, blocks: calicoBlocksFor(fabric.calicoIpam, net.nodeName), ...(tunnel ? { overlayIP: tunnel.ip } : {}) };
  }
  if (net.plugin === 'weave' && fabric) return { ...base, overlayIP: bridgeAddress(fabric.weaveIpam, net.nodeName) };
  return { ...base, podCIDR: net.plugin === 'flannel' ? net.flannelSubnet : net.podCIDR };
}

/** Devices, routes, FDB and neighbour entries of the node now. */
export function nodeView(net: CniPodNetwork): NodeNetwork {
  const peers = [...net.peers.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return viewWith(net, peers);
}

/**
 * The entries the node holds for one peer (its route, FDB and neighbour lines), without building
 * the whole table: a daemon that learns N peers one by one stays linear in N. The node's own pods
 * are left out of both views: their devices and routes never depend on a peer, so they would
 * only be built twice to cancel out.
 */
export function peerEntries(net: CniPodNetwork, peerName: string): Pick<NodeNetwork, 'routes' | 'fdb' | 'neighbors'> {
  const peer = net.peers.get(peerName);
  if (!peer) return { routes: [], fdb: [], neighbors: [] };
  const alone = aloneView(net);
  const withPeer = viewWith(net, [peer], false);
  const added = (all: readonly string[], before: readonly string[]) => all.filter((line) => !before.includes(line));
  return { routes: added(withPeer.routes, alone.routes), fdb: added(withPeer.fdb, alone.fdb), neighbors: added(withPeer.neighbors, alone.neighbors) };
}

/**
 * The node's view with no peers and no pods, kept with what it was built from: while the node
 * itself is unchanged, it is the same for every peer its daemon learns.
 */
const aloneViews = new WeakMap<CniPodNetwork, { readonly key: string; readonly view: NodeNetwork }>();

function aloneView(net: CniPodNetwork): NodeNetwork {
  const self = selfNode(net, false);
  const key = JSON.stringify([net.plugin, net.backend, Boolean(net.fabric), Boolean(net.daemonStarted), self]);
  const cached = aloneViews.get(net);
  if (cached?.key === key) return cached.view;
  const view = viewOf(net, self, []);
  aloneViews.set(net, { key, view });
  return view;
}

function viewWith(net: CniPodNetwork, peers: readonly NetworkNode[], withPods = true): NodeNetwork {
  return viewOf(net, selfNode(net, withPods), peers);
}

function viewOf(net: CniPodNetwork, self: NetworkNode, peers: readonly NetworkNode[]): NodeNetwork {
  const configured = net.plugin === 'bridge' || net.plugin === 'flannel' ? Boolean(self.podCIDR) : Boolean(net.fabric && net.daemonStarted);
  if (!configured) return nodeNetwork('bridge', 'none', [{ name: self.name, ip: self.ip }], self.name);
  return nodeNetwork(net.plugin, net.backend, [self, ...peers], self.name);
}
