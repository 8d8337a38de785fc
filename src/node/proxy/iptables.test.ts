import { describe, expect, it } from 'vitest';
import { computeProbability } from './iptables-proxier.js';
import { renderIptables } from './iptables.js';
import { savedProbability } from './iptables-save.js';
import { NODE_1, readyEndpoint, sampleServices } from './testdata.js';
import type { ServicePortModel } from './types.js';

const lines = (text: string): string[] => text.split('\n');
const withEndpoints = (n: number): ServicePortModel => ({
  namespace: 'default', name: 'web', portName: 'http', protocol: 'TCP', clusterIP: '10.96.120.15', port: 80, targetPort: 8080,
  endpoints: Array.from({ length: n }, (_, i) => readyEndpoint(`10.244.2.${10 + i}`, 8080, 'node-2')),
});

describe('probabilities', () => {
  it('print 1/(n-i) with %0.10f as kube-proxy writes them', () => {
    expect([1, 2, 3, 4, 5].map(computeProbability)).toEqual(['1.0000000000', '0.5000000000', '0.3333333333', '0.2500000000', '0.2000000000']);
  });

  it('give rule i of n the probability 1/(n-i), and none to the last rule', () => {
    for (let n = 1; n <= 5; n++) {
      const svc = lines(renderIptables([withEndpoints(n)], NODE_1).restore).filter((l) => l.includes('-> 10.244.2.'));
      expect(svc).toHaveLength(n);
      svc.forEach((rule, i) => {
        if (i < n - 1) expect(rule).toContain(`--probability ${computeProbability(n - i)} -j KUBE-SEP-`);
        else expect(rule).not.toContain('statistic');
      });
    }
  });

  it('read back from the kernel as iptables-save prints them (31-bit fixed point)', () => {
    expect(savedProbability('0.3333333333')).toBe('0.33333333349');
    expect(savedProbability('0.5000000000')).toBe('0.50000000000');
    const save = renderIptables([withEndpoints(3)], NODE_1).save;
    expect(save).toContain('-m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-');
  });
});

describe('nat table', () => {
  const r = renderIptables(sampleServices(), NODE_1);

  it('captures each ClusterIP in KUBE-SERVICES and ends with the NodePorts rule', () => {
    const services = lines(r.nat).filter((l) => l.startsWith('-A KUBE-SERVICES'));
    expect(services).toContain(
      '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y',
    );
    expect(services.at(-1)).toBe(
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    );
  });

  it('masquerades off-cluster traffic to a ClusterIP before picking an endpoint', () => {
    const svc = lines(r.nat).filter((l) => l.startsWith('-A KUBE-SVC-TCOU7JCQXEZGVUNU'));
    expect(svc[0]).toBe(
      '-A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ',
    );
    expect(svc).toHaveLength(4);
  });

  it('writes a hairpin masquerade and a DNAT per endpoint', () => {
    const sep = lines(r.nat).filter((l) => l.includes('--to-destination 10.244.1.4:53') || l.includes('-s 10.244.1.4/32'));
    expect(sep.some((l) => /^-A KUBE-SEP-\w+ -s 10\.244\.1\.4\/32 -m comment --comment "kube-system\/kube-dns:dns" -j KUBE-MARK-MASQ$/.test(l))).toBe(true);
    expect(sep.some((l) => /^-A KUBE-SEP-\w+ -p udp -m comment --comment "kube-system\/kube-dns:dns" -m udp -j DNAT --to-destination 10\.244\.1\.4:53$/.test(l))).toBe(true);
  });

  it('sends NodePort traffic through KUBE-EXT, which marks it for SNAT', () => {
    expect(r.nat).toMatch(/-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/web:http" -m tcp --dport 30080 -j (KUBE-EXT-\w+)/);
    expect(r.nat).toMatch(/-A KUBE-EXT-\w+ -m comment --comment "masquerade traffic for default\/web:http external destinations" -j KUBE-MARK-MASQ/);
  });

  it('marks and masquerades with bit 14 as iptables-save prints it', () => {
    expect(r.nat).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000');
    expect(r.nat).toContain('-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN');
    expect(r.nat).toContain('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0');
    expect(r.restore).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000');
  });
});

describe('filter table', () => {
  it('REJECTs a Service with no endpoints and writes no nat chain for it', () => {
    const empty: ServicePortModel = { ...withEndpoints(0), name: 'empty', nodePort: 30081 };
    const r = renderIptables([empty], NODE_1);
    expect(r.filter).toContain(
      '-A KUBE-SERVICES -d 10.96.120.15/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    );
    expect(r.filter).toContain('-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/empty:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30081 -j REJECT');
    expect(r.nat).not.toContain('KUBE-SVC-');
  });

  it('keeps kube-proxy\'s forwarding rules and the jumps from the built-in chains', () => {
    const r = renderIptables([], NODE_1);
    expect(lines(r.filter).filter((l) => l.startsWith('-A FORWARD'))).toEqual([
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    ]);
    expect(r.filter).toContain('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT');
  });
});

describe('traffic policies', () => {
  it('externalTrafficPolicy Local adds a KUBE-SVL chain with only this node\'s endpoints', () => {
    const web = { ...sampleServices()[4], externalTrafficPolicy: 'Local' as const };
    const nat = renderIptables([web], NODE_1).nat;
    const svl = lines(nat).filter((l) => l.startsWith('-A KUBE-SVL-'));
    expect(svl).toHaveLength(1);
    expect(svl[0]).toContain('"default/web:http -> 10.244.1.7:8080"');
    expect(nat).toContain('masquerade LOCAL traffic for default/web:http external destinations');
    expect(nat).toMatch(/-A (KUBE-EXT-\w+) -j KUBE-SVL-/);
  });

  it('internalTrafficPolicy Local with no local endpoint DROPs ClusterIP traffic', () => {
    const remoteOnly = { ...withEndpoints(2), internalTrafficPolicy: 'Local' as const };
    const r = renderIptables([remoteOnly], NODE_1);
    expect(r.filter).toContain('"default/web:http has no local endpoints" -m tcp --dport 80 -j DROP');
  });

  it('falls back to serving terminating endpoints when none is ready', () => {
    const draining = { ...withEndpoints(1), endpoints: [{ ...readyEndpoint('10.244.2.10', 8080, 'node-2'), ready: false, terminating: true }] };
    expect(renderIptables([draining], NODE_1).nat).toContain('--to-destination 10.244.2.10:8080');
    const gone = { ...draining, endpoints: [{ ...draining.endpoints[0], serving: false }] };
    expect(renderIptables([gone], NODE_1).filter).toContain('has no endpoints');
  });
});

describe('determinism', () => {
  it('renders the same text whatever order Services and endpoints arrive in', () => {
    const a = sampleServices();
    const b = [...sampleServices()].reverse().map((s) => ({ ...s, endpoints: [...s.endpoints].reverse() }));
    expect(renderIptables(b, NODE_1).save).toBe(renderIptables(a, NODE_1).save);
  });

  it('orders iptables-save tables as the chosen backend prints them', () => {
    const tables = (backend: 'nft' | 'legacy'): string[] =>
      lines(renderIptables([], { ...NODE_1, iptablesBackend: backend }).save).filter((l) => l.startsWith('*'));
    expect(tables('nft')).toEqual(['*mangle', '*filter', '*nat']);
    expect(tables('legacy')).toEqual(['*filter', '*nat', '*mangle']);
  });
});
