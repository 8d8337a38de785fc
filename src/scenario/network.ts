/**
 * The cluster's address plan: pod and service CIDRs, the per-node pod range, and the machine
 * addresses of the nodes. Checks that the plan is sound (as kubeadm and kube-controller-manager
 * would refuse it) and assigns node addresses from a range that overlaps neither CIDR.
 */
import ipaddr from 'ipaddr.js';
import type { PathIssue } from './problems.js';
import type { NodeSpec, Scenario } from './types.js';

type Cidr = [ipaddr.IPv4, number];

/** Where node addresses come from, in order of preference; each starts at .11, like kind's nodes. */
export const NODE_ADDRESS_RANGES = ['172.18.0.0/16', '192.168.56.0/24', '10.0.0.0/16'] as const;
const FIRST_HOST_OFFSET = 11;

/** Parses an IPv4 CIDR, or says what is wrong with it (with the corrected form when host bits are set). */
export function parseCidr(text: string): { ok: true; cidr: Cidr } | { ok: false; message: string; suggestion?: string } {
  if (ipaddr.IPv6.isValidCIDR(text)) return { ok: false, message: `${text} is IPv6; the simulator uses IPv4 CIDRs` };
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    return { ok: false, message: `"${text}" is not a CIDR; expected an address and prefix such as 10.244.0.0/16` };
  }
  const cidr = ipaddr.IPv4.parseCIDR(text);
  const network = ipaddr.IPv4.networkAddressFromCIDR(text).toString();
  if (network !== cidr[0].toString()) {
    return { ok: false, message: `${text} has host bits set`, suggestion: `${network}/${cidr[1]}` };
  }
  return { ok: true, cidr };
}

/** True when the two ranges share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a[0].match(b[0], Math.min(a[1], b[1]));
}

function contains(range: Cidr, address: ipaddr.IPv4): boolean {
  return address.match(range);
}

/** Problems with serviceCIDR, podCIDR, nodeCIDRMaskSize and the nodes' written addresses. */
export function checkNetwork(scenario: Scenario): PathIssue[] {
  const { cluster, nodes } = scenario.spec;
  const issues: PathIssue[] = [];
  const parsed: Partial<Record<'serviceCIDR' | 'podCIDR', Cidr>> = {};
  for (const field of ['serviceCIDR', 'podCIDR'] as const) {
    const result = parseCidr(cluster[field]);
    if (result.ok) parsed[field] = result.cidr;
    else issues.push({ path: ['spec', 'cluster', field], message: result.message, suggestion: result.suggestion });
  }
  const { podCIDR, serviceCIDR } = parsed;
  if (serviceCIDR) issues.push(...checkServiceCidrSize(scenario, serviceCIDR));
  if (podCIDR && serviceCIDR && cidrsOverlap(podCIDR, serviceCIDR)) {
    issues.push({
      path: ['spec', 'cluster', 'podCIDR'],
      message: `pod CIDR ${cluster.podCIDR} overlaps service CIDR ${cluster.serviceCIDR}`,
    });
  }
  if (podCIDR && cluster.nodeCIDRMaskSize < podCIDR[1]) {
    issues.push({
      path: ['spec', 'cluster', 'nodeCIDRMaskSize'],
      message: `a /${cluster.nodeCIDRMaskSize} per node is larger than the pod CIDR ${cluster.podCIDR}; use /${podCIDR[1]} or more`,
    });
  }
  issues.push(...checkNodeAddresses(nodes, [podCIDR, serviceCIDR]));
  return issues;
}

/** The Services kubeadm creates: `kubernetes` at the 1st address and `kube-dns` at the 10th. */
const BUILTIN_SERVICE_INDEXES = [1, 10];

/** Services of the scenario that take a cluster IP (not headless, not ExternalName). */
function servicesWithClusterIP(scenario: Scenario): number {
  const manifests = [
    ...scenario.spec.resources,
    ...scenario.spec.timeline.flatMap((event) => (event.action === 'apply' ? [event.manifest] : [])),
  ];
  return manifests.filter((object) => {
    const spec = object.spec as Record<string, unknown> | undefined;
    return object.kind === 'Service' && spec?.type !== 'ExternalName' && spec?.clusterIP !== 'None';
  }).length;
}

/**
 * kube-apiserver refuses a service range of more than 2^20 addresses (--service-cluster-ip-range
 * "is too large; for 32-bit addresses, the mask must be >= 12"), and kubeadm puts kube-dns at the
 * 10th address, so the range must hold that and one address per Service besides the network and
 * broadcast addresses.
 */
