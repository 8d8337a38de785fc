/**
 * Names and identifiers the runtime and plugins make up for a pod: its network namespace
 * path, the host-side veth name, MAC addresses. Real plugins use random bytes for some of
 * these; the simulator derives them from the container ID so replays match.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const digest = (seed: string): Uint8Array => sha256(utf8ToBytes(seed));

/** A locally administered unicast MAC derived from `seed`. */
export function deterministicMac(seed: string): string {
  const cached = macs.get(seed);
  if (cached) return cached;
  const bytes = digest(`mac/${seed}`).slice(0, 6);
  bytes[0] = (bytes[0] & 0xfe) | 0x02;
  const mac = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
  if (macs.size >= 100_000) macs.clear();
  macs.set(seed, mac);
  return mac;
}

/** MACs by seed: every node's route table names each peer's VTEP MAC again. */
const macs = new Map<string, string>();

/** A version-4-shaped UUID derived from `seed`. */
export function deterministicUuid(seed: string): string {
  const b = digest(`uuid/${seed}`).slice(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = bytesToHex(b);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** containerd names a pod's network namespace `cni-<uuid>` under /var/run/netns. */
export function sandboxNetnsPath(containerId: string): string {
  return `/var/run/netns/cni-${deterministicUuid(containerId)}`;
}

/** The bridge plugin's `ip.RandomVethName()`: "veth" and 4 random bytes in hex. */
export function bridgeVethName(containerId: string, ifName: string): string {
  return `veth${bytesToHex(digest(`veth/${containerId}/${ifName}`).slice(0, 4))}`;
}

/**
 * Calico's `VethNameForWorkload`: "cali" and the first 11 hex digits of
 * sha1("<namespace>.<pod>"), so the name is the same every time the pod is recreated.
 */
export function calicoVethName(namespace: string, podName: string): string {
  return `cali${bytesToHex(sha1(utf8ToBytes(`${namespace}.${podName}`))).slice(0, 11)}`;
}

/** weave-net's host-side veth: "vethwepl" and the start of the container ID (15 characters). */
export function weaveVethName(containerId: string): string {
  return `vethwepl${containerId.slice(0, 7)}`;
}

/** The MAC Calico gives every host-side cali veth, so pods can ARP for 169.254.1.1. */
export const CALICO_HOST_VETH_MAC = 'ee:ee:ee:ee:ee:ee';
/** The link-local gateway Calico puts in every pod's routes. */
export const CALICO_POD_GATEWAY = '169.254.1.1';
