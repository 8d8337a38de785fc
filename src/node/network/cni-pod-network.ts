import type { Simulation } from '../../sim/simulation.js';
import type { ClusterConfig } from '../../cluster/config.js';
import type { NodeHost } from '../host.js';
import type { PodNetwork, PodRef } from '../kubelet/pod-network.js';
import type { Sandbox } from '../kubelet/container-runtime.js';
import {
  cniAdd, conflistFor, cniDel, newHostLocal,
  type CniBackend, type CniNode, type CniPluginName, type ConflistFile, type HostLocalState, type IpamState,
  type NetworkNode, type NodeNetwork,
} from '../cni/index.js';
import { nodeView, peerEntries, selfNode } from './node-view.js';
import { cniBackendOf, type NetworkFabric } from './fabric.js';
import { recordCniAdd, recordCniDel, recordCniError, recordConflist } from './cni-steps.js';

/** What a node's pod network is built from. */
export interface PodNetworkContext {
  readonly sim: Simulation;
  readonly host: NodeHost;
  readonly config: ClusterConfig;
}

/** One pod sandbox plugged into the node's network by a CNI ADD. */
export interface PodAttachment {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly containerId: string;
  readonly netns: string;
  readonly ip: string;
  /** The host end of the pod's veth (vethXXXX, caliXXXX, vethweplXXXX). */
  readonly hostIfName: string;
}

/**
 * The node's CNI side as the container runtime sees it: NetworkReady once a conflist exists in
 * /etc/cni/net.d, a CNI ADD per new sandbox and a DEL per removed one, and the devices and routes
 * this leaves on the node. The plugin's daemon (flannel, calico-node, weave) writes the conflist
 * and fills in what it learns about peer nodes; the packet walk reads `view()`.
 */
export class CniPodNetwork implements PodNetwork {
  ready = false;
  readonly plugin: CniPluginName;
  readonly backend: CniBackend;
  /** spec.podCIDR as the kubelet passed it on (UpdateRuntimeConfig). */
  podCIDR: string | undefined;
  conflist: ConflistFile | undefined;
  /** flannel: FLANNEL_SUBNET once /run/flannel/subnet.env exists. */
  flannelSubnet: string | undefined;
  /** Shared plugin state (Calico and Weave IPAM), attached by the daemon. */
  fabric: NetworkFabric | undefined;
  /** The plugin's daemon on this node, while it runs. */
  daemon: { readonly running: boolean; stop(): void } | undefined;
  /** Set by the daemon once it has configured the node (tunnel device, bridge, routes). */
  daemonStarted = false;
  /** Called after a CNI ADD (Calico announces a newly claimed block over BGP). */
  afterAdd: (() => void) | undefined;
  readonly pods = new Map<string, PodAttachment>();
  /** What this node's daemon has learned about each peer node (its subnet, blocks, tunnel address). */
  readonly peers = new Map<string, NetworkNode>();
  private hostLocal: HostLocalState | undefined;
  private readonly devices = new Set<string>();
  private readonly listeners: (() => void)[] = [];

  constructor(readonly ctx: PodNetworkContext) {
    this.plugin = ctx.config.networkPlugin;
    this.backend = cniBackendOf(ctx.config);
  }

  get nodeName(): string {
    return this.ctx.host.name;
  }

  get nodeIP(): string {
    return this.ctx.host.address;
  }

  /** The conflist lands in /etc/cni/net.d: containerd reports NetworkReady=true from now on. */
  installConflist(file: ConflistFile, writer: string, how: string): void {
    this.ctx.host.disk.files.set(file.path, file.text);
    this.conflist = file;
    recordConflist(this, file, writer, how);
    if (this.ready) return;
    this.ready = true;
    for (const listener of this.listeners) listener();
  }

  setPodCIDR(cidr: string): void {
    this.podCIDR = cidr;
    if (this.plugin !== 'bridge' || this.conflist) return;
    // containerd's CRI plugin renders its cni conf_template with the pod CIDR the kubelet passed.
    this.ctx.sim.schedule(this.ctx.host.machine, 0, () => {
      if (this.conflist) return;
      const file = conflistForNode(this, cidr);
      this.installConflist(file, `containerd/${this.nodeName}`, `The kubelet passed spec.podCIDR=${cidr} to containerd (UpdateRuntimeConfig). With the bridge plugin there is no network daemon: containerd renders its CNI config template with that range (cni conf_template), so pods get addresses from host-local IPAM over ${cidr} and cni0 is their gateway.`);
    });
  }

