import { cidrContains, parseCidr, type Cidr } from '../node/cni/ipv4.js';

/**
 * The kernel's routing decision over a node's `ip route` lines: the most specific route that
 * contains the destination wins (longest prefix match), and its `via`/`dev` say where the packet
 * goes next.
 */
export interface RouteEntry {
  readonly text: string;
  readonly cidr: Cidr;
  readonly via?: string;
  readonly dev?: string;
  readonly blackhole: boolean;
}

/** One `ip route` line as its destination, gateway and device. */
export function parseRoute(text: string): RouteEntry {
  const words = text.split(/\s+/);
  const blackhole = words[0] === 'blackhole';
  const dst = blackhole ? words[1] : words[0];
  const cidr = parseCidr(dst === 'default' ? '0.0.0.0/0' : dst.includes('/') ? dst : `${dst}/32`);
  const after = (key: string): string | undefined => {
    const i = words.indexOf(key);
    return i >= 0 ? words[i + 1] : undefined;
  };
  return { text, cidr, via: after('via'), dev: after('dev'), blackhole };
}

/** The route the kernel picks for `ip`, if any. */
export function lookupRoute(routes: readonly string[], ip: string): RouteEntry | undefined {
  let best: RouteEntry | undefined;
  for (const line of routes) {
    const route = parseRoute(line);
    if (!cidrContains(route.cidr, ip)) continue;
    if (!best || route.cidr.prefix > best.cidr.prefix) best = route;
  }
  return best;
}

/** True for an IPv4 address literal. */
export function isIPv4(text: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(text) && text.split('.').every((o) => Number(o) < 256);
}
