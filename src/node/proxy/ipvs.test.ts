import { describe, expect, it } from 'vitest';
import { renderIpvs } from './ipvs.js';
import { NODE_1, sampleServices } from './testdata.js';

describe('renderIpvs', () => {
  const r = renderIpvs(sampleServices(), NODE_1);

  it('prints ipvsadm -Ln with rr virtual servers and Masq real servers of weight 1', () => {
    const lines = r.ipvsadm.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
    ]);
    expect(lines[3]).toBe('TCP  10.96.0.1:443 rr');
    expect(lines[4]).toBe('  -> 192.168.56.10:6443           Masq    1      0          0');
    expect(lines).toContain('UDP  10.96.0.10:53 rr');
    expect(lines).toContain('TCP  192.168.56.11:30080 rr');
  });

  it('lists TCP before UDP, then addresses numerically, as ipvsadm sorts them', () => {
    const services = r.ipvsadm.split('\n').filter((l) => /^(TCP|UDP)/.test(l));
    expect(services).toEqual([
      'TCP  10.96.0.1:443 rr', 'TCP  10.96.0.10:53 rr', 'TCP  10.96.0.10:9153 rr', 'TCP  10.96.120.15:80 rr',
      'TCP  192.168.56.11:30080 rr', 'UDP  10.96.0.10:53 rr',
    ]);
  });

  it('binds every ClusterIP once to kube-ipvs0', () => {
    expect(r.dummyAddresses).toEqual(['10.96.0.1/32', '10.96.0.10/32', '10.96.120.15/32']);
    expect(r.dummyInterface).toContain('kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN');
    expect(r.dummyInterface).toContain('    inet 10.96.0.10/32 scope global kube-ipvs0');
  });

  it('fills the ipsets kube-proxy matches in its few iptables rules', () => {
    const set = (name: string): readonly string[] => r.ipsets.find((s) => s.name === name)?.entries ?? [];
    expect(r.ipsets.map((s) => s.name)).toContain('KUBE-LOAD-BALANCER-SOURCE-CIDR');
    expect(set('KUBE-CLUSTER-IP')).toContain('10.96.0.10,udp:53');
    expect(set('KUBE-LOOP-BACK')).toEqual(['10.244.1.4,tcp:53,10.244.1.4', '10.244.1.4,tcp:9153,10.244.1.4', '10.244.1.4,udp:53,10.244.1.4', '10.244.1.7,tcp:8080,10.244.1.7']);
    expect(set('KUBE-NODE-PORT-TCP')).toEqual(['30080']);
    expect(set('KUBE-NODE-PORT-LOCAL-TCP')).toEqual([]);
  });

  it('gives a Service with no endpoints a virtual server with no real servers', () => {
    const empty = renderIpvs([{ ...sampleServices()[4], endpoints: [] }], NODE_1);
    expect(empty.virtualServers[0].realServers).toEqual([]);
  });
});
