/**
 * A packet's first trip through the rules `renderIptables` produced, the way netfilter takes
 * it: nat PREROUTING (or OUTPUT for the node's own traffic), the routing decision, filter
 * INPUT/FORWARD/OUTPUT, nat POSTROUTING. Every matched rule becomes a hop, so a learner sees
 * KUBE-SERVICES pick the Service, KUBE-SVC roll the dice, KUBE-SEP DNAT, and KUBE-POSTROUTING
 * decide on SNAT. Only the first packet of a connection is walked: later ones follow conntrack.
 */
import { renderIptables, type IptablesChainModel } from './iptables.js';
import type { IptablesTable } from './iptables-proxier.js';
import type { ParsedRule } from './iptables-save.js';
import { applyMark, inCidr, matchOne, type MatchPacket } from './walk-match.js';
import type { ProxierContext, Protocol, ServicePortModel } from './types.js';

export interface PacketSpec {
  readonly srcIP: string;
  readonly dstIP: string;
  readonly dstPort: number;
  readonly protocol: Protocol;
}

export type HopAction =
  | 'hook' | 'jump' | 'skip' | 'return' | 'MARK' | 'DNAT' | 'MASQUERADE' | 'ACCEPT' | 'REJECT' | 'DROP' | 'policy';

export interface WalkHop {
  readonly table: IptablesTable;
  readonly chain: string;
  /** The rule as iptables-save prints it; absent for hook entries and implicit returns. */
  readonly rule?: string;
  readonly action: HopAction;
  /** A sentence for the learner: what happened and why. */
  readonly detail: string;
}

export type Verdict = 'ACCEPT' | 'REJECT' | 'DROP';

export interface WalkResult {
  readonly hops: readonly WalkHop[];
  readonly verdict: Verdict;
  /** 'forward' (routed through the node), 'input' (for the node) or 'output' (from the node). */
  readonly path: 'forward' | 'input' | 'output';
  /** The packet as it leaves the last hook. */
  readonly packet: PacketSpec;
  readonly dnat?: { readonly ip: string; readonly port: number };
  readonly masqueraded: boolean;
}

/**
 * `pick(n)` must return an integer in [0, n), uniformly (a seeded draw such as
 * `prng.intInclusive(0, n - 1)`). A statistic rule with probability 1/k matches when
 * `pick(k)` returns 0, so rule i of n is taken with probability 1/(n-i), as in the kernel.
 */
export type Pick = (n: number) => number;

interface PacketState extends MatchPacket {
  src: string;
  dst: string;
  dport: number;
  readonly proto: string;
  mark: number;
  dnatted: boolean;
  masqueraded: boolean;
}

type Outcome = { kind: 'continue' } | { kind: 'verdict'; verdict: Verdict };

const MAX_DEPTH = 32;

class Walker {
  readonly hops: WalkHop[] = [];
  private readonly byName = new Map<string, IptablesChainModel>();

  constructor(chains: readonly IptablesChainModel[], private readonly ctx: ProxierContext, private readonly pick: Pick) {
    for (const chain of chains) this.byName.set(`${chain.table}/${chain.name}`, chain);
  }

  private isLocal(ip: string): boolean {
    return ip === this.ctx.nodeIP || inCidr(ip, '127.0.0.0/8');
  }

  /** Runs a built-in chain; its policy (ACCEPT) applies when no rule decides. */
  hook(table: IptablesTable, chain: string, p: PacketState): Verdict {
    this.hops.push({ table, chain, action: 'hook', detail: `${table} ${chain}: ${p.src} -> ${p.dst}:${p.dport}/${p.proto}` });
    const outcome = this.run(table, chain, p, 0);
    if (outcome.kind === 'verdict') return outcome.verdict;
    this.hops.push({ table, chain, action: 'policy', detail: `end of ${chain}: policy ACCEPT` });
    return 'ACCEPT';
  }

  private run(table: IptablesTable, chainName: string, p: PacketState, depth: number): Outcome {
    const chain = this.byName.get(`${table}/${chainName}`);
    if (!chain || depth > MAX_DEPTH) return { kind: 'continue' };
    for (const rule of chain.rules) {
      const matched = this.matches(rule.parsed, p, table, chainName, rule.text);
      if (!matched) continue;
      const outcome = this.apply(table, chainName, rule.parsed, rule.text, p, depth);
      if (outcome === 'return') return { kind: 'continue' };
      if (outcome !== 'next') return outcome;
    }
    if (!chain.builtin) this.hops.push({ table, chain: chainName, action: 'return', detail: `end of ${chainName}: back to the caller` });
    return { kind: 'continue' };
  }

