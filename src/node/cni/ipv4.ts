/**
 * IPv4 address arithmetic over ipaddr.js, as 32-bit unsigned numbers: enough for the IPAM and
 * routing models (pod CIDRs, Calico blocks, Weave ranges). IPv6 is out of scope here.
 */
import ipaddr from 'ipaddr.js';

export interface Cidr {
  /** Network address as a number. */
  readonly base: number;
  readonly prefix: number;
}

export function ipToInt(ip: string): number {
  return ipaddr.IPv4.parse(ip).octets.reduce((n, o) => n * 256 + o, 0);
}

export function intToIp(n: number): string {
  return ipaddr.fromByteArray([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();
}

/** Parsed CIDRs by text: route tables are re-sorted often and name the same few prefixes. */
const parsedCidrs = new Map<string, Cidr>();

export function parseCidr(text: string): Cidr {
  const cached = parsedCidrs.get(text);
  if (cached) return cached;
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
  const size = 2 ** (32 - prefix);
  const value = addr.octets.reduce((n, o) => n * 256 + o, 0);
  const cidr = { base: value - (value % size), prefix };
  if (parsedCidrs.size >= 100_000) parsedCidrs.clear();
  parsedCidrs.set(text, cidr);
  return cidr;
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function formatCidr(c: Cidr): string {
  return `${intToIp(c.base)}/${c.prefix}`;
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n >= c.base && n < c.base + cidrSize(c);
}

/** The n-th address of a CIDR (0 is the network address). */
export function nthAddress(c: Cidr, n: number): string {
  return intToIp(c.base + n);
}

/** The /24 (or other prefix) around an address: a default for a node's uplink subnet. */
export function enclosingCidr(ip: string, prefix: number): Cidr {
  return parseCidr(`${ip}/${prefix}`);
}
