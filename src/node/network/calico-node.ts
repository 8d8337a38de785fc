import type { KubeObject } from '../../api/meta.js';
import type { Process } from '../../sim/simulation.js';
import { Informer } from '../../controlplane/client/informer.js';
import { calicoAssignTunnel, calicoAssignments, calicoBlocksFor, tunnelHandle } from '../cni/index.js';
import { conflistFileFor } from './cni-pod-network.js';
import { NetworkDaemon } from './daemon.js';
import { pairKey, type FabricMember } from './fabric.js';

/**
 * calico-node (docs.tigera.io "Component architecture"): Felix programs routes and interfaces,
 * BIRD runs BGP (TCP 179) with every other node (the default node-to-node mesh, AS 64512) and
 * tells it which /26 blocks live here, and calico-ipam claims those blocks from the IP pool the
 * first time this node needs an address. The datastore here is the Kubernetes API (KDD): the
 * node's BGP address is a Node annotation, written through nodes/status.
 */
export const CALICO_IMAGES = ['docker.io/calico/cni:v3.29.1', 'docker.io/calico/node:v3.29.1'];
/** The AS number of Calico's default node-to-node BGP mesh. */
export const CALICO_AS_NUMBER = 64512;
const IPV4_ADDRESS = 'projectcalico.org/IPv4Address';

/** calico-node on one node: install-cni, start-up, Felix and BIRD. */
export class CalicoNode extends NetworkDaemon {
  /** Blocks announced to peers so far, to notice new ones after a CNI ADD. */
  private announced = '';

  protected *run(): Process<void> {
    const { net, fabric } = this;
    net.installConflist(
      conflistFileFor('calico', { name: this.nodeName, ip: this.nodeIP }),
      this.name,
      `The calico-node pod's init container install-cni copied the calico and calico-ipam binaries to /opt/cni/bin and wrote /etc/cni/net.d/10-calico.conflist with this node's name, plus calico-kubeconfig holding the calico-cni-plugin service account's token.`,
    );
    yield* this.client.get(`/api/v1/nodes/${this.nodeName}`, {
      why: `calico-node's start-up reads its own Node: it autodetects the node's IPv4 address (first-found: ${this.nodeIP} on eth0) for BGP and checks what is already recorded for it.`,
      stage: 'networking',
    });
    if (!this.alive()) return;
    const annotations: Record<string, string> = { [IPV4_ADDRESS]: `${this.nodeIP}/24` };
    if (fabric.backend !== 'bgp') this.assignTunnel(annotations);
    yield* this.markNetworkAvailable('CalicoIsUp', 'Calico is running on this node',
      `calico-node records its BGP address${fabric.backend === 'bgp' ? '' : ' and tunnel address'} as annotations on the Node (the Kubernetes datastore keeps Calico's node data there) and clears NetworkUnavailable (reason CalicoIsUp).`,
      annotations);
    if (!this.alive()) return;
    net.daemonStarted = true;
    fabric.daemons.set(this.nodeName, this);
    net.afterAdd = () => this.announceIfChanged();
    this.announced = this.blocks().join(',');
    const view = net.view();
    this.record(
      `Felix programs ${this.nodeName}: ${view.routes.filter((r) => r.startsWith('blackhole')).join(', ') || 'no block yet'}`,
      `Felix writes the routes for this node's blocks: a blackhole route for each whole /26 (so addresses not in use are dropped here, not sent back out), and later one /32 route per pod to its cali… veth. ${fabric.backend === 'ipip' ? 'Peers are reached through tunl0 (IP-in-IP, IP protocol 4).' : fabric.backend === 'vxlan' ? 'Peers are reached through vxlan.calico (VXLAN, UDP 4789).' : 'Peers are reached by plain routes BIRD learns over BGP; no encapsulation.'}`,
      { devices: view.devices, routes: view.routes },
    );
    new Informer(this.sim, this.client, this.prng.fork('nodes'), {
      path: '/api/v1/nodes',
      why: `calico-node's confd lists and watches Nodes to render BIRD's configuration: every node with a ${IPV4_ADDRESS} annotation becomes a BGP peer in the node-to-node mesh.`,
      stage: 'networking',
    }, { onAdd: (n) => this.onNode(n), onUpdate: (_o, n) => this.onNode(n) }).start();
  }

  private blocks(): string[] {
    return calicoBlocksFor(this.fabric.calicoIpam, this.nodeName);
  }

  private tunnelIP(): string | undefined {
    const kind = this.fabric.backend === 'vxlan' ? 'vxlan' : 'ipip';
    return calicoAssignments(this.fabric.calicoIpam).find((a) => a.handle === tunnelHandle(kind, this.nodeName))?.ip;
  }

