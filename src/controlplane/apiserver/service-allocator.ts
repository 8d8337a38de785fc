import ipaddr from 'ipaddr.js';
import type { KubeObject } from '../../api/meta.js';
import type { Prng } from '../../sim/prng.js';

/**
 * The Service REST storage's allocators (pkg/registry/core/service/ipallocator and portallocator):
 * ClusterIPs from the service CIDR and NodePorts from 30000-32767. Dynamic ClusterIPs are drawn at
 * random from the upper band of the range, leaving the lower band (min(max(16, size/16), 256)
 * addresses) for fixed IPs such as kube-dns' 10.96.0.10 (KEP-3070).
 */
type Obj = Record<string, any>;

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export class ServiceAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly usedIps = new Set<number>();
  private readonly usedPorts = new Set<number>();

  constructor(
    serviceCIDR: string,
    private readonly prng: Prng,
  ) {
    const [addr, prefix] = ipaddr.IPv4.parseCIDR(serviceCIDR);
    this.base = toNumber(addr.toString());
    this.size = 2 ** (32 - prefix);
  }

  /** The Nth address of the range: 1 for `kubernetes`, 10 for `kube-dns`. */
  indexedIp(index: number): string {
    return toIp(this.base + index);
  }

  /**
   * Fills spec.clusterIP(s) and nodePorts of a new Service, or returns the 422 cause. The input
   * is not mutated.
   */
  allocate(service: KubeObject): { service: KubeObject } | { field: string; message: string } {
    const spec = { ...((service as Obj).spec ?? {}) } as Obj;
    if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
      if (spec.clusterIP) {
        const n = toNumber(spec.clusterIP);
        if (n <= this.base || n >= this.base + this.size - 1) return { field: 'spec.clusterIPs', message: `Invalid value: "${spec.clusterIP}": provided IP is not in the valid range. The range of valid IPs is ${toIp(this.base)}/${32 - Math.log2(this.size)}` };
        if (this.usedIps.has(n)) return { field: 'spec.clusterIPs', message: `Invalid value: ["${spec.clusterIP}"]: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated` };
        this.usedIps.add(n);
      } else {
        const ip = this.randomIp();
        if (ip === undefined) return { field: 'spec.clusterIPs', message: `Internal error: failed to allocate a serviceIP: range is full` };
        spec.clusterIP = ip;
      }
      spec.clusterIPs = [spec.clusterIP];
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      const ports: Obj[] = [];
      for (const port of spec.ports ?? []) {
        if (port.nodePort) {
          if (this.usedPorts.has(port.nodePort)) return { field: 'spec.ports[].nodePort', message: `Invalid value: ${port.nodePort}: provided port is already allocated` };
          this.usedPorts.add(port.nodePort);
          ports.push(port);
        } else {
          const nodePort = this.randomPort();
          if (nodePort === undefined) return { field: 'spec.ports[].nodePort', message: 'Internal error: failed to allocate a nodePort: range is full' };
          ports.push({ ...port, nodePort });
        }
      }
      spec.ports = ports;
      spec.externalTrafficPolicy = spec.externalTrafficPolicy ?? 'Cluster';
    }
    return { service: { ...service, spec } as KubeObject };
  }

  release(service: KubeObject): void {
    const spec = ((service as Obj).spec ?? {}) as Obj;
    if (spec.clusterIP && spec.clusterIP !== 'None') this.usedIps.delete(toNumber(spec.clusterIP));
    for (const port of spec.ports ?? []) if (port.nodePort) this.usedPorts.delete(port.nodePort);
  }

  /**
   * A free address, from the upper band first and then the lower one, as the bitmap allocator
   * does (calculateRangeOffset: no reserved band in a range of 16 addresses or fewer); undefined
   * when the range is full ("range is full"), never an endless search.
   */
  private randomIp(): string | undefined {
    const staticBand = this.size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(this.size / 16)), 256);
    for (const [low, high] of [[Math.max(staticBand, 1), this.size - 2], [1, staticBand - 1]]) {
      const n = this.pickFree(low, high, (i) => this.usedIps.has(this.base + i));
      if (n !== undefined) {
        this.usedIps.add(this.base + n);
        return toIp(this.base + n);
      }
    }
    return undefined;
  }

  private randomPort(): number | undefined {
    const port = this.pickFree(NODE_PORT_MIN, NODE_PORT_MAX, (p) => this.usedPorts.has(p));
    if (port !== undefined) this.usedPorts.add(port);
    return port;
  }

  /** A random free number in [low, high]: a random start, then the next free one (wrapping), as the bitmap allocator scans. */
  private pickFree(low: number, high: number, used: (n: number) => boolean): number | undefined {
    if (high < low) return undefined;
    const count = high - low + 1;
    const start = this.prng.intInclusive(low, high) - low;
    for (let i = 0; i < count; i++) {
      const n = low + ((start + i) % count);
      if (!used(n)) return n;
    }
    return undefined;
  }
}

function toNumber(ip: string): number {
  return ipaddr.IPv4.parse(ip).toByteArray().reduce((n, b) => n * 256 + b, 0);
}

function toIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
