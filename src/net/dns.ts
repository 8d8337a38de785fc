/**
 * Cluster DNS as the kubernetes/dns specification and CoreDNS's kubernetes plugin define it:
 * the resolv.conf the kubelet writes into a ClusterFirst pod, the order in which the resolver
 * tries the search list (ndots:5), and the answer CoreDNS gives from the API's Services,
 * EndpointSlices and pod addresses. Pure: the API state comes in as plain objects.
 */
type Obj = Record<string, any>;

/** A pod's /etc/resolv.conf, parsed and as text. */
export interface ResolvConf {
  readonly search: readonly string[];
  readonly nameservers: readonly string[];
  readonly ndots: number;
  /** The file as the container sees it. */
  readonly text: string;
}

/** The node's own resolver (dnsPolicy Default): the host's upstream, which knows nothing of the cluster. */
export const HOST_RESOLVER = '172.18.0.1';

function conf(search: readonly string[], nameserver: string, ndots: number): ResolvConf {
  const lines = [...(search.length ? [`search ${search.join(' ')}`] : []), `nameserver ${nameserver}`, ...(ndots !== 1 ? [`options ndots:${ndots}`] : [])];
  return { search, nameservers: [nameserver], ndots, text: `${lines.join('\n')}\n` };
}

/** pkg/kubelet/network/dns: what a pod with `dnsPolicy: ClusterFirst` gets. */
export function clusterFirstResolvConf(namespace: string, domain: string, dnsIP: string): ResolvConf {
  return conf([`${namespace}.svc.${domain}`, `svc.${domain}`, domain], dnsIP, 5);
}

/** A node's (and a `dnsPolicy: Default` pod's) resolv.conf. */
export function hostResolvConf(): ResolvConf {
  return conf([], HOST_RESOLVER, 1);
}

/**
 * The names glibc's resolver asks for, in order: a name with at least `ndots` dots (or ending in
 * a dot) is tried as is first; otherwise every search domain is appended first and the bare name
 * comes last. With ndots:5, "web.default.svc.cluster.local" (4 dots) costs three misses first.
 */
export function queryOrder(name: string, resolv: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const searched = resolv.search.map((s) => `${name}.${s}`);
  const dots = name.split('.').length - 1;
  return dots >= resolv.ndots ? [name, ...searched] : [...searched, name];
}

/** One answer record (TTL 30, as the Corefile sets it). */
export interface DnsRecord {
  readonly name: string;
  readonly type: 'A' | 'CNAME';
  readonly ttl: number;
  readonly data: string;
}

/** CoreDNS's answer to one query, and why it is that. */
export type DnsAnswer =
  | { readonly rcode: 'NOERROR'; readonly records: readonly DnsRecord[]; readonly why: string }
  | { readonly rcode: 'NXDOMAIN'; readonly records: readonly []; readonly why: string };

/** The API objects CoreDNS serves from (it lists and watches them). */
export interface DnsState {
  readonly services: readonly Obj[];
  readonly endpointSlices: readonly Obj[];
}

const TTL = 30;
const nx = (why: string): DnsAnswer => ({ rcode: 'NXDOMAIN', records: [], why });
const a = (name: string, ips: readonly string[], why: string): DnsAnswer => ({ rcode: 'NOERROR', records: ips.map((ip) => ({ name, type: 'A' as const, ttl: TTL, data: ip })), why });

function readyAddresses(state: DnsState, ns: string, svc: string): string[] {
  const out = new Set<string>();
  for (const slice of state.endpointSlices) {
    if (slice.metadata?.namespace !== ns || slice.metadata?.labels?.['kubernetes.io/service-name'] !== svc) continue;
    for (const ep of slice.endpoints ?? []) if (ep.conditions?.ready !== false && ep.addresses?.[0]) out.add(ep.addresses[0]);
  }
  return [...out].sort();
}

function serviceAnswer(state: DnsState, qname: string, name: string, ns: string): DnsAnswer {
  const svc = state.services.find((s) => s.metadata?.namespace === ns && s.metadata?.name === name);
  if (!svc) return nx(`no Service ${name} in namespace ${ns}`);
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') {
    return { rcode: 'NOERROR', records: [{ name: qname, type: 'CNAME', ttl: TTL, data: spec.externalName }], why: `ExternalName Service: a CNAME to ${spec.externalName}` };
  }
  if (spec.clusterIP === 'None') {
    const ips = readyAddresses(state, ns, name);
    return ips.length ? a(qname, ips, `headless Service: one A record per ready endpoint`) : nx(`headless Service ${ns}/${name} has no ready endpoints`);
  }
  return a(qname, [spec.clusterIP], `Service ${ns}/${name}: its ClusterIP`);
}

/** CoreDNS's answer to an A query for `qname` (no trailing dot), for cluster domain `domain`. */
export function coreDnsAnswer(state: DnsState, qname: string, domain: string): DnsAnswer {
  const name = qname.toLowerCase();
  if (name !== domain && !name.endsWith(`.${domain}`)) {
    return nx(`outside ${domain}: CoreDNS forwards it to the node's upstream resolver (forward . /etc/resolv.conf), and the simulated network has no Internet behind it`);
  }
  const labels = name.slice(0, name.length - domain.length).replace(/\.$/, '').split('.').filter(Boolean);
  if (labels.length === 3 && labels[2] === 'svc') return serviceAnswer(state, name, labels[0], labels[1]);
  if (labels.length === 4 && labels[3] === 'svc') return nx(`no endpoint with hostname ${labels[0]} behind ${labels[2]}/${labels[1]}`);
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = labels[0].split('-');
    if (ip.length === 4 && ip.every((o) => /^\d{1,3}$/.test(o) && Number(o) < 256)) {
      return a(name, [ip.join('.')], 'pod A record (pods insecure: answered from the name itself, without checking a pod has that IP)');
    }
  }
  return nx(`no such name in ${domain}: only <service>.<namespace>.svc.${domain} and <a-b-c-d>.<namespace>.pod.${domain} exist`);
}
