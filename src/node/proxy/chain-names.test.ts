import { describe, expect, it } from 'vitest';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CHAIN_NAME_MEMO_SIZE, CHAIN_PREFIX, base32Std, chainNameMemoSize, nftEndpointChainBase, nftServiceChainBase, servicePortChainName, servicePortEndpointChainName } from './chain-names.js';

describe('base32Std', () => {
  it('encodes the RFC 4648 test vectors with padding', () => {
    const vectors: [string, string][] = [
      ['', ''], ['f', 'MY======'], ['fo', 'MZXQ===='], ['foo', 'MZXW6==='],
      ['foob', 'MZXW6YQ='], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI======'],
    ];
    for (const [input, output] of vectors) expect(base32Std(utf8ToBytes(input))).toBe(output);
  });
});

describe('iptables chain names', () => {
  it('match the names seen on real clusters (facts §4.2)', () => {
    expect(servicePortChainName(CHAIN_PREFIX.cluster, 'default/kubernetes:https', 'tcp')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(servicePortChainName(CHAIN_PREFIX.cluster, 'kube-system/kube-dns:dns', 'udp')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
    expect(servicePortChainName(CHAIN_PREFIX.cluster, 'kube-system/kube-dns:dns-tcp', 'tcp')).toBe('KUBE-SVC-ERIFXISQEP7F7OF4');
    expect(servicePortChainName(CHAIN_PREFIX.cluster, 'kube-system/kube-dns:metrics', 'tcp')).toBe('KUBE-SVC-JD5MR3NA4I4DYORP');
  });

  it('match kube-proxy unit test expectations for ns1/svc1:p80 and its endpoint', () => {
    expect(servicePortChainName(CHAIN_PREFIX.cluster, 'ns1/svc1:p80', 'tcp')).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(servicePortEndpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });

  it('share the hash across SVC/SVL/EXT/FW and fit the 28-character limit', () => {
    const names = Object.values(CHAIN_PREFIX).map((p) => servicePortChainName(p, 'default/web:http', 'TCP'));
    const hashes = new Set(names.slice(0, 4).map((n) => n.split('-').pop()));
    expect(hashes.size).toBe(1);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(28);
  });

  it('are remembered up to a bound: more names than it holds, and the first still comes out right', () => {
    const endpoint = (i: number): string => servicePortEndpointChainName('default/web:http', 'tcp', `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:8080`);
    const first = endpoint(0);
    for (let i = 1; i <= CHAIN_NAME_MEMO_SIZE + 100; i++) endpoint(i);
    expect(chainNameMemoSize()).toBe(CHAIN_NAME_MEMO_SIZE);
    expect(endpoint(0)).toBe(first);
    expect(servicePortEndpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });
});

describe('nftables chain names', () => {
  it('match the examples in pkg/proxy/nftables/proxier.go comments', () => {
    expect(nftServiceChainBase('ns1', 'svc1', 'TCP', 'p80')).toBe('ULMVA6XW-ns1/svc1/tcp/p80');
    expect(nftEndpointChainBase('ns1', 'svc1', 'TCP', 'p80', '10.180.0.1', 80)).toBe('5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
  });
});