  setUp(pod: PodRef, sandbox: Sandbox): { ip: string } | { error: string } {
    if (!this.ready || !this.conflist) return { error: 'cni plugin not initialized' };
    const ipam = this.ipamState();
    if ('error' in ipam) {
      recordCniError(this, pod, sandbox, ipam.error);
      return { error: `failed to setup network for sandbox "${sandbox.id.slice(0, 12)}": plugin type="${this.plugin}" failed (add): ${ipam.error}` };
    }
    const outcome = cniAdd({
      plugin: this.plugin, backend: this.backend, node: this.cniNode(), containerId: sandbox.id, netns: sandbox.netns,
      podNamespace: pod.namespace, podName: pod.name, podUid: pod.uid, ipam, hostDevices: [...this.devices], clusterCIDR: this.ctx.config.podCIDR,
    });
    this.storeIpam(outcome.ipam);
    if (!outcome.ok || !outcome.container.address) {
      const msg = outcome.error?.msg ?? 'no address';
      recordCniError(this, pod, sandbox, msg, outcome);
      return { error: `failed to setup network for sandbox "${sandbox.id.slice(0, 12)}": plugin type="${this.plugin}" failed (add): ${msg}` };
    }
    for (const d of outcome.hostDevicesCreated) this.devices.add(d.name);
    const ip = outcome.container.address.split('/')[0];
    const veth = outcome.hostDevicesCreated.find((d) => d.kind === 'veth')?.name ?? 'veth0';
    this.pods.set(pod.uid, { namespace: pod.namespace, name: pod.name, uid: pod.uid, containerId: sandbox.id, netns: sandbox.netns, ip, hostIfName: veth });
    recordCniAdd(this, pod, outcome);
    this.afterAdd?.();
    return { ip };
  }

  tearDown(pod: PodRef, sandbox: Sandbox): void {
    const attached = this.pods.get(pod.uid);
    if (!attached) return;
    const ipam = this.ipamState();
    if ('error' in ipam) return;
    const outcome = cniDel({
      plugin: this.plugin, backend: this.backend, node: this.cniNode(), containerId: sandbox.id, netns: sandbox.netns,
      podNamespace: pod.namespace, podName: pod.name, podUid: pod.uid, ipam, clusterCIDR: this.ctx.config.podCIDR,
    });
    this.storeIpam(outcome.ipam);
    this.pods.delete(pod.uid);
    recordCniDel(this, pod, outcome);
  }

  onReadyChange(listener: () => void): void {
    this.listeners.push(listener);
    if (this.ready) listener();
  }

  /** The pod behind an address on this node, if a sandbox holds it. */
  podByIP(ip: string): PodAttachment | undefined {
    return [...this.pods.values()].find((p) => p.ip === ip);
  }

  /** This node as the node-network model describes it. */
  self(): NetworkNode {
    return selfNode(this);
  }

  /** Devices, `ip route`, FDB and neighbour entries on this node now, as far as its daemon has configured them. */
  view(): NodeNetwork {
    return nodeView(this);
  }

  /** The route, FDB and neighbour lines this node holds for one peer. */
  peerEntries(peer: string): Pick<NodeNetwork, 'routes' | 'fdb' | 'neighbors'> {
    return peerEntries(this, peer);
  }

  /** `ip route` on this node. */
  routes(): readonly string[] {
    return this.view().routes;
  }

  private cniNode(): CniNode {
    return { name: this.nodeName, ip: this.nodeIP, podCIDR: this.plugin === 'flannel' ? this.flannelSubnet : this.podCIDR };
  }

  private ipamState(): IpamState | { error: string } {
    switch (this.plugin) {
      case 'flannel':
        if (!this.flannelSubnet) return { error: 'loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory' };
        this.hostLocal ??= newHostLocal('cbr0', this.flannelSubnet);
        return { kind: 'host-local', state: this.hostLocal };
      case 'bridge':
        if (!this.podCIDR) return { error: 'no pod CIDR known yet' };
        this.hostLocal ??= newHostLocal(this.conflist?.json.name ?? 'simnet', this.podCIDR);
        return { kind: 'host-local', state: this.hostLocal };
      case 'calico':
        return this.fabric ? { kind: 'calico', state: this.fabric.calicoIpam } : { error: 'error getting ClusterInformation: connection is unauthorized' };
      case 'weave':
        return this.fabric ? { kind: 'weave', state: this.fabric.weaveIpam } : { error: 'unable to allocate IP address: Post "http://127.0.0.1:6784/ip/": connection refused' };
    }
  }

  private storeIpam(ipam: IpamState): void {
    if (ipam.kind === 'host-local') this.hostLocal = ipam.state;
    else if (ipam.kind === 'calico' && this.fabric) this.fabric.calicoIpam = ipam.state;
    else if (ipam.kind === 'weave' && this.fabric) this.fabric.weaveIpam = ipam.state;
  }
}

function conflistForNode(net: CniPodNetwork, podCIDR: string): ConflistFile {
  return conflistFileFor(net.plugin, { name: net.nodeName, ip: net.nodeIP, podCIDR });
}

/** The conflist the plugin's installer writes on this node. */
export function conflistFileFor(plugin: CniPluginName, node: CniNode): ConflistFile {
  return conflistFor(plugin, { node, calicoMtu: 0 });
}