  private apply(
    table: IptablesTable, chain: string, rule: ParsedRule, text: string, p: PacketState, depth: number,
  ): Outcome | 'next' | 'return' {
    const hop = (action: HopAction, detail: string): void => void this.hops.push({ table, chain, rule: text, action, detail });
    const opts = rule.targetOpts;
    switch (rule.target) {
      case 'RETURN': hop('return', `${chain}: RETURN`); return 'return';
      case 'ACCEPT': hop('ACCEPT', `${chain}: ACCEPT`); return { kind: 'verdict', verdict: 'ACCEPT' };
      case 'DROP': hop('DROP', `${chain}: DROP`); return { kind: 'verdict', verdict: 'DROP' };
      case 'REJECT': hop('REJECT', `${chain}: REJECT with icmp-port-unreachable`); return { kind: 'verdict', verdict: 'REJECT' };
      case 'MARK': {
        p.mark = applyMark(p.mark, opts);
        hop('MARK', `mark is now 0x${p.mark.toString(16)}`);
        return 'next';
      }
      case 'DNAT': {
        const to = opts[opts.indexOf('--to-destination') + 1];
        const colon = to.lastIndexOf(':');
        p.dst = to.slice(0, colon);
        p.dport = Number(to.slice(colon + 1));
        p.dnatted = true;
        hop('DNAT', `destination rewritten to ${to}`);
        return { kind: 'verdict', verdict: 'ACCEPT' };
      }
      case 'MASQUERADE': {
        p.src = this.ctx.nodeIP;
        p.masqueraded = true;
        hop('MASQUERADE', `source rewritten to the node's address ${this.ctx.nodeIP}`);
        return { kind: 'verdict', verdict: 'ACCEPT' };
      }
      default: {
        hop('jump', `jump to ${rule.target}`);
        const sub = this.run(table, rule.target, p, depth + 1);
        return sub.kind === 'continue' ? 'next' : sub;
      }
    }
  }

  private matches(rule: ParsedRule, p: PacketState, table: IptablesTable, chain: string, text: string): boolean {
    if (rule.src && inCidr(p.src, rule.src.addr) === rule.src.negated) return false;
    if (rule.dst && inCidr(p.dst, rule.dst.addr) === rule.dst.negated) return false;
    if (rule.proto && rule.proto !== p.proto) return false;
    for (const m of rule.matches) {
      const skip = (k: number): void =>
        void this.hops.push({ table, chain, rule: text, action: 'skip', detail: `statistic: not chosen (probability 1/${k})` });
      if (!matchOne(m.name, m.opts, p, { isLocal: (ip) => this.isLocal(ip), pick: this.pick, onNotChosen: skip })) return false;
    }
    return true;
  }
}

/** Walks the first packet of a connection through this node's kube-proxy rules. */
export function walkIptables(
  services: readonly ServicePortModel[], ctx: ProxierContext, packet: PacketSpec, pick: Pick,
): WalkResult {
  return walkChains(renderIptables(services, ctx).chains, ctx, packet, pick);
}

/** The same walk over chains rendered earlier (`renderIptables(...).chains`), to walk many packets. */
export function walkChains(
  chains: readonly IptablesChainModel[], ctx: ProxierContext, packet: PacketSpec, pick: Pick,
): WalkResult {
  const walker = new Walker(chains, ctx, pick);
  const p: PacketState = {
    src: packet.srcIP, dst: packet.dstIP, dport: packet.dstPort, proto: packet.protocol.toLowerCase(),
    mark: 0, dnatted: false, masqueraded: false,
  };
  const local = (ip: string): boolean => ip === ctx.nodeIP || inCidr(ip, '127.0.0.0/8');
  const fromNode = local(packet.srcIP);
  let verdict: Verdict = walker.hook('nat', fromNode ? 'OUTPUT' : 'PREROUTING', p);
  const path = fromNode ? 'output' : local(p.dst) ? 'input' : 'forward';
  if (verdict === 'ACCEPT') verdict = walker.hook('filter', path === 'output' ? 'OUTPUT' : path === 'input' ? 'INPUT' : 'FORWARD', p);
  if (verdict === 'ACCEPT' && path !== 'input') verdict = walker.hook('nat', 'POSTROUTING', p);
  const dnat = p.dnatted ? { ip: p.dst, port: p.dport } : undefined;
  return {
    hops: walker.hops, verdict, path, dnat, masqueraded: p.masqueraded,
    packet: { srcIP: p.src, dstIP: p.dst, dstPort: p.dport, protocol: packet.protocol },
  };
}
