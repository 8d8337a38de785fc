import type { KubeObject } from '../../api/meta.js';
import type { Process } from '../../sim/simulation.js';
import { Informer } from '../../controlplane/client/informer.js';
import { vtepMac, podMtu } from '../cni/index.js';
import { nthAddress, parseCidr } from '../cni/ipv4.js';
import { conflistFileFor } from './cni-pod-network.js';
import { NetworkDaemon } from './daemon.js';

/**
 * flannel with `--kube-subnet-mgr` (flannel-io/flannel pkg/subnet/kube): it does not allocate
 * subnets itself, it reads the node's spec.podCIDR that the node IPAM controller wrote, records
 * its VTEP in node annotations, writes /run/flannel/subnet.env for the CNI plugin, and programs a
 * route, an FDB entry and an ARP entry for every peer node it sees through its Node watch.
 */
type Obj = Record<string, any>;

/** The prefix of flannel's node annotations (pkg/subnet/kube/annotations.go). */
export const FLANNEL_ANNOTATION = 'flannel.alpha.coreos.com/';
/** The images of the kube-flannel-ds pod (init container, then flannel). */
export const FLANNEL_IMAGES = ['docker.io/flannel/flannel-cni-plugin:v1.6.0-flannel1', 'docker.io/flannel/flannel:v0.26.1'];

/** kube-flannel on one node. */
export class FlannelDaemon extends NetworkDaemon {
  private leasing = false;

  protected *run(): Process<void> {
    const { net } = this;
    net.installConflist(
      conflistFileFor('flannel', { name: this.nodeName, ip: this.nodeIP }),
      this.name,
      `The kube-flannel pod's init containers ran first: install-cni-plugin copied the flannel binary to /opt/cni/bin, and install-cni copied cni-conf.json from the kube-flannel-cfg ConfigMap to ${'/etc/cni/net.d/10-flannel.conflist'}.`,
    );
    this.record(
      `kube-flannel starts on ${this.nodeName}: --ip-masq --kube-subnet-mgr, backend ${this.fabric.backend}`,
      `The main container reads net-conf.json (Network ${this.cluster.config.podCIDR}, Backend ${this.fabric.backend}). With --kube-subnet-mgr flannel keeps no state of its own: the Node objects are its database. It lists and watches them to learn its own subnet (spec.podCIDR) and every peer's VTEP.`,
      { netConf: this.netConf() },
    );
    new Informer(this.sim, this.client, this.prng.fork('nodes'), {
      path: '/api/v1/nodes',
      why: `flannel's kube subnet manager lists and watches all Nodes: its own tells it the subnet to use (spec.podCIDR), the others carry the flannel.alpha.coreos.com annotations it turns into routes to their pods.`,
      stage: 'networking',
    }, {
      onAdd: (n) => this.onNode(n),
      onUpdate: (_o, n) => this.onNode(n),
      onDelete: (n) => this.onNodeGone(n),
    }).start();
  }

  private netConf(): Obj {
    return { Network: this.cluster.config.podCIDR, EnableNFTables: false, Backend: { Type: this.fabric.backend } };
  }

  private onNode(node: KubeObject): void {
    if (!this.alive()) return;
    if (node.metadata.name === this.nodeName) {
      const cidr = (node as Obj).spec?.podCIDR as string | undefined;
      if (cidr && !this.leasing) {
        this.leasing = true;
        this.sim.spawn(this.client.actor, this.acquireLease(cidr));
      }
      return;
    }
    this.learnPeer(node);
  }

