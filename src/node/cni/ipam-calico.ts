/**
 * calico-ipam as a model: the IP pool (192.168.0.0/16 by default) is cut into /26 blocks; a
 * node claims a block (affinity) the first time it needs an address and hands out addresses
 * from it in order, so every node's pods share a /26 that BIRD or Felix can route as one.
 * When its blocks are full it claims another; when the pool has no free block it borrows a
 * free address from another node's block (the default, non-strict affinity).
 */
import { hashString } from '../../sim/prng.js';
import { cidrSize, formatCidr, intToIp, parseCidr } from './ipv4.js';
import type { AllocateResult } from './ipam-types.js';

export interface CalicoBlock {
  readonly cidr: string;
  /** The node that claimed it ("host:<node>" in Calico's BlockAffinity). */
  readonly affinity: string;
  /** Allocation handle per ordinal, null when free. */
  readonly handles: readonly (string | null)[];
}

export interface CalicoIpamState {
  readonly pool: string;
  readonly blockSize: number;
  /** Claimed blocks by CIDR, in claim order. */
  readonly blocks: ReadonlyMap<string, CalicoBlock>;
}

export const DEFAULT_CALICO_POOL = '192.168.0.0/16';

export function newCalicoIpam(pool = DEFAULT_CALICO_POOL, blockSize = 26): CalicoIpamState {
  if (blockSize < parseCidr(pool).prefix || blockSize > 32) throw new RangeError(`blockSize ${blockSize} does not fit pool ${pool}`);
  return { pool, blockSize, blocks: new Map() };
}

/** The handle calico's CNI plugin uses for a pod's addresses. */
export function podHandle(containerId: string): string {
  return `k8s-pod-network.${containerId}`;
}

/** The handle calico-node uses for a node's tunnel address. */
export function tunnelHandle(kind: 'ipip' | 'vxlan', node: string): string {
  return `${kind}-tunnel-addr-${node}`;
}

function blockCount(state: CalicoIpamState): number {
  return 2 ** (state.blockSize - parseCidr(state.pool).prefix);
}

function blockCidr(state: CalicoIpamState, index: number): string {
  const pool = parseCidr(state.pool);
  return formatCidr({ base: pool.base + index * 2 ** (32 - state.blockSize), prefix: state.blockSize });
}

/**
 * Calico picks a node's first block at a pseudo-random point of the pool seeded by the host
 * name (`randomBlockGenerator`), then scans forward. We seed with FNV-1a of the name: the
 * same idea, not Calico's exact numbers.
 */
function claimBlock(state: CalicoIpamState, node: string): CalicoBlock | undefined {
  const count = blockCount(state);
  const startIndex = hashString(node) % count;
  for (let i = 0; i < count; i++) {
    const cidr = blockCidr(state, (startIndex + i) % count);
    if (!state.blocks.has(cidr)) {
      return { cidr, affinity: `host:${node}`, handles: new Array<string | null>(cidrSize(parseCidr(cidr))).fill(null) };
    }
  }
  return undefined;
}

function assign(state: CalicoIpamState, block: CalicoBlock, handle: string): AllocateResult<CalicoIpamState> {
  const ordinal = block.handles.indexOf(null);
  const handles = block.handles.map((h, i) => (i === ordinal ? handle : h));
  const blocks = new Map(state.blocks).set(block.cidr, { ...block, handles });
  const ip = intToIp(parseCidr(block.cidr).base + ordinal);
  return { ok: true, state: { ...state, blocks }, allocation: { ip, prefixLength: 32 } };
}

/** Assigns one IPv4 address to `handle` for a workload on `node`. */
export function calicoAllocate(state: CalicoIpamState, node: string, handle: string): AllocateResult<CalicoIpamState> {
  const affine = [...state.blocks.values()].filter((b) => b.affinity === `host:${node}`);
  const withRoom = affine.find((b) => b.handles.includes(null));
  if (withRoom) return assign(state, withRoom, handle);
  const claimed = claimBlock(state, node);
  if (claimed) return assign({ ...state, blocks: new Map(state.blocks).set(claimed.cidr, claimed) }, claimed, handle);
  const borrow = [...state.blocks.values()].find((b) => b.handles.includes(null));
  if (borrow) return assign(state, borrow, handle);
  return { ok: false, state, error: { code: 999, msg: 'failed to request 1 IPv4 addresses. IPAM allocated only 0.' } };
}

/** Releases every address held by `handle`. Blocks stay claimed, as Calico keeps affinity. */
export function calicoRelease(state: CalicoIpamState, handle: string): { state: CalicoIpamState; released: string[] } {
  const released: string[] = [];
  const blocks = new Map<string, CalicoBlock>();
  for (const [cidr, block] of state.blocks) {
    const base = parseCidr(cidr).base;
    const handles = block.handles.map((h, i) => {
      if (h !== handle) return h;
      released.push(intToIp(base + i));
      return null;
    });
    blocks.set(cidr, { ...block, handles });
  }
  return { state: { ...state, blocks }, released };
}

/** The blocks a node holds affinity for, in claim order. */
export function calicoBlocksFor(state: CalicoIpamState, node: string): string[] {
  return [...state.blocks.values()].filter((b) => b.affinity === `host:${node}`).map((b) => b.cidr);
}

/** Every assigned address with its handle and block, for views and routes. */
export function calicoAssignments(state: CalicoIpamState): { ip: string; handle: string; block: string; affinity: string }[] {
  return [...state.blocks.values()].flatMap((b) =>
    b.handles.flatMap((h, i) => (h === null ? [] : [{ ip: intToIp(parseCidr(b.cidr).base + i), handle: h, block: b.cidr, affinity: b.affinity }])),
  );
}

/**
 * What calico-node does at startup in IPIP or VXLAN mode: assign the node's tunnel address
 * (tunl0 / vxlan.calico) from its block, so it takes the block's first address before pods.
 */
export function calicoAssignTunnel(state: CalicoIpamState, node: string, kind: 'ipip' | 'vxlan'): AllocateResult<CalicoIpamState> {
  const handle = tunnelHandle(kind, node);
  const existing = calicoAssignments(state).find((a) => a.handle === handle);
  if (existing) return { ok: true, state, allocation: { ip: existing.ip, prefixLength: 32 } };
  return calicoAllocate(state, node, handle);
}
