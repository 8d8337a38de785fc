/**
 * How the packet walk evaluates one iptables match or target against a packet, for the small
 * vocabulary kube-proxy uses (comment, tcp/udp/sctp, addrtype, mark, conntrack, statistic).
 */
import ipaddr from 'ipaddr.js';

/** The packet fields matches read. */
export interface MatchPacket {
  readonly src: string;
  readonly dst: string;
  readonly dport: number;
  readonly proto: string;
  readonly mark: number;
  readonly dnatted: boolean;
}

export interface MatchEnv {
  /** addrtype LOCAL: an address of this node. */
  readonly isLocal: (ip: string) => boolean;
  /** Uniform integer in [0, n); see `Pick` in walk.ts. */
  readonly pick: (n: number) => number;
  /** Told when a statistic rule with probability 1/k was not chosen. */
  readonly onNotChosen: (k: number) => void;
}

export function inCidr(ip: string, cidr: string): boolean {
  try {
    const addr = ipaddr.parse(ip);
    const range = cidr.includes('/') ? ipaddr.parseCIDR(cidr) : ([ipaddr.parse(cidr), addr.kind() === 'ipv4' ? 32 : 128] as const);
    return addr.kind() === range[0].kind() && addr.match(range[0], range[1]);
  } catch {
    return false;
  }
}

/** A MARK target's effect on the packet mark. */
export function applyMark(mark: number, opts: readonly string[]): number {
  const [flag, arg] = opts;
  const [v, m] = arg.split('/').map((x) => Number.parseInt(x, 16));
  if (flag === '--or-mark') return (mark | v) >>> 0;
  if (flag === '--xor-mark') return (mark ^ v) >>> 0;
  return ((mark & ~(m ?? 0xffffffff)) ^ v) >>> 0; // --set-xmark value/mask
}

/** True when the match accepts the packet. Unknown matches never do. */
export function matchOne(name: string, opts: readonly string[], p: MatchPacket, env: MatchEnv): boolean {
  const neg = opts.includes('!');
  const value = (flag: string): string | undefined => opts[opts.indexOf(flag) + 1];
  switch (name) {
    case 'comment': return true;
    case 'tcp': case 'udp': case 'sctp': return opts.includes('--dport') ? Number(value('--dport')) === p.dport : true;
    case 'addrtype':
      if (opts.includes('--dst-type')) return env.isLocal(p.dst);
      return env.isLocal(p.src);
    case 'mark': {
      const [v, m] = (value('--mark') ?? '0').split('/').map((x) => Number.parseInt(x, 16));
      return ((p.mark & (m ?? 0xffffffff)) === v) !== neg;
    }
    case 'conntrack': {
      const states = new Set(['NEW', ...(p.dnatted ? ['DNAT'] : [])]);
      const listed = (value('--ctstate') ?? '').split(',');
      return listed.some((s) => states.has(s)) !== neg;
    }
    case 'statistic': {
      const probability = Number(value('--probability'));
      const k = Math.round(1 / probability);
      const chosen = env.pick(k) === 0;
      if (!chosen) env.onNotChosen(k);
      return chosen;
    }
    default: return false;
  }
}
