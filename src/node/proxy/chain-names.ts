/**
 * Chain names exactly as kube-proxy computes them (`pkg/proxy/iptables/proxier.go`
 * `portProtoHash`, `servicePortEndpointChainName`; `pkg/proxy/nftables/proxier.go`
 * `hashAndTruncate`). Names are hashes so they fit iptables' 28-character limit; learners can
 * check a name on a real node against the one shown here.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

const BASE32_STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 with the standard alphabet and '=' padding, as Go's `base32.StdEncoding`. */
export function base32Std(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_STD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_STD[(buffer << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/**
 * How many chain-name hashes are remembered. Every node derives the same names from the same
 * Service ports and endpoints, and a Service port's chains are named again each time one of its
 * endpoints changes; the oldest names are forgotten first, so memory stays bounded.
 */
export const CHAIN_NAME_MEMO_SIZE = 1 << 15;
const hashes = new Map<string, string>();

function hash16(input: string): string {
  let hash = hashes.get(input);
  if (hash === undefined) {
    hash = base32Std(sha256(utf8ToBytes(input))).slice(0, 16);
    if (hashes.size >= CHAIN_NAME_MEMO_SIZE) hashes.delete(hashes.keys().next().value!);
    hashes.set(input, hash);
  }
  return hash;
}

/** How many chain-name hashes are remembered now (at most CHAIN_NAME_MEMO_SIZE). */
export function chainNameMemoSize(): number {
  return hashes.size;
}

/** Prefixes of the per-service chains in the iptables proxier. */
export const CHAIN_PREFIX = {
  cluster: 'KUBE-SVC-',
  local: 'KUBE-SVL-',
  firewall: 'KUBE-FW-',
  external: 'KUBE-EXT-',
  endpoint: 'KUBE-SEP-',
} as const;

/**
 * A per-service chain: prefix + base32(sha256(servicePortName + protocol))[:16].
 * `protocol` is lower case ("tcp"), as the proxier passes it.
 */
export function servicePortChainName(prefix: string, servicePortName: string, protocol: string): string {
  return prefix + hash16(servicePortName + protocol.toLowerCase());
}

/** A KUBE-SEP chain: the hash also covers the endpoint's "ip:port". */
export function servicePortEndpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return CHAIN_PREFIX.endpoint + hash16(servicePortName + protocol.toLowerCase() + endpoint);
}

/** nftables limits names to 256 bytes; kube-proxy keeps 16 for the prefix. */
const NFT_CHAIN_NAME_BASE_MAX = 256 - 16;

/** nftables `hashAndTruncate`: 8 base32 characters of the name's hash, a dash, the name. */
export function nftHashAndTruncate(name: string): string {
  const full = `${base32Std(sha256(utf8ToBytes(name))).slice(0, 8)}-${name}`;
  return full.length > NFT_CHAIN_NAME_BASE_MAX ? `${full.slice(0, NFT_CHAIN_NAME_BASE_MAX - 3)}...` : full;
}

/** nftables `servicePortChainNameBase`: "HASH-ns/svc/proto/portName". */
export function nftServiceChainBase(namespace: string, name: string, protocol: string, portName: string): string {
  return nftHashAndTruncate(`${namespace}/${name}/${protocol.toLowerCase()}/${portName}`);
}

/** nftables `servicePortEndpointChainNameBase`: "HASH-ns/svc/proto/portName__ip/port". */
export function nftEndpointChainBase(
  namespace: string,
  name: string,
  protocol: string,
  portName: string,
  ip: string,
  port: number,
): string {
  const safeIP = ip.replaceAll(':', '.');
  return nftHashAndTruncate(`${namespace}/${name}/${protocol.toLowerCase()}/${portName}__${safeIP}/${port}`);
}