  /** AcquireLease with the kube subnet manager: publish the VTEP, then configure the node. */
  private *acquireLease(cidr: string): Process<void> {
    const { net } = this;
    const vxlan = this.fabric.backend === 'vxlan';
    const annotations = {
      [`${FLANNEL_ANNOTATION}backend-data`]: vxlan ? JSON.stringify({ VNI: 1, VtepMAC: vtepMac(this.nodeName, 'flannel.1') }) : 'null',
      [`${FLANNEL_ANNOTATION}backend-type`]: this.fabric.backend,
      [`${FLANNEL_ANNOTATION}kube-subnet-manager`]: 'true',
      [`${FLANNEL_ANNOTATION}public-ip`]: this.nodeIP,
    };
    yield* this.client.patch(`/api/v1/nodes/${this.nodeName}/status`, { metadata: { annotations } }, {
      why: `flannel found spec.podCIDR=${cidr} on its Node and publishes how peers reach this node: its public IP ${this.nodeIP}${vxlan ? ` and the MAC of its VXLAN device flannel.1 (VNI 1)` : ''}. It writes them as annotations through the nodes/status subresource, the only write its ClusterRole allows.`,
      stage: 'networking',
    });
    if (!this.alive()) return;
    const mtu = podMtu('flannel', this.fabric.backend);
    const gateway = nthAddress(parseCidr(cidr), 1);
    const subnetEnv = `FLANNEL_NETWORK=${this.cluster.config.podCIDR}\nFLANNEL_SUBNET=${gateway}/${parseCidr(cidr).prefix}\nFLANNEL_MTU=${mtu}\nFLANNEL_IPMASQ=true\n`;
    this.node.host.disk.files.set('/run/flannel/subnet.env', subnetEnv);
    net.flannelSubnet = cidr;
    net.daemonStarted = true;
    const device = net.view().devices.find((d) => d.name === 'flannel.1');
    this.record(
      `flannel on ${this.nodeName} writes /run/flannel/subnet.env (FLANNEL_SUBNET=${gateway}/${parseCidr(cidr).prefix})${vxlan ? ' and creates flannel.1' : ''}`,
      `The flannel CNI plugin reads this file on every ADD to know the node's subnet and MTU; until it exists, ADD fails with "open /run/flannel/subnet.env: no such file or directory". ${vxlan ? `flannel also creates the VXLAN device flannel.1 (VNI 1, UDP port 8472, MTU ${mtu} = 1500 - 50 bytes of VXLAN overhead) with the network address of its subnet.` : 'With host-gw there is no tunnel device: peers are reached by plain routes via their node IPs, which needs the nodes on one layer-2 network.'}`,
      { file: '/run/flannel/subnet.env', text: subnetEnv, ...(device ? { device } : {}), routes: net.routes() },
    );
    yield* this.markNetworkAvailable('FlannelIsUp', 'Flannel is running on this node',
      `flannel has configured ${this.nodeName}'s network, so it clears the NetworkUnavailable condition (status False, reason FlannelIsUp); while it is True the node lifecycle controller keeps the node.kubernetes.io/network-unavailable taint on it.`);
  }

  private learnPeer(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    const a = node.metadata.annotations ?? {};
    const ip = a[`${FLANNEL_ANNOTATION}public-ip`];
    const cidr = (node as Obj).spec?.podCIDR as string | undefined;
    if (!ip || !cidr || !a[`${FLANNEL_ANNOTATION}backend-type`]) return;
    const known = this.net.peers.get(name);
    if (known && known.ip === ip && known.podCIDR === cidr) return;
    this.net.peers.set(name, { name, ip, podCIDR: cidr });
    // Until its own lease is set up flannel only collects peers; the subnet.env step shows their routes.
    if (!this.net.flannelSubnet) return;
    const vxlan = this.fabric.backend === 'vxlan';
    const entries = this.net.peerEntries(name);
    const mac = vtepMac(name, 'flannel.1');
    const routeLine = entries.routes.find((r) => r.startsWith(cidr));
    this.record(
      `flannel on ${this.nodeName} adds a route to ${name}'s pods: ${routeLine ?? cidr}`,
      vxlan
        ? `${name}'s annotations say its VTEP MAC is ${mac} at ${ip}. flannel programs three things so packets for ${cidr} cross in VXLAN: a route via flannel.1 to ${name}'s tunnel address, an ARP entry mapping that address to ${mac}, and an FDB entry telling flannel.1 to send frames for ${mac} to ${ip} on UDP 8472.`
        : `host-gw: flannel adds a plain route "${cidr} via ${ip}": packets for ${name}'s pods leave through eth0 unencapsulated, addressed at layer 2 to ${name} itself.`,
      { peer: name, publicIP: ip, subnet: cidr, routes: entries.routes, fdb: entries.fdb, neighbors: entries.neighbors },
    );
  }

  private onNodeGone(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    const known = this.net.peers.get(name);
    if (!this.alive() || !this.net.peers.delete(name)) return;
    this.record(`flannel on ${this.nodeName} removes the route to ${name}'s subnet`, `The Node ${name} was deleted, so flannel forgets its subnet: the route, ARP and FDB entries for it go away.`, { subnet: known?.podCIDR });
  }
}
