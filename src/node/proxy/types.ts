/**
 * The inputs kube-proxy renders rules from. They mirror what the real proxier keeps after its
 * change trackers have run: one entry per Service port (`proxy.ServicePortMap`) with the
 * endpoints EndpointSlices gave for it (`proxy.EndpointsMap`). kube-proxy never looks at Pods,
 * so neither does this model.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type TrafficPolicy = 'Cluster' | 'Local';

/** One endpoint of one Service port, as an EndpointSlice describes it. */
export interface EndpointModel {
  readonly ip: string;
  /** The target port on the endpoint (EndpointSlice `ports[].port`). */
  readonly port: number;
  readonly nodeName?: string;
  /** EndpointSlice `conditions.ready`: false while terminating. */
  readonly ready: boolean;
  /** `conditions.serving`: follows readiness even while terminating. */
  readonly serving: boolean;
  readonly terminating: boolean;
  /** True when the endpoint runs on the node this kube-proxy serves. */
  readonly isLocal: boolean;
}

/** One port of one Service with a ClusterIP (headless Services are never proxied). */
export interface ServicePortModel {
  readonly namespace: string;
  readonly name: string;
  /** `spec.ports[].name`; '' when the only port is unnamed. */
  readonly portName: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly port: number;
  /** Set for NodePort (and LoadBalancer) Services; absent or 0 otherwise. */
  readonly nodePort?: number;
  readonly targetPort: number;
  /** Defaults to Cluster; Local keeps NodePort traffic on this node's endpoints. */
  readonly externalTrafficPolicy?: TrafficPolicy;
  /** Defaults to Cluster; Local sends ClusterIP traffic only to this node's endpoints. */
  readonly internalTrafficPolicy?: TrafficPolicy;
  readonly endpoints: readonly EndpointModel[];
}

/** What a proxier knows about the node it runs on and its flags. */
export interface ProxierContext {
  readonly nodeName: string;
  readonly nodeIP: string;
  /**
   * `--cluster-cidr`, used by the local-traffic detector: traffic to a ClusterIP that does not
   * come from this range is marked for masquerade. Empty string means no detector.
   */
  readonly clusterCIDR: string;
  /** `--iptables-masquerade-bit`; 14 by default, giving mark 0x4000. */
  readonly masqueradeBit?: number;
  /** The Service CIDR (for the nftables `cluster-ips-check` drop rule); optional. */
  readonly serviceCIDR?: string;
  /**
   * Which iptables backend prints the save text. Both print identical rules; they differ only
   * in the order of tables (nft: mangle, filter, nat; legacy: newest module first, on a fresh
   * host filter, nat, mangle). Defaults to 'nft', what current distributions use.
   */
  readonly iptablesBackend?: 'nft' | 'legacy';
}

/** `proxy.ServicePortName.String()`: "ns/name" plus ":port" only when the port is named. */
export function servicePortNameString(svc: Pick<ServicePortModel, 'namespace' | 'name' | 'portName'>): string {
  const base = `${svc.namespace}/${svc.name}`;
  return svc.portName === '' ? base : `${base}:${svc.portName}`;
}

/** `BaseEndpointInfo.String()`: net.JoinHostPort(ip, port). */
export function endpointString(ep: Pick<EndpointModel, 'ip' | 'port'>): string {
  return ep.ip.includes(':') ? `[${ep.ip}]:${ep.port}` : `${ep.ip}:${ep.port}`;
}

/** The masquerade mark value: 1 << masqueradeBit. */
export function masqueradeValue(ctx: ProxierContext): number {
  return 1 << (ctx.masqueradeBit ?? 14);
}

/**
 * The mark string as kube-proxy formats it: Go's `fmt.Sprintf("%#08x", v)`, which pads the
 * digits (not the prefix) to eight, so bit 14 is "0x00004000". iptables-save prints it back
 * as 0x4000.
 */
export function masqueradeMarkString(ctx: ProxierContext): string {
  return `0x${masqueradeValue(ctx).toString(16).padStart(8, '0')}`;
}

/**
 * Services sorted by their port name. The real proxier walks a Go map, so its rule order
 * changes between syncs; a simulator needs one stable order, and sorting gives it.
 */
export function sortedServices(services: readonly ServicePortModel[]): ServicePortModel[] {
  return [...services].sort((a, b) => compareStrings(servicePortNameString(a) + a.protocol, servicePortNameString(b) + b.protocol));
}

/** Byte-wise string order, as Go's `<` on strings and `sort.Strings`. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