function checkServiceCidrSize(scenario: Scenario, cidr: Cidr): PathIssue[] {
  const path = ['spec', 'cluster', 'serviceCIDR'];
  const text = scenario.spec.cluster.serviceCIDR;
  if (cidr[1] < 12) return [{ path, message: `${text} is too large; kube-apiserver's --service-cluster-ip-range must be /12 or smaller (at most 2^20 addresses)` }];
  const usable = 2 ** (32 - cidr[1]) - 2;
  const highest = Math.max(...BUILTIN_SERVICE_INDEXES);
  if (usable < highest) {
    return [{ path, message: `${text} has ${Math.max(usable, 0)} usable addresses, but kube-dns takes the ${highest}th (kubeadm); use /28 or larger, e.g. 10.96.0.0/12` }];
  }
  const needed = BUILTIN_SERVICE_INDEXES.length + servicesWithClusterIP(scenario);
  if (needed > usable) {
    return [{ path, message: `${text} has ${usable} usable addresses, but the cluster needs ${needed} (kubernetes, kube-dns and ${needed - 2} Services of the scenario); use a larger range, e.g. 10.96.0.0/12` }];
  }
  return [];
}

function checkNodeAddresses(nodes: readonly NodeSpec[], ranges: readonly (Cidr | undefined)[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const seen = new Map<string, string>();
  nodes.forEach((node, index) => {
    if (node.address === '') return;
    const path = ['spec', 'nodes', index, 'address'];
    if (!ipaddr.IPv4.isValidFourPartDecimal(node.address)) {
      issues.push({ path, message: `"${node.address}" is not an IPv4 address such as 172.18.0.11` });
      return;
    }
    const address = ipaddr.IPv4.parse(node.address);
    const inside = ranges.find((range) => range && contains(range, address));
    if (inside) {
      const which = inside === ranges[0] ? 'pod' : 'service';
      issues.push({ path, message: `${node.address} is inside the ${which} CIDR ${inside[0].toString()}/${inside[1]}` });
    }
    const other = seen.get(address.toString());
    if (other !== undefined) issues.push({ path, message: `${node.address} is already the address of node ${other}` });
    else seen.set(address.toString(), node.name);
  });
  return issues;
}

function toInt(address: ipaddr.IPv4): number {
  return address.octets.reduce((sum, octet) => sum * 256 + octet, 0);
}

function fromInt(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * Fills in the addresses the author left out, in node order, from the first range of
 * NODE_ADDRESS_RANGES that overlaps neither CIDR, skipping addresses already written.
 * Call only after checkNetwork found nothing.
 */
export function withNodeAddresses(scenario: Scenario): { ok: true; scenario: Scenario } | { ok: false; issue: PathIssue } {
  const { cluster, nodes } = scenario.spec;
  const missing = nodes.findIndex((node) => node.address === '');
  if (missing === -1) return { ok: true, scenario };
  const taken = [cluster.podCIDR, cluster.serviceCIDR].map((text) => ipaddr.IPv4.parseCIDR(text));
  const range = NODE_ADDRESS_RANGES.map((text) => ipaddr.IPv4.parseCIDR(text)).find(
    (candidate) => !taken.some((cidr) => cidrsOverlap(candidate, cidr)),
  );
  const used = new Set(nodes.map((node) => node.address));
  const assigned: NodeSpec[] = [];
  let next = range ? toInt(range[0]) + FIRST_HOST_OFFSET : 0;
  const last = range ? toInt(range[0]) + 2 ** (32 - range[1]) - 2 : -1;
  for (const [index, node] of nodes.entries()) {
    if (node.address !== '') {
      assigned.push(node);
      continue;
    }
    while (next <= last && used.has(fromInt(next))) next++;
    if (next > last) {
      const message = range
        ? `no free address left in ${range[0].toString()}/${range[1]}; give this node an address`
        : `no address range free of the pod and service CIDRs (tried ${NODE_ADDRESS_RANGES.join(', ')}); give this node an address`;
      return { ok: false, issue: { path: ['spec', 'nodes', index], message } };
    }
    assigned.push({ ...node, address: fromInt(next) });
    used.add(fromInt(next++));
  }
  return { ok: true, scenario: { ...scenario, spec: { ...scenario.spec, nodes: assigned } } };
}
