import ipaddr from 'ipaddr.js';

/**
 * The node IPAM allocator's bitmap of sub-ranges (pkg/controller/nodeipam/ipam/cidrset/
 * cidr_set.go): the cluster CIDR cut into blocks of the node mask size, e.g. 10.244.0.0/16 into
 * 256 /24s. Allocation walks round-robin from the block after the last one handed out, so a
 * released block is not reused at once.
 */
export class CidrSet {
  readonly clusterCidr: string;
  readonly nodeMaskSize: number;
  readonly maxCidrs: number;
  private readonly baseAddress: number;
  private readonly blockSize: number;
  private readonly used = new Set<number>();
  private nextCandidate = 0;

  constructor(clusterCidr: string, nodeMaskSize: number) {
    const [, prefix] = ipaddr.IPv4.parseCIDR(clusterCidr);
    if (nodeMaskSize < prefix || nodeMaskSize > 32) {
      throw new RangeError(`node mask size /${nodeMaskSize} does not fit in cluster CIDR ${clusterCidr}`);
    }
    // cidrset refuses more than 2^16 sub-ranges (clusterSubnetMaxDiff).
    if (nodeMaskSize - prefix > 16) throw new RangeError(`cluster CIDR ${clusterCidr} with /${nodeMaskSize} nodes has too many sub-ranges`);
    const network = ipaddr.IPv4.networkAddressFromCIDR(clusterCidr);
    this.clusterCidr = `${network.toString()}/${prefix}`;
    this.nodeMaskSize = nodeMaskSize;
    this.maxCidrs = 2 ** (nodeMaskSize - prefix);
    this.blockSize = 2 ** (32 - nodeMaskSize);
    this.baseAddress = toNumber(network);
  }

  get allocatedCount(): number {
    return this.used.size;
  }

  /** AllocateNext: the next free block, or undefined when the range is exhausted. */
  allocateNext(): string | undefined {
    if (this.used.size >= this.maxCidrs) return undefined;
    let candidate = this.nextCandidate;
    while (this.used.has(candidate)) candidate = (candidate + 1) % this.maxCidrs;
    this.nextCandidate = (candidate + 1) % this.maxCidrs;
    this.used.add(candidate);
    return this.blockCidr(candidate);
  }

  /** Occupy: marks a CIDR already on a Node as taken (at start-up, or for pre-set podCIDRs). */
  occupy(cidr: string): boolean {
    const index = this.indexOf(cidr);
    if (index === undefined) return false;
    this.used.add(index);
    return true;
  }

  /** Release: gives a deleted node's block back to the pool. */
  release(cidr: string): boolean {
    const index = this.indexOf(cidr);
    return index !== undefined && this.used.delete(index);
  }

  private blockCidr(index: number): string {
    return `${fromNumber(this.baseAddress + index * this.blockSize).toString()}/${this.nodeMaskSize}`;
  }

  private indexOf(cidr: string): number | undefined {
    if (!ipaddr.IPv4.isValidCIDR(cidr)) return undefined;
    const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
    if (prefix !== this.nodeMaskSize) return undefined;
    const offset = toNumber(address) - this.baseAddress;
    if (offset < 0 || offset % this.blockSize !== 0) return undefined;
    const index = offset / this.blockSize;
    return index < this.maxCidrs ? index : undefined;
  }
}

function toNumber(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((n, byte) => n * 256 + byte, 0);
}

function fromNumber(value: number): ipaddr.IPv4 {
  return ipaddr.fromByteArray([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]) as ipaddr.IPv4;
}
