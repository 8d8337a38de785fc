import { describe, expect, it } from 'vitest';
import { renderNftables } from './nftables.js';
import { NODE_1, sampleServices } from './testdata.js';

describe('renderNftables', () => {
  const r = renderNftables(sampleServices(), NODE_1);

  it('dispatches through the service-ips verdict map to a per-service chain', () => {
    expect(r.ruleset).toContain('\tmap service-ips {\n\t\ttype ipv4_addr . inet_proto . inet_service : verdict\n');
    expect(r.ruleset).toMatch(/10\.96\.0\.10 \. udp \. 53 : goto service-\w{8}-kube-system\/kube-dns\/udp\/dns/);
    expect(r.ruleset).toContain('\t\tip daddr . meta l4proto . th dport vmap @service-ips\n');
  });

  it('picks an endpoint with numgen random mod N', () => {
    const line = r.ruleset.split('\n').find((l) => l.includes('numgen random mod 3') && l.includes('/udp/dns__'));
    expect(line).toMatch(/numgen random mod 3 vmap \{ 0 : goto endpoint-\w+-kube-system\/kube-dns\/udp\/dns__10\.244\.0\.2\/53, 1 : goto .*, 2 : goto .*__10\.244\.1\.4\/53 \}/);
  });

  it('DNATs in endpoint chains and marks hairpin traffic', () => {
    expect(r.ruleset).toContain('\t\tip saddr 10.244.1.4 jump mark-for-masquerade\n\t\tmeta l4proto udp dnat to 10.244.1.4:53\n');
  });

  it('rejects Services without endpoints through the no-endpoint-services map', () => {
    const empty = renderNftables([{ ...sampleServices()[4], endpoints: [] }], NODE_1);
    expect(empty.ruleset).toContain('10.96.120.15 . tcp . 80 comment "default/web:http" : goto reject-chain');
    expect(empty.ruleset).toContain('tcp . 30080 comment "default/web:http" : goto reject-chain');
    expect(empty.ruleset).not.toMatch(/chain service-\w{8}-/);
  });

  it('writes a transaction nft -f accepts in knftables syntax', () => {
    expect(r.transaction.split('\n')[0]).toBe('add table ip kube-proxy { comment "rules for kube-proxy" ; }');
    expect(r.transaction).toContain('add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }');
  });
});
