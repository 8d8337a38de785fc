import { describe, expect, it } from 'vitest';
import { Prng } from '../../sim/prng.js';
import { NODE_1, readyEndpoint, sampleServices } from './testdata.js';
import type { ServicePortModel } from './types.js';
import { renderIptables } from './iptables.js';
import { walkChains, walkIptables, type Pick } from './walk.js';

const dnsPacket = { srcIP: '10.244.1.9', dstIP: '10.96.0.10', dstPort: 53, protocol: 'UDP' as const };
const first: Pick = () => 0;
const never: Pick = (n) => n - 1;

describe('walkIptables', () => {
  it('DNATs a pod\'s DNS query to the endpoint the statistic rules pick', () => {
    expect(walkIptables(sampleServices(), NODE_1, dnsPacket, first).dnat).toEqual({ ip: '10.244.0.2', port: 53 });
    expect(walkIptables(sampleServices(), NODE_1, dnsPacket, never).dnat).toEqual({ ip: '10.244.1.4', port: 53 });
  });

  it('rolls 1/(n-i) dice in rule order and stops at the first hit', () => {
    const calls: number[] = [];
    const svc: ServicePortModel = {
      namespace: 'default', name: 'web', portName: '', protocol: 'TCP', clusterIP: '10.96.5.5', port: 80, targetPort: 80,
      endpoints: [1, 2, 3, 4].map((i) => readyEndpoint(`10.244.2.${i}`, 80, 'node-2')),
    };
    const result = walkIptables([svc], NODE_1, { srcIP: '10.244.1.9', dstIP: '10.96.5.5', dstPort: 80, protocol: 'TCP' }, (n) => {
      calls.push(n);
      return calls.length === 2 ? 0 : 1;
    });
    expect(calls).toEqual([4, 3]);
    expect(result.dnat).toEqual({ ip: '10.244.2.2', port: 80 });
    expect(result.hops.filter((h) => h.action === 'skip')).toHaveLength(1);
  });

  it('spreads connections evenly over endpoints with a seeded pick', () => {
    const prng = new Prng(42).fork('walk');
    const counts = new Map<string, number>();
    const chains = renderIptables(sampleServices(), NODE_1).chains;
    for (let i = 0; i < 3000; i++) {
      const ip = walkChains(chains, NODE_1, dnsPacket, (n) => prng.intInclusive(0, n - 1)).dnat?.ip ?? '';
      counts.set(ip, (counts.get(ip) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['10.244.0.2', '10.244.0.3', '10.244.1.4']);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(100);
  });

  it('shows the chain path: KUBE-SERVICES, KUBE-SVC, KUBE-SEP, then forwarding without SNAT', () => {
    const r = walkIptables(sampleServices(), NODE_1, dnsPacket, first);
    const jumps = r.hops.filter((h) => h.action === 'jump' || h.action === 'DNAT').map((h) => h.chain);
    expect(jumps.slice(0, 4)).toEqual(['PREROUTING', 'KUBE-SERVICES', 'KUBE-SVC-TCOU7JCQXEZGVUNU', expect.stringMatching(/^KUBE-SEP-/)]);
    expect(r.path).toBe('forward');
    expect(r.verdict).toBe('ACCEPT');
    expect(r.masqueraded).toBe(false);
    expect(r.packet).toEqual({ srcIP: '10.244.1.9', dstIP: '10.244.0.2', dstPort: 53, protocol: 'UDP' });
  });

  it('masquerades NodePort traffic from outside the cluster', () => {
    const r = walkIptables(sampleServices(), NODE_1, { srcIP: '192.168.56.1', dstIP: '192.168.56.11', dstPort: 30080, protocol: 'TCP' }, never);
    expect(r.dnat).toEqual({ ip: '10.244.2.9', port: 8080 });
    expect(r.masqueraded).toBe(true);
    expect(r.packet.srcIP).toBe('192.168.56.11');
    expect(r.hops.map((h) => h.chain)).toContain('KUBE-NODEPORTS');
  });

  it('masquerades a pod that reaches itself through its Service (hairpin)', () => {
    const r = walkIptables(sampleServices(), NODE_1, { ...dnsPacket, srcIP: '10.244.0.2' }, first);
    expect(r.dnat?.ip).toBe('10.244.0.2');
    expect(r.masqueraded).toBe(true);
  });

  it('REJECTs in the filter table when the Service has no endpoints', () => {
    const empty: ServicePortModel = { ...sampleServices()[4], endpoints: [] };
    const r = walkIptables([empty], NODE_1, { srcIP: '10.244.1.9', dstIP: '10.96.120.15', dstPort: 80, protocol: 'TCP' }, first);
    expect(r.verdict).toBe('REJECT');
    expect(r.dnat).toBeUndefined();
    expect(r.hops.at(-1)).toMatchObject({ table: 'filter', chain: 'KUBE-SERVICES', action: 'REJECT' });
  });

  it('walks the node\'s own traffic through OUTPUT', () => {
    const r = walkIptables(sampleServices(), NODE_1, { ...dnsPacket, srcIP: NODE_1.nodeIP }, first);
    expect(r.path).toBe('output');
    expect(r.hops[0]).toMatchObject({ table: 'nat', chain: 'OUTPUT', action: 'hook' });
    expect(r.masqueraded).toBe(true); // the node's address is outside the cluster CIDR
  });
});
