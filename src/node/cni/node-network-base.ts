/**
 * Types and helpers for the node network models (`node-network.ts`, `encapsulation.ts`): the
 * node description, devices, route formatting in the order `ip route` prints, and the
 * overlay addresses the plugins' IPAM gives each node.
 */
import { calicoAllocate, calicoBlocksFor, newCalicoIpam, tunnelHandle } from './ipam-calico.js';
import { newWeaveIpam, weaveExpose } from './ipam-weave.js';
import { enclosingCidr, formatCidr, nthAddress, parseCidr } from './ipv4.js';
import { deterministicMac } from './names.js';
import { type CniBackend, type CniNode, type CniPluginName } from './types.js';

export interface NodePod {
  readonly ip: string;
  /** Host-side interface name (cali..., veth...). */
  readonly hostIfName?: string;
}

export interface NetworkNode extends CniNode {
  /** Calico: blocks with affinity to this node; derived from calico-ipam when absent. */
  readonly blocks?: readonly string[];
  /** Calico: tunl0 / vxlan.calico address; Weave: the weave bridge address. Derived when absent. */
  readonly overlayIP?: string;
  readonly pods?: readonly NodePod[];
  /** The uplink: eth0, its subnet (default: the node IP's /24) and default gateway (.1). */
  readonly uplink?: { readonly dev?: string; readonly prefix?: number; readonly gateway?: string };
}

export interface NetDevice {
  readonly name: string;
  readonly kind: 'ethernet' | 'bridge' | 'veth' | 'vxlan' | 'ipip' | 'openvswitch';
  readonly mtu: number;
  readonly mac?: string;
  readonly addresses: readonly string[];
  /** The `ip -d link` detail line for tunnels, e.g. "vxlan id 1 local ... dstport 8472 nolearning". */
  readonly details?: string;
}

export interface NodeNetwork {
  readonly node: string;
  readonly devices: readonly NetDevice[];
  /** `ip route` lines, in the order the kernel prints them. */
  readonly routes: readonly string[];
  /**
   * `bridge fdb show dev <vxlan device>` (which leaves out "dev ..." when filtering by device):
   * the node address to send each peer VTEP's frames to.
   */
  readonly fdb: readonly string[];
  /** `ip neigh show dev <vxlan device>`: the peer VTEP MAC for each peer's tunnel address. */
  readonly neighbors: readonly string[];
}

/** The VXLAN (or other tunnel) device a backend uses, if any. */
export function tunnelDevice(plugin: CniPluginName, backend: CniBackend): string | undefined {
  if (plugin === 'flannel' && backend === 'vxlan') return 'flannel.1';
  if (plugin === 'calico' && backend === 'ipip') return 'tunl0';
  if (plugin === 'calico' && backend === 'vxlan') return 'vxlan.calico';
  if (plugin === 'weave' && backend === 'fastdp') return 'vxlan-6784';
  return undefined;
}

/** The MAC a node's VXLAN device announces (flannel's VtepMAC annotation, Felix's VXLAN MAC). */
export function vtepMac(node: string, device: string): string {
  return deterministicMac(`${node}/${device}`);
}

/** Fills in Calico blocks and tunnel addresses, or Weave bridge addresses, the IPAM would give. */
export function withOverlayAddresses(plugin: CniPluginName, backend: CniBackend, nodes: readonly NetworkNode[]): NetworkNode[] {
  if (plugin === 'calico') {
    let ipam = newCalicoIpam();
    return nodes.map((n) => {
      if (n.blocks && n.overlayIP) return n;
      const kind = backend === 'vxlan' ? 'vxlan' : 'ipip';
      const r = calicoAllocate(ipam, n.name, tunnelHandle(kind, n.name));
      if (!r.ok) throw new Error(r.error.msg);
      ipam = r.state;
      return { ...n, blocks: n.blocks ?? calicoBlocksFor(ipam, n.name), overlayIP: n.overlayIP ?? r.allocation.ip };
    });
  }
  if (plugin === 'weave') {
    let ipam = newWeaveIpam();
    return nodes.map((n) => {
      const r = weaveExpose(ipam, n.name);
      if (!r.ok) throw new Error(r.error.msg);
      ipam = r.state;
      return n.overlayIP ? n : { ...n, overlayIP: r.allocation.ip };
    });
  }
  return [...nodes];
}

export interface Route {
  readonly dst: string;
  readonly text: string;
}

export const route = (dst: string, rest: string, prefix = ''): Route => ({ dst, text: `${prefix}${dst === '0.0.0.0/0' ? 'default' : dst} ${rest}`.trim() });

export function sortRoutes(routes: readonly Route[]): string[] {
  const keyed = routes.map((r) => ({ r, c: parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`) }));
  return keyed.sort((a, b) => a.c.base - b.c.base || a.c.prefix - b.c.prefix).map(({ r }) => r.text);
}

export function uplinkRoutes(n: NetworkNode): Route[] {
  const subnet = enclosingCidr(n.ip, n.uplink?.prefix ?? 24);
  const dev = n.uplink?.dev ?? 'eth0';
  const gateway = n.uplink?.gateway ?? nthAddress(subnet, 1);
  return [route('0.0.0.0/0', `via ${gateway} dev ${dev}`), route(formatCidr(subnet), `dev ${dev} proto kernel scope link src ${n.ip}`)];
}

export function uplinkDevice(n: NetworkNode): NetDevice {
  const prefix = n.uplink?.prefix ?? 24;
  return { name: n.uplink?.dev ?? 'eth0', kind: 'ethernet', mtu: 1500, mac: deterministicMac(`${n.name}/eth0`), addresses: [`${n.ip}/${prefix}`] };
}

export function podVeths(n: NetworkNode, mtu: number, master?: string): NetDevice[] {
  return (n.pods ?? []).map((p, i) => ({
    name: p.hostIfName ?? `veth${i}`, kind: 'veth' as const, mtu, addresses: [], ...(master ? { details: `master ${master}` } : {}),
  }));
}

