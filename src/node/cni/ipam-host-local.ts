/**
 * host-local IPAM (containernetworking/plugins `plugins/ipam/host-local`): hands out addresses
 * from one node's podCIDR, keeping one file per address under /var/lib/cni/networks/<network>.
 * It skips the network address, the gateway (.1) and the broadcast address, and continues
 * after the last address it reserved (last_reserved_ip.0) rather than reusing the lowest free
 * one, so a freed address is not handed out again at once.
 */
import { cidrSize, intToIp, ipToInt, parseCidr } from './ipv4.js';
import type { AllocateResult, CniError } from './ipam-types.js';

export interface HostLocalOwner {
  readonly containerId: string;
  readonly ifName: string;
}

export interface HostLocalState {
  /** The network name (conflist `name`): the state directory's name. */
  readonly network: string;
  readonly subnet: string;
  readonly rangeStart: string;
  readonly rangeEnd: string;
  readonly gateway: string;
  /** Reserved address to owner, as the files in the state directory record it. */
  readonly reserved: ReadonlyMap<string, HostLocalOwner>;
  readonly lastReserved?: string;
}

/** A fresh range with host-local's defaults: start .1, end broadcast-1, gateway .1. */
export function newHostLocal(network: string, subnet: string): HostLocalState {
  const cidr = parseCidr(subnet);
  const size = cidrSize(cidr);
  return {
    network,
    subnet,
    rangeStart: intToIp(cidr.base + 1),
    rangeEnd: intToIp(cidr.base + size - 2),
    gateway: intToIp(cidr.base + 1),
    reserved: new Map(),
  };
}

const internal = (msg: string): CniError => ({ code: 999, msg });

/** Reserves the next free address for (containerId, ifName). */
export function hostLocalAllocate(state: HostLocalState, owner: HostLocalOwner): AllocateResult<HostLocalState> {
  for (const [ip, o] of state.reserved) {
    if (o.containerId === owner.containerId && o.ifName === owner.ifName) {
      return { ok: false, state, error: internal(`${ip} has been allocated to ${owner.containerId}, duplicate allocation is not allowed`) };
    }
  }
  const start = ipToInt(state.rangeStart);
  const end = ipToInt(state.rangeEnd);
  const count = end - start + 1;
  const last = state.lastReserved === undefined ? undefined : ipToInt(state.lastReserved);
  const first = last !== undefined && last >= start && last <= end ? last + 1 : start;
  const gateway = ipToInt(state.gateway);
  for (let i = 0; i < count; i++) {
    const n = start + ((first - start + i) % count);
    const ip = intToIp(n);
    if (n === gateway || state.reserved.has(ip)) continue;
    const reserved = new Map(state.reserved).set(ip, owner);
    const prefix = parseCidr(state.subnet).prefix;
    return { ok: true, state: { ...state, reserved, lastReserved: ip }, allocation: { ip, prefixLength: prefix, gateway: state.gateway } };
  }
  return {
    ok: false,
    state,
    error: internal(`failed to allocate for range 0: no IP addresses available in range set: ${state.rangeStart}-${state.rangeEnd}`),
  };
}

/** Frees whatever (containerId, ifName) holds; releasing twice is fine, as DEL must be idempotent. */
export function hostLocalRelease(state: HostLocalState, owner: HostLocalOwner): { state: HostLocalState; released: string[] } {
  const reserved = new Map(state.reserved);
  const released: string[] = [];
  for (const [ip, o] of state.reserved) {
    if (o.containerId === owner.containerId && o.ifName === owner.ifName) {
      reserved.delete(ip);
      released.push(ip);
    }
  }
  return { state: { ...state, reserved }, released };
}

/** The state directory as `ls /var/lib/cni/networks/<network>` and `cat` would show it. */
export function hostLocalFiles(state: HostLocalState): { path: string; content: string }[] {
  const dir = `/var/lib/cni/networks/${state.network}`;
  const files = [...state.reserved]
    .sort(([a], [b]) => ipToInt(a) - ipToInt(b))
    .map(([ip, o]) => ({ path: `${dir}/${ip}`, content: `${o.containerId}\r\n${o.ifName}` }));
  if (state.lastReserved) files.push({ path: `${dir}/last_reserved_ip.0`, content: state.lastReserved });
  files.push({ path: `${dir}/lock`, content: '' });
  return files;
}