  /** In IPIP and VXLAN mode the node's tunnel device takes the first address of its first block. */
  private assignTunnel(annotations: Record<string, string>): void {
    const kind = this.fabric.backend === 'vxlan' ? 'vxlan' : 'ipip';
    const r = calicoAssignTunnel(this.fabric.calicoIpam, this.nodeName, kind);
    if (!r.ok) return;
    this.fabric.calicoIpam = r.state;
    annotations[kind === 'ipip' ? 'projectcalico.org/IPv4IPIPTunnelAddr' : 'projectcalico.org/IPv4VXLANTunnelAddr'] = r.allocation.ip;
    this.record(
      `calico-ipam claims block ${this.blocks().join(', ')} for ${this.nodeName}; ${kind === 'ipip' ? 'tunl0' : 'vxlan.calico'} gets ${r.allocation.ip}`,
      `The IP pool 192.168.0.0/16 is cut into /26 blocks. The first time a node needs an address, calico-ipam claims a free block and records its affinity (host:${this.nodeName}); every address this node hands out afterwards comes from it, so BGP can announce the whole /26 as one route. The tunnel device takes the first address.`,
      { pool: this.fabric.calicoIpam.pool, blockSize: this.fabric.calicoIpam.blockSize, blocks: this.blocks(), tunnelAddress: r.allocation.ip, handle: tunnelHandle(kind, this.nodeName) },
    );
  }

  private onNode(node: KubeObject): void {
    if (!this.alive()) return;
    const name = node.metadata.name ?? '';
    if (name === this.nodeName || !node.metadata.annotations?.[IPV4_ADDRESS]) return;
    const peer = this.fabric.daemons.get(name);
    const key = pairKey(this.nodeName, name);
    if (!peer || this.fabric.bgpSessions.has(key)) return;
    this.fabric.bgpSessions.add(key);
    this.record(
      `BGP session ${this.nodeName} ↔ ${name} Established (TCP 179, AS ${CALICO_AS_NUMBER})`,
      `BIRD on ${this.nodeName} and BIRD on ${name} open a TCP connection to port 179, exchange OPEN messages (both in AS ${CALICO_AS_NUMBER}, the default node-to-node mesh) and reach Established. From now on each sends the other UPDATE messages for the blocks it owns, with itself as the next hop.`,
      { local: `${this.nodeIP}:179`, remote: `${peer.nodeIP}:179`, state: 'Established', asNumber: CALICO_AS_NUMBER },
    );
    peer.learn(this);
    this.learn(peer);
  }

  /** A BGP UPDATE from `from`: its blocks become routes here. */
  override learn(from: FabricMember): void {
    if (!(from instanceof CalicoNode) || !this.alive()) return;
    const blocks = from.blocks();
    const known = this.net.peers.get(from.nodeName);
    if (known && (known.blocks ?? []).join(',') === blocks.join(',') && known.overlayIP === from.tunnelIP()) return;
    this.net.peers.set(from.nodeName, { name: from.nodeName, ip: from.nodeIP, blocks, ...(from.tunnelIP() ? { overlayIP: from.tunnelIP() } : {}) });
    if (blocks.length === 0) return;
    const routes = this.net.peerEntries(from.nodeName).routes.filter((r) => blocks.some((b) => r.startsWith(b)));
    this.record(
      `BIRD on ${this.nodeName} learns ${blocks.join(', ')} from ${from.nodeName}: ${routes.join('; ')}`,
      `${from.nodeName} announced its block${blocks.length > 1 ? 's' : ''} over BGP with next hop ${from.nodeIP}. BIRD installs the route in the kernel (proto bird), so packets for pods in ${blocks.join(', ')} go to ${from.nodeName}${this.fabric.backend === 'ipip' ? ' through tunl0' : this.fabric.backend === 'vxlan' ? ' (Felix programs it through vxlan.calico)' : ' directly'}.`,
      { peer: from.nodeName, nextHop: from.nodeIP, blocks, routes },
    );
  }

  /** After a CNI ADD: a newly claimed block is announced to every established peer. */
  private announceIfChanged(): void {
    const now = this.blocks().join(',');
    if (now === this.announced) return;
    this.announced = now;
    for (const [name, peer] of [...this.fabric.daemons].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (name !== this.nodeName && this.fabric.bgpSessions.has(pairKey(this.nodeName, name))) peer.learn(this);
    }
  }

  protected override stopped(): void {
    for (const key of [...this.fabric.bgpSessions]) if (key.split('|').includes(this.nodeName)) this.fabric.bgpSessions.delete(key);
  }
}

