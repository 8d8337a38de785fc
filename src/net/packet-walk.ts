import type { Cluster } from '../cluster/cluster.js';
import type { Prng } from '../sim/prng.js';
import { kernelTables } from '../node/network/index.js';
import { forward, headers, type Packet, type PathEnd } from './data-path.js';
import { traverse } from './netfilter.js';
import { isIPv4 } from './routing.js';
import { resolve } from './walk-dns.js';
import { parseTarget, resolveSource, WalkContext, type Source } from './walk-context.js';

/**
 * The `request` action: one connection from a pod or node to a URL, hop by hop. DNS first (each
 * query a packet of its own), then the first packet of the TCP connection: the netfilter rules
 * kube-proxy programmed on the sender's node, the routing decision, the plugin's way to the other
 * node, arrival, delivery into the pod, and the reply that conntrack un-NATs. The outcome is what
 * curl would report: success, refused, timeout or nxdomain.
 */
export type RequestResult = 'success' | 'refused' | 'timeout' | 'nxdomain';

/** What one request ended as, kept on the cluster for expectations and views. */
export interface RequestOutcome {
  readonly atMs: number;
  readonly from: string;
  readonly to: string;
  readonly result: RequestResult;
  /** One line: why it ended this way. */
  readonly reason: string;
  readonly resolvedIP?: string;
  /** Where the connection was sent after DNAT (and, when it arrived, the pod and node). */
  readonly endpoint?: { readonly ip: string; readonly port: number; readonly node?: string; readonly pod?: string };
  /** Steps recorded for it (empty for a quiet probe). */
  readonly steps: readonly number[];
}

/** How to walk: the seeded stream for the random picks, and whether to record steps. */
export interface WalkOptions {
  readonly prng: Prng;
  /** False for a probe that only checks an expectation: nothing is recorded. */
  readonly record: boolean;
}

/** Walks one request from `from` (pod/NAME or node/NAME) to the URL `to`, now. */
export function walkRequest(cluster: Cluster, from: string, to: string, options: WalkOptions): RequestOutcome {
  const walk = new WalkContext(cluster, from, to, options.prng, options.record);
  const done = (result: RequestResult, reason: string, extra: Partial<RequestOutcome> = {}): RequestOutcome => {
    walk.hop({
      from, to, summary: `request ${from} → ${to}: ${result}`,
      explanation: `${reason}.`,
      detail: { result },
      ...(extra.endpoint?.node ? { node: extra.endpoint.node } : {}),
    });
    return { atMs: cluster.sim.nowMs, from, to, result, reason, steps: walk.steps, ...extra };
  };
  const target = parseTarget(to);
  if (!target) return done('timeout', `${to} is not a URL`);
  const src = resolveSource(cluster, from);
  if ('error' in src) return done('timeout', `${from} cannot send anything: ${src.error}`);
  let ip = target.host;
  if (!isIPv4(target.host)) {
    const dns = resolve(walk, src, target.host);
    if (dns.kind !== 'resolved') return done(dns.kind, dns.why);
    ip = dns.ip;
  }
  return connect(walk, src, ip, target.port, done);
}

type Done = (result: RequestResult, reason: string, extra?: Partial<RequestOutcome>) => RequestOutcome;

function connect(walk: WalkContext, src: Source, ip: string, port: number, done: Done): RequestOutcome {
  const { cluster } = walk;
  const packet: Packet = { src: src.ip, sport: walk.ephemeralPort(), dst: ip, dport: port, proto: 'TCP' };
  const nf = traverse(kernelTables(cluster.sim).get(src.node), { srcIP: packet.src, dstIP: ip, dstPort: port, protocol: 'TCP' }, walk.pick);
  walk.hop({
    node: src.node, from: src.label, to: `netfilter/${src.node}`,
    summary: `SYN ${packet.src}:${packet.sport} → ${ip}:${port} on ${src.node}: ${nf.summary}`,
    explanation: `${src.label} connects to ${ip}:${port}. Its first packet (SYN) leaves ${src.kind === 'pod' ? 'the pod through its veth and enters the node\'s nat PREROUTING' : 'through the node\'s nat OUTPUT'} chain, where kube-proxy's rules match the ClusterIP${nf.candidates ? ` and pick one of ${nf.candidates} endpoints at random (the seeded draw decides which)` : ''}. The kernel rewrites the destination (DNAT) and records the translation in conntrack, so the rest of the connection follows without these rules.`,
    detail: { packet: headers(packet), netfilter: nf.hops, dnat: nf.dnat, masqueraded: nf.masqueraded, service: nf.service },
  });
  if (nf.verdict === 'REJECT') {
    return done('refused', `${nf.summary}: the REJECT answers the SYN with ICMP port unreachable and connect() fails with "Connection refused"`, { resolvedIP: ip });
  }
  const sent: Packet = { ...packet, dst: nf.dnat?.ip ?? ip, dport: nf.dnat?.port ?? port, src: nf.masqueraded ? cluster.nodes.get(src.node)!.host.address : packet.src };
  const path = forward(cluster, src.node, sent, walk.pick);
  for (const hop of path.hops) walk.hop(hop);
  return finish(walk, src, packet, sent, path.end, done, ip);
}

function finish(walk: WalkContext, src: Source, original: Packet, sent: Packet, end: PathEnd, done: Done, ip: string): RequestOutcome {
  const target = { ip: sent.dst, port: sent.dport };
  if (end.kind === 'lost') return done('timeout', `the SYN is lost (${end.why}); the client retransmits it (1s, 3s, 7s, ...) and gives up with a connection timeout`, { resolvedIP: ip, endpoint: target });
  if (end.kind === 'refused') return done('refused', end.why, { resolvedIP: ip, endpoint: target });
  const endpoint = end.kind === 'pod'
    ? { ip: sent.dst, port: sent.dport, node: end.node, pod: `${end.pod.namespace}/${end.pod.name}` }
    : { ip: sent.dst, port: sent.dport };
  const conntrack = `tcp      6 431999 ESTABLISHED src=${original.src} dst=${original.dst} sport=${original.sport} dport=${original.dport} src=${sent.dst} dst=${sent.src} sport=${sent.dport} dport=${sent.sport} [ASSURED] mark=0 use=1`;
  const natted = sent.dst !== original.dst || sent.dport !== original.dport;
  walk.hop({
    node: src.node, from: end.kind === 'pod' ? `pod/${end.pod.name}` : 'kube-apiserver', to: src.label,
    summary: `SYN-ACK ${sent.dst}:${sent.dport} → ${sent.src}:${sent.sport}${natted ? `; conntrack on ${src.node} rewrites the source back to ${original.dst}:${original.dport}` : ''}`,
    explanation: `The reply travels the same way back. ${natted ? `On ${src.node}, conntrack matches it to the connection it recorded at the DNAT and rewrites its source from ${sent.dst}:${sent.dport} to ${original.dst}:${original.dport}, so the client sees an answer from the address it connected to and the handshake completes.` : 'No address was translated, so nothing needs undoing.'}`,
    detail: { packet: { src: sent.dst, sport: sent.dport, dst: sent.src, dport: sent.sport, proto: 'TCP' }, unNATed: natted ? { src: original.dst, sport: original.dport } : undefined, conntrack },
  });
  const where = end.kind === 'pod' ? `${endpoint.pod} (${sent.dst}:${sent.dport}) on ${end.node}` : `kube-apiserver at ${sent.dst}:${sent.dport}`;
  return done('success', `connected to ${where}`, { resolvedIP: ip, endpoint });
}
