/**
 * The CNI plugins kube-learn models and their data-plane backends. Each pair decides how a
 * packet between pods on different nodes travels: encapsulated (VXLAN, IP-in-IP, Weave's
 * sleeve) or routed as is (flannel host-gw, Calico BGP).
 */

export type CniPluginName = 'flannel' | 'calico' | 'weave' | 'bridge';

export type FlannelBackend = 'vxlan' | 'host-gw';
export type CalicoBackend = 'ipip' | 'vxlan' | 'bgp';
export type WeaveBackend = 'fastdp' | 'sleeve';
export type BridgeBackend = 'none';
export type CniBackend = FlannelBackend | CalicoBackend | WeaveBackend | BridgeBackend;

/** Valid (plugin, backend) pairs with the default first. */
export const BACKENDS: Readonly<Record<CniPluginName, readonly CniBackend[]>> = {
  flannel: ['vxlan', 'host-gw'],
  calico: ['ipip', 'vxlan', 'bgp'],
  weave: ['fastdp', 'sleeve'],
  bridge: ['none'],
};

export function assertBackend(plugin: CniPluginName, backend: CniBackend): void {
  if (!BACKENDS[plugin].includes(backend)) {
    throw new RangeError(`${plugin} has no backend "${backend}" (expected one of ${BACKENDS[plugin].join(', ')})`);
  }
}

/** A node as the network plugins see it. */
export interface CniNode {
  readonly name: string;
  /** The node's InternalIP, on its uplink (eth0). */
  readonly ip: string;
  /** `spec.podCIDR` (flannel, bridge); Calico and Weave allocate their own ranges. */
  readonly podCIDR?: string;
}

/** The network plugins' install directories, as containerd's CRI defaults them. */
export const CNI_CONF_DIR = '/etc/cni/net.d';
export const CNI_BIN_DIR = '/opt/cni/bin';
