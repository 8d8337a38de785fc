/**
 * Weave Net's IPAM as a model: one range for the whole cluster (IPALLOC_RANGE, 10.32.0.0/12 by
 * default) shared out between peers. The first peer owns all of it; each peer that joins is
 * given the upper half of the largest range any peer holds. Pod interfaces get a /12 mask:
 * Weave is one flat L2 network, which is why a node's route table has a single weave route.
 * Real Weave negotiates space through a CRDT ring on demand; this keeps the shape, not its
 * exact numbers.
 */
import { cidrSize, intToIp, parseCidr } from './ipv4.js';
import type { AllocateResult } from './ipam-types.js';

export interface WeaveRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export interface WeavePeer {
  readonly name: string;
  readonly ranges: readonly WeaveRange[];
}

export interface WeaveIpamState {
  readonly range: string;
  /** Peers in join order. */
  readonly peers: readonly WeavePeer[];
  /** Address to owner (a container ID, or "weave:expose" for the bridge). */
  readonly allocations: ReadonlyMap<string, string>;
}

export const DEFAULT_WEAVE_RANGE = '10.32.0.0/12';
export const WEAVE_BRIDGE_OWNER = 'weave:expose';

export function newWeaveIpam(range = DEFAULT_WEAVE_RANGE): WeaveIpamState {
  return { range, peers: [], allocations: new Map() };
}

/** Adds `node` as a peer if it is not one yet, taking half of the largest range held. */
export function weaveJoin(state: WeaveIpamState, node: string): WeaveIpamState {
  if (state.peers.some((p) => p.name === node)) return state;
  const whole = parseCidr(state.range);
  if (state.peers.length === 0) {
    return { ...state, peers: [{ name: node, ranges: [{ start: whole.base, end: whole.base + cidrSize(whole) }] }] };
  }
  let donor = 0;
  let donorRange = 0;
  state.peers.forEach((p, pi) => p.ranges.forEach((r, ri) => {
    const best = state.peers[donor].ranges[donorRange];
    if (r.end - r.start > best.end - best.start) [donor, donorRange] = [pi, ri];
  }));
  const split = state.peers[donor].ranges[donorRange];
  if (split.end - split.start < 2) return { ...state, peers: [...state.peers, { name: node, ranges: [] }] };
  const mid = split.start + Math.floor((split.end - split.start) / 2);
  const peers = state.peers.map((p, pi) =>
    pi !== donor ? p : { ...p, ranges: p.ranges.map((r, ri) => (ri === donorRange ? { start: r.start, end: mid } : r)) },
  );
  return { ...state, peers: [...peers, { name: node, ranges: [{ start: mid, end: split.end }] }] };
}

/** Allocates the lowest free address in the node's ranges (joining the ring first if needed). */
export function weaveAllocate(state: WeaveIpamState, node: string, owner: string): AllocateResult<WeaveIpamState> {
  const joined = weaveJoin(state, node);
  const whole = parseCidr(joined.range);
  const first = whole.base;
  const last = whole.base + cidrSize(whole) - 1;
  const peer = joined.peers.find((p) => p.name === node);
  for (const r of peer?.ranges ?? []) {
    for (let n = r.start; n < r.end; n++) {
      const ip = intToIp(n);
      if (n === first || n === last || joined.allocations.has(ip)) continue;
      const allocations = new Map(joined.allocations).set(ip, owner);
      const gateway = bridgeAddress({ ...joined, allocations }, node);
      return { ok: true, state: { ...joined, allocations }, allocation: { ip, prefixLength: whole.prefix, gateway } };
    }
  }
  return { ok: false, state: joined, error: { code: 999, msg: `no free addresses in ${joined.range} on ${node}` } };
}

/** The address `weave expose` put on this node's weave bridge, if any. */
export function bridgeAddress(state: WeaveIpamState, node: string): string | undefined {
  const peer = state.peers.find((p) => p.name === node);
  for (const [ip, owner] of state.allocations) {
    if (owner !== WEAVE_BRIDGE_OWNER) continue;
    const n = parseCidr(`${ip}/32`).base;
    if (peer?.ranges.some((r) => n >= r.start && n < r.end)) return ip;
  }
  return undefined;
}

/** `weave expose`: the bridge takes the node's first address, before any pod. */
export function weaveExpose(state: WeaveIpamState, node: string): AllocateResult<WeaveIpamState> {
  const existing = bridgeAddress(weaveJoin(state, node), node);
  if (existing) return { ok: true, state: weaveJoin(state, node), allocation: { ip: existing, prefixLength: parseCidr(state.range).prefix } };
  return weaveAllocate(state, node, WEAVE_BRIDGE_OWNER);
}

export function weaveRelease(state: WeaveIpamState, owner: string): { state: WeaveIpamState; released: string[] } {
  const allocations = new Map(state.allocations);
  const released = [...state.allocations].filter(([, o]) => o === owner).map(([ip]) => ip);
  for (const ip of released) allocations.delete(ip);
  return { state: { ...state, allocations }, released };
}

/** The ranges a peer owns, as "start-end" strings like `weave status ipam` prints per peer. */
export function weavePeerRanges(state: WeaveIpamState, node: string): string[] {
  return (state.peers.find((p) => p.name === node)?.ranges ?? []).map((r) => `${intToIp(r.start)}-${intToIp(r.end - 1)}`);
}
