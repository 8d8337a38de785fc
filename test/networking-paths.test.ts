import { describe, expect, it } from 'vitest';
import type { Cluster } from '../src/cluster/cluster.js';
import { CniPodNetwork, kernelTables } from '../src/node/network/index.js';
import { requestOutcomes } from '../src/net/requests.js';
import { evaluateRequestExpectation } from '../src/net/request-expectation.js';
import type { Expectation } from '../src/scenario/index.js';
import { builtin, playNetworked, variant, walkSteps } from './networking-helpers.js';

type Obj = Record<string, any>;
const REQUEST_AT = 120_000;

function routesOf(cluster: Cluster, node: string): readonly string[] {
  return (cluster.nodes.get(node)!.network as CniPodNetwork).routes();
}

function crossing(cluster: Cluster): Obj {
  const step = walkSteps(cluster, REQUEST_AT).find((s) => s.from === 'kernel/worker-1' && s.to === 'kernel/worker-2');
  return step!.detail as Obj;
}

/** The route worker-1 used for the connection's first packet. */
function webSubnetRoute(cluster: Cluster): string {
  const ip = requestOutcomes(cluster)[0].endpoint!.ip;
  return (walkSteps(cluster, REQUEST_AT).find((s) => s.summary.startsWith(`routing on worker-1: ${ip} `))!.detail as Obj).route as string;
}

