import { describe, expect, it } from 'vitest';
import { clusterFirstResolvConf, coreDnsAnswer, hostResolvConf, queryOrder, type DnsState } from './dns.js';

const resolv = clusterFirstResolvConf('default', 'cluster.local', '10.96.0.10');

describe("a ClusterFirst pod's resolv.conf", () => {
  it('is the file the kubelet writes: search list from the namespace, kube-dns as nameserver, ndots:5', () => {
    expect(resolv.text).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('makes the resolver try the search list first for names with fewer than 5 dots', () => {
    expect(queryOrder('web', resolv)).toEqual(['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
    expect(queryOrder('web.default.svc.cluster.local', resolv)).toEqual([
      'web.default.svc.cluster.local.default.svc.cluster.local', 'web.default.svc.cluster.local.svc.cluster.local',
      'web.default.svc.cluster.local.cluster.local', 'web.default.svc.cluster.local',
    ]);
  });

  it('asks for a name with 5 dots, or a trailing dot, as is first', () => {
    expect(queryOrder('a.b.c.d.e.f', resolv)[0]).toBe('a.b.c.d.e.f');
    expect(queryOrder('web.default.svc.cluster.local.', resolv)).toEqual(['web.default.svc.cluster.local']);
  });

  it('differs from the node resolver, which has no search list', () => {
    expect(queryOrder('web', hostResolvConf())).toEqual(['web']);
  });
});

describe("CoreDNS's answers", () => {
  const state: DnsState = {
    services: [
      { metadata: { namespace: 'default', name: 'web' }, spec: { clusterIP: '10.96.12.34' } },
      { metadata: { namespace: 'default', name: 'db' }, spec: { clusterIP: 'None' } },
      { metadata: { namespace: 'default', name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } },
    ],
    endpointSlices: [{
      metadata: { namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } },
      endpoints: [
        { addresses: ['10.244.2.7'], conditions: { ready: true } },
        { addresses: ['10.244.1.5'], conditions: { ready: true } },
        { addresses: ['10.244.1.9'], conditions: { ready: false } },
      ],
    }],
  };
  const answer = (name: string) => coreDnsAnswer(state, name, 'cluster.local');

  it('gives a Service its ClusterIP', () => {
    expect(answer('web.default.svc.cluster.local')).toMatchObject({ rcode: 'NOERROR', records: [{ type: 'A', data: '10.96.12.34', ttl: 30 }] });
  });
  it('gives a headless Service one A record per ready endpoint', () => {
    expect(answer('db.default.svc.cluster.local').records.map((r) => r.data)).toEqual(['10.244.1.5', '10.244.2.7']);
  });
  it('answers pod records from the name itself (pods insecure)', () => {
    expect(answer('10-244-1-5.default.pod.cluster.local').records).toEqual([{ name: '10-244-1-5.default.pod.cluster.local', type: 'A', ttl: 30, data: '10.244.1.5' }]);
  });
  it('gives an ExternalName Service a CNAME', () => {
    expect(answer('ext.default.svc.cluster.local').records[0]).toMatchObject({ type: 'CNAME', data: 'example.com' });
  });
  it('says NXDOMAIN for unknown Services, other namespaces, search-list misses and names outside the cluster', () => {
    for (const name of ['nope.default.svc.cluster.local', 'web.other.svc.cluster.local', 'web.default.svc.cluster.local.svc.cluster.local', 'example.com']) {
      expect(answer(name).rcode).toBe('NXDOMAIN');
    }
  });
});
