import type { Process } from '../../sim/simulation.js';
import { deterministicMac, weaveExpose, weavePeerRanges } from '../cni/index.js';
import { conflistFileFor } from './cni-pod-network.js';
import { NetworkDaemon } from './daemon.js';
import { pairKey, type FabricMember } from './fabric.js';

/**
 * Weave Net's weave-kube container (weaveworks/weave, archived since Weaveworks shut down in
 * 2024): it finds its peers through the API (the node list and the peer list it keeps in the
 * kube-system/weave-net ConfigMap), joins the mesh over TCP 6783, takes its share of the
 * 10.32.0.0/12 range through Weave's own IPAM, exposes the `weave` bridge and writes its conflist.
 */
type Obj = Record<string, any>;

/** The weave-net pod's images: the router and the network-policy controller. */
export const WEAVE_IMAGES = ['docker.io/weaveworks/weave-kube:2.8.1', 'docker.io/weaveworks/weave-npc:2.8.1'];
const PEERS_ANNOTATION = 'kube-peers.weave.works/peers';
const ARCHIVED = 'Weave Net is archived: Weaveworks shut down in early 2024 and the project is no longer maintained (a community fork lives on as rajch/weave), so treat it as a legacy plugin.';

/** weave-kube on one node (archived project). */
export class WeaveNet extends NetworkDaemon {
  protected *run(): Process<void> {
    const { fabric, net } = this;
    yield* this.client.get('/api/v1/nodes', {
      why: `weave-kube's launch script lists the Nodes (kube-utils -peer-list) to know the addresses of the peers it should connect to. ${ARCHIVED}`,
      stage: 'networking',
    });
    if (!this.alive() || !(yield* this.registerPeer())) return;
    const exposed = weaveExpose(fabric.weaveIpam, this.nodeName);
    if (!exposed.ok) return;
    fabric.weaveIpam = exposed.state;
    fabric.daemons.set(this.nodeName, this);
    net.daemonStarted = true;
    this.record(
      `weave on ${this.nodeName} joins the IPAM ring (owns ${weavePeerRanges(fabric.weaveIpam, this.nodeName).join(', ')}) and exposes bridge weave ${exposed.allocation.ip}/12`,
      `Weave allocates pod addresses itself from IPALLOC_RANGE 10.32.0.0/12, ignoring spec.podCIDR: the peers split the range between them (a new peer takes half of the largest share). The bridge "weave" gets this peer's first address, and every pod on any node sits in the same flat /12. ${ARCHIVED}`,
      { range: fabric.weaveIpam.range, owned: weavePeerRanges(fabric.weaveIpam, this.nodeName), bridge: `${exposed.allocation.ip}/12`, devices: net.view().devices },
    );
    for (const [name, peer] of [...fabric.daemons].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (name === this.nodeName || fabric.meshConnections.has(pairKey(name, this.nodeName))) continue;
      fabric.meshConnections.add(pairKey(name, this.nodeName));
      const sleeve = fabric.backend === 'sleeve';
      this.record(
        `weave mesh: ${this.nodeName} ↔ ${name} connected (TCP 6783${sleeve ? ', sleeve over UDP 6783' : ', fastdp over UDP 6784'})`,
        `The weave routers connect over TCP port 6783 for control (the gossip that spreads the topology and IP ownership) and send pod traffic over UDP: ${sleeve ? 'sleeve mode, the router process itself wraps frames in UDP 6783' : 'fastdp, the kernel Open vSwitch datapath wraps frames in VXLAN on UDP 6784'}. ${ARCHIVED}`,
        { local: `${this.nodeIP}:6783`, remote: `${peer.nodeIP}:6783`, data: sleeve ? `udp ${peer.nodeIP}:6783` : `udp ${peer.nodeIP}:6784` },
      );
      peer.learn(this);
      this.learn(peer);
    }
    net.installConflist(
      conflistFileFor('weave', { name: this.nodeName, ip: this.nodeIP }),
      this.name,
      `With the bridge up, weave-kube installs the weave-net CNI plugin in /opt/cni/bin and writes /etc/cni/net.d/10-weave.conflist.`,
    );
    yield* this.markNetworkAvailable('WeaveIsUp', 'Weave pod has set this',
      `weave-kube clears the node's NetworkUnavailable condition (reason WeaveIsUp) once its router is running.`);
  }

  /** Adds this node to the peer list weave keeps in the kube-system/weave-net ConfigMap. */
  private *registerPeer(): Process<boolean> {
    const path = '/api/v1/namespaces/kube-system/configmaps/weave-net';
    const res = yield* this.client.get(path, { why: `weave-kube reads the peer list it keeps in ConfigMap kube-system/weave-net, so peers that restart or join later find each other.`, stage: 'networking' });
    if (!this.alive()) return false;
    const me = { PeerName: deterministicMac(`weave/${this.nodeName}`), NodeName: this.nodeName };
    if (res.status === 404) {
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'weave-net', namespace: 'kube-system', annotations: { [PEERS_ANNOTATION]: JSON.stringify({ Peers: [me] }) } } };
      const created = yield* this.client.create('/api/v1/namespaces/kube-system/configmaps', body, { why: `No peer list exists yet: this is the first weave peer, so it creates the weave-net ConfigMap with itself in it.`, stage: 'networking' });
      return created.status === 201 && this.alive();
    }
    if (res.status !== 200) return false;
    const cm = res.body as Obj;
    const peers = JSON.parse(cm.metadata?.annotations?.[PEERS_ANNOTATION] ?? '{"Peers":[]}') as { Peers: { NodeName: string }[] };
    if (peers.Peers.some((p) => p.NodeName === this.nodeName)) return true;
    const updated = { ...cm, metadata: { ...cm.metadata, annotations: { ...cm.metadata.annotations, [PEERS_ANNOTATION]: JSON.stringify({ Peers: [...peers.Peers, me] }) } } };
    const put = yield* this.client.update(path, updated, { why: `weave-kube adds ${this.nodeName} to the peer list (an update with the resourceVersion it read, so two peers joining at once cannot overwrite each other).`, stage: 'networking' });
    if (put.status === 409) return yield* this.registerPeer();
    return put.status === 200 && this.alive();
  }

  /** A mesh connection came up: `from`'s pods are reachable through the weave router. */
  override learn(from: FabricMember): void {
    if (!this.alive()) return;
    this.net.peers.set(from.nodeName, { name: from.nodeName, ip: from.nodeIP });
  }

  protected override stopped(): void {
    for (const key of [...this.fabric.meshConnections]) if (key.split('|').includes(this.nodeName)) this.fabric.meshConnections.delete(key);
  }
}