describe('switching the plugin changes the routes and the encapsulation hop', () => {
  const cases: { name: string; cluster: () => Cluster; route: RegExp; mode: string; outer?: Obj; extra?: (c: Cluster) => void }[] = [
    { name: 'flannel vxlan', cluster: () => playNetworked(builtin('service-networking'), REQUEST_AT + 1), route: /^10\.244\.1\.0\/24 via 10\.244\.1\.0 dev flannel\.1 onlink$/, mode: 'vxlan', outer: { protocol: 'UDP', dstPort: 8472, vni: 1 } },
    {
      name: 'flannel host-gw', cluster: () => playNetworked(variant('service-networking', ['backend: vxlan', 'backend: host-gw']), REQUEST_AT + 1),
      route: /^10\.244\.1\.0\/24 via 172\.18\.0\.12 dev eth0$/, mode: 'routed',
      extra: (c) => expect(routesOf(c, 'worker-1').some((r) => r.includes('flannel.1'))).toBe(false),
    },
    {
      name: 'calico bgp', cluster: () => playNetworked(builtin('calico-bgp'), REQUEST_AT + 1),
      route: /^192\.168\.\d+\.\d+\/26 via 172\.18\.0\.12 dev eth0 proto bird$/, mode: 'routed',
      extra: (c) => {
        expect(routesOf(c, 'worker-1').some((r) => /^blackhole 192\.168\.\d+\.\d+\/26 proto bird$/.test(r))).toBe(true);
        expect(c.sim.recorder.steps.some((s) => s.summary.startsWith('BGP session worker-1 ↔ worker-2 Established (TCP 179'))).toBe(true);
      },
    },
    { name: 'calico ipip', cluster: () => playNetworked(variant('calico-bgp', ['backend: bgp', 'backend: ipip']), REQUEST_AT + 1), route: /^192\.168\.\d+\.\d+\/26 via 172\.18\.0\.12 dev tunl0 proto bird onlink$/, mode: 'ipip', outer: { protocol: 'IPIP', ipProtocol: 4 } },
    { name: 'weave fastdp', cluster: () => playNetworked(builtin('weave-mesh'), REQUEST_AT + 1), route: /^10\.32\.0\.0\/12 dev weave proto kernel scope link src 10\.(32\.0\.1|40\.0\.0)$/, mode: 'vxlan', outer: { protocol: 'UDP', dstPort: 6784 } },
    { name: 'weave sleeve', cluster: () => playNetworked(variant('weave-mesh', ['backend: fastdp', 'backend: sleeve']), REQUEST_AT + 1), route: /^10\.32\.0\.0\/12 dev weave/, mode: 'sleeve', outer: { protocol: 'UDP', dstPort: 6783 } },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.mode}`, () => {
      const cluster = c.cluster();
      expect(requestOutcomes(cluster)[0]).toMatchObject({ result: 'success', endpoint: { node: 'worker-2' } });
      expect(webSubnetRoute(cluster)).toMatch(c.route);
      const hop = crossing(cluster);
      expect(hop.mode).toBe(c.mode);
      if (c.outer) expect(hop.outer).toMatchObject({ ...c.outer, srcIP: '172.18.0.11', dstIP: '172.18.0.12' });
      else expect(hop.outer).toBeUndefined();
      const daemon = cluster.sim.recorder.steps.filter((s) => s.kind === 'request' && /^(kube-flannel|calico-node|weave-net)\//.test(s.from));
      expect(daemon.length).toBeGreaterThan(0);
      expect(daemon.filter((s) => !(s.status! >= 200 && s.status! < 300) && s.status !== 404)).toEqual([]);
      c.extra?.(cluster);
    });
  }
});

describe('no-endpoints: refused, and nxdomain for a name that does not exist', () => {
  const scenario = builtin('no-endpoints');
  const cluster = playNetworked(scenario);
  it('refuses at once on the client node, with the REJECT kube-proxy wrote', () => {
    const [refused, nx] = requestOutcomes(cluster);
    expect(refused.result).toBe('refused');
    expect(refused.reason).toContain('default/api has no endpoints');
    const rules = kernelTables(cluster.sim).get('worker-1')!.text;
    expect(rules).toMatch(/-A KUBE-SERVICES -d 10\.\d+\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/api has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable/);
    expect(walkSteps(cluster, REQUEST_AT).some((s) => s.from === 'kernel/worker-1' && s.to === 'kernel/worker-2')).toBe(false);
    expect(nx.result).toBe('nxdomain');
    expect(walkSteps(cluster, REQUEST_AT + 10_000).filter((s) => s.summary.startsWith('DNS A?')).every((s) => (s.detail as Obj).answer.rcode === 'NXDOMAIN')).toBe(true);
  });
  it('passes both request expectations', () => {
    for (const e of scenario.spec.expect.filter((x) => x.kind === 'request')) {
      expect(evaluateRequestExpectation(cluster, e as Extract<Expectation, { kind: 'request' }>).pass).toBe(true);
    }
  });
  for (const mode of ['ipvs', 'nftables']) {
    it(`is refused in ${mode} mode too`, () => {
      const c = playNetworked(variant('no-endpoints', ['      backend: vxlan\n', `      backend: vxlan\n    kubeProxy: { mode: ${mode} }\n`]), REQUEST_AT + 1);
      expect(requestOutcomes(c)[0].result).toBe('refused');
    });
  }
});

/** service-networking with the web Service at a fixed ClusterIP, its own timeline and other edits. */
function cut(timeline: string, ...more: [string | RegExp, string][]): Cluster {
  return playNetworked(variant('service-networking',
    ['        selector: { app: web }\n', '        clusterIP: 10.96.100.100\n        selector: { app: web }\n'],
    [/  timeline:\n[\s\S]*?\n  expect:/, `  timeline:\n${timeline}    - { at: 2m, action: request, from: pod/client, to: "http://10.96.100.100:80" }\n  expect:`],
    ...more,
  ), REQUEST_AT + 1);
}

const BRIDGE: [string, string] = ['      plugin: flannel\n      backend: vxlan\n', '      plugin: bridge\n      backend: host-gw\n'];

describe('a cut path times out', () => {
  it('when the destination node is partitioned', () => {
    const c = cut('    - { at: 110s, action: partition, node: worker-2 }\n');
    expect(requestOutcomes(c)[0]).toMatchObject({ result: 'timeout' });
    expect(requestOutcomes(c)[0].reason).toContain('worker-2 is partitioned');
  });
  it('when the destination node has crashed', () => {
    const c = cut('    - { at: 119s, action: crash-node, node: worker-2 }\n');
    expect(requestOutcomes(c)[0].result).toBe('timeout');
    expect(requestOutcomes(c)[0].reason).toContain('worker-2 is down');
  });
  it("when a stopped kube-proxy's rules still point at a pod that is gone", () => {
    const c = cut('    - { at: 90s, action: stop-kube-proxy, node: worker-1 }\n    - { at: 95s, action: scale, target: deployment/web, replicas: 0 }\n');
    const outcome = requestOutcomes(c)[0];
    expect(outcome.result).toBe('timeout');
    expect(outcome.reason).toContain('any more');
    const stale = c.nodes.get('worker-1')!.kubeProxy!.lastRender!.text;
    expect(stale).toContain(`-j DNAT --to-destination ${outcome.endpoint!.ip}:80`);
    expect(kernelTables(c.sim).get('worker-2')!.text).toContain('"default/web:http has no endpoints"');
    const del = c.sim.recorder.steps.find((s) => s.summary.startsWith('CNI DEL default/web-') && (s.detail as Obj).releasedIPs.includes(outcome.endpoint!.ip));
    expect(del?.node).toBe('worker-2');
    expect((del!.detail as Obj).env.CNI_COMMAND).toBe('DEL');
  });
});

describe('start-kube-proxy resyncs', () => {
  it('a restarted kube-proxy lists again and programs what changed while it was away', () => {
    const c = cut('    - { at: 90s, action: stop-kube-proxy, node: worker-1 }\n    - { at: 95s, action: scale, target: deployment/web, replicas: 0 }\n    - { at: 105s, action: start-kube-proxy, node: worker-1 }\n');
    const outcome = requestOutcomes(c)[0];
    expect(outcome.result).toBe('refused');
    const rules = c.nodes.get('worker-1')!.kubeProxy!.lastRender!.text;
    expect(rules).toContain('"default/web:http has no endpoints"');
    expect(rules).not.toMatch(/default\/web:http.* -j DNAT/);
    const relist = c.sim.recorder.steps.find((s) => s.from === 'kube-proxy/worker-1' && s.t >= 105_000 && s.method === 'GET' && s.path!.startsWith('/apis/discovery.k8s.io/v1/endpointslices') && !s.path!.includes('watch=true'));
    expect(relist?.status).toBe(200);
  });
});

describe('the bridge plugin connects pods on one node only', () => {
  it('delivers through cni0 on a single node, with a conflist containerd rendered from the pod CIDR', () => {
    const c = cut('', BRIDGE, ['    - name: worker-1\n    - name: worker-2\n', '    - name: worker-1\n'],
      [/nodeSelector: \{ kubernetes\.io\/hostname: worker-2 \}/, 'nodeSelector: { kubernetes.io/hostname: worker-1 }'],
      [/    - by: 1m\n      wait: node\/worker-2\n      for: condition=Ready\n/, '']);
    expect(requestOutcomes(c)[0]).toMatchObject({ result: 'success', endpoint: { node: 'worker-1' } });
    expect(c.sim.recorder.steps.find((s) => s.summary.startsWith('/etc/cni/net.d/10-bridge.conflist written'))!.from).toBe('containerd/worker-1');
    expect(walkSteps(c, REQUEST_AT).some((s) => /delivers to default\/web-.* via cni0 → veth[0-9a-f]{8}$/.test(s.summary))).toBe(true);
    expect(c.sim.recorder.steps.some((s) => s.from.startsWith('kube-flannel/'))).toBe(false);
  });
  it('cannot reach a pod on another node: the packet follows the default route and is lost', () => {
    const c = cut('', BRIDGE);
    expect(requestOutcomes(c)[0].result).toBe('timeout');
    expect(requestOutcomes(c)[0].reason).toContain('default gateway');
  });
});
