import { serviceIP } from '../cluster/networking.js';
import { kernelTables } from '../node/network/index.js';
import { clusterFirstResolvConf, coreDnsAnswer, hostResolvConf, HOST_RESOLVER, queryOrder, type DnsAnswer, type DnsState, type ResolvConf } from './dns.js';
import { forward, headers, type Packet } from './data-path.js';
import { traverse } from './netfilter.js';
import type { Source, WalkContext } from './walk-context.js';

/**
 * The DNS part of a request: the resolver reads the pod's resolv.conf and asks for each name of
 * the search list in turn; every query is itself a packet to the kube-dns ClusterIP, DNATed by
 * kube-proxy's rules to one CoreDNS pod (possibly on another node), which answers from the API.
 */
type Obj = Record<string, any>;

/** How resolving a name ended: an address, or the reason curl would give up. */
export type DnsOutcome =
  | { readonly kind: 'resolved'; readonly ip: string; readonly name: string }
  | { readonly kind: 'nxdomain' | 'timeout' | 'refused'; readonly why: string };

function dnsState(walk: WalkContext): DnsState {
  const range = (prefix: string): Obj[] => walk.cluster.store.range(prefix).map((kv) => kv.value as Obj);
  return { services: range('/registry/services/specs/'), endpointSlices: range('/registry/endpointslices/') };
}

function resolvConfOf(walk: WalkContext, src: Source): ResolvConf {
  const { config } = walk.cluster;
  return src.kind === 'pod' && src.dnsPolicy === 'ClusterFirst' ? clusterFirstResolvConf(src.namespace, config.clusterDomain, serviceIP(config, 10)) : hostResolvConf();
}

/** Resolves `host` the way glibc in the sender would. */
export function resolve(walk: WalkContext, src: Source, host: string): DnsOutcome {
  const resolv = resolvConfOf(walk, src);
  const names = queryOrder(host, resolv);
  walk.hop({
    node: src.node, from: src.label, to: src.label,
    summary: `${src.label} resolves ${host}: ${names.length} candidate name${names.length > 1 ? 's' : ''} (${resolv.search.length ? `search list, ndots:${resolv.ndots}` : 'no search list'})`,
    explanation: src.kind === 'pod' && src.dnsPolicy === 'ClusterFirst'
      ? `The kubelet wrote this pod's /etc/resolv.conf (dnsPolicy ClusterFirst): the kube-dns Service's ClusterIP as nameserver and a search list built from the pod's namespace. "${host}" has ${host.split('.').length - 1} dot(s); with ndots:5 a name with fewer than 5 dots is tried with every search domain first and as is last, so the resolver asks in this order: ${names.join(', ')}.`
      : `${src.label} uses the node's own resolver (${HOST_RESOLVER}), not cluster DNS: names under ${walk.cluster.config.clusterDomain} mean nothing to it.`,
    detail: { resolvConf: resolv.text, queries: names },
  });
  for (const name of names) {
    const outcome = query(walk, src, resolv, name);
    if (outcome.kind !== 'nxdomain') return outcome;
  }
  return { kind: 'nxdomain', why: `every name tried (${names.join(', ')}) got NXDOMAIN` };
}

function answerText(answer: DnsAnswer): string {
  return answer.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : answer.records.map((r) => `${r.type} ${r.data}`).join(', ');
}

function query(walk: WalkContext, src: Source, resolv: ResolvConf, name: string): DnsOutcome {
  const nameserver = resolv.nameservers[0];
  const packet: Packet = { src: src.ip, sport: walk.ephemeralPort(), dst: nameserver, dport: 53, proto: 'UDP' };
  if (nameserver === HOST_RESOLVER) {
    walk.hop({
      node: src.node, from: src.label, to: `dns/${HOST_RESOLVER}`,
      summary: `DNS A? ${name} → ${HOST_RESOLVER}:53 (the node's upstream resolver): NXDOMAIN`,
      explanation: `The node's resolver is outside the cluster and has no Internet behind it in the simulation; it knows nothing of ${walk.cluster.config.clusterDomain}.`,
      detail: { query: { name, type: 'A' }, packet: headers(packet), answer: { rcode: 'NXDOMAIN' } },
    });
    return { kind: 'nxdomain', why: `${HOST_RESOLVER} does not know ${name}` };
  }
  const nf = traverse(kernelTables(walk.cluster.sim).get(src.node), { srcIP: packet.src, dstIP: packet.dst, dstPort: 53, protocol: 'UDP' }, walk.pick);
  const base = { query: { name, type: 'A' }, packet: headers(packet), netfilter: { summary: nf.summary, hops: nf.hops } };
  if (nf.verdict === 'REJECT') {
    walk.hop({ node: src.node, from: src.label, to: `kube-dns`, summary: `DNS A? ${name} → ${nameserver}:53: rejected (${nf.summary})`, explanation: `kube-dns has no ready CoreDNS endpoint, so kube-proxy's rules answer the query with ICMP port unreachable and the resolver gives up: "Could not resolve host".`, detail: base });
    return { kind: 'refused', why: `DNS query to ${nameserver} rejected: kube-dns has no endpoints` };
  }
  const sent = nf.dnat ? { ...packet, dst: nf.dnat.ip, dport: nf.dnat.port } : packet;
  const path = forward(walk.cluster, src.node, sent, walk.pick);
  const end = path.end;
  if (end.kind !== 'pod') {
    const why = end.kind === 'apiserver' ? 'nothing answers DNS there' : end.why;
    walk.hop({ node: src.node, from: src.label, to: 'kube-dns', summary: `DNS A? ${name} → ${nameserver}:53${nf.dnat ? ` (DNAT to ${nf.dnat.ip})` : ''}: no answer (${why})`, explanation: `The query never reached a CoreDNS pod. The resolver waits (timeout:5, attempts:2) and fails: "connection timed out; no servers could be reached".`, detail: { ...base, path: path.hops } });
    return { kind: 'timeout', why: `DNS query for ${name} got no answer: ${why}` };
  }
  const answer = coreDnsAnswer(dnsState(walk), name, walk.cluster.config.clusterDomain);
  walk.hop({
    node: src.node, from: src.label, to: `coredns/${end.pod.name}`,
    summary: `DNS A? ${name} → ${nameserver}:53 → DNAT to CoreDNS ${end.pod.ip} on ${end.node}: ${answerText(answer)}`,
    explanation: `The query is itself a packet to the kube-dns ClusterIP ${nameserver}: kube-proxy's rules on ${src.node} DNAT it to one CoreDNS pod (${end.pod.namespace}/${end.pod.name} on ${end.node}${path.encapsulation?.encapsulated ? `, through ${path.encapsulation.device}` : ''}). CoreDNS answers from the Services, EndpointSlices and pods it watches: ${answer.why}.`,
    detail: { ...base, path: path.hops.map((h) => h.summary), coredns: `${end.pod.namespace}/${end.pod.name}`, answer },
  });
  const a = answer.records.find((r) => r.type === 'A');
  return a ? { kind: 'resolved', ip: a.data, name } : { kind: 'nxdomain', why: answer.why };
}
