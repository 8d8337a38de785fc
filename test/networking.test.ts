import { describe, expect, it } from 'vitest';
import type { Step } from '../src/sim/trace.js';
import { servicePortChainName, servicePortEndpointChainName } from '../src/node/proxy/index.js';
import { requestOutcomes } from '../src/net/requests.js';
import { evaluateRequestExpectation } from '../src/net/request-expectation.js';
import type { Expectation } from '../src/scenario/index.js';
import { builtin, playNetworked, walkSteps } from './networking-helpers.js';

type Obj = Record<string, any>;
const REQUEST_AT = 120_000;

describe('service-networking: flannel VXLAN, a Service, a cross-node request', () => {
  const scenario = builtin('service-networking');
  const cluster = playNetworked(scenario);
  const steps = cluster.sim.recorder.steps;
  const node = (name: string): Obj => cluster.store.get(`/registry/minions/${name}`)!.value as Obj;
  const webPods = (): Obj[] => cluster.store.range('/registry/pods/default/').map((kv) => kv.value as Obj).filter((p) => p.metadata.labels?.app === 'web');

  it('keeps a node NotReady (NetworkPluginNotReady) until flannel has written its conflist', () => {
    const conflist = steps.find((s) => s.node === 'worker-1' && s.summary.startsWith('/etc/cni/net.d/10-flannel.conflist written'))!;
    expect(conflist).toBeDefined();
    const statuses = steps.filter((s) => s.from === 'kubelet/worker-1' && s.status! < 300 && /^\/api\/v1\/nodes(\/worker-1\/status)?$/.test(s.path ?? ''));
    const ready = (s: Step) => ((s.after as Obj).status.conditions as Obj[]).find((c) => c.type === 'Ready');
    const notReady = statuses.filter((s) => ready(s)?.status === 'False');
    expect(notReady.length).toBeGreaterThan(0);
    expect(ready(notReady[0])?.message).toContain('NetworkPluginNotReady');
    expect(notReady.every((s) => s.t < conflist.t)).toBe(true);
    expect(statuses.find((s) => ready(s)?.status === 'True')!.t).toBeGreaterThan(conflist.t);
  });

  it('publishes the VTEP in flannel annotations and clears NetworkUnavailable, passing RBAC as its own service account', () => {
    for (const name of ['worker-1', 'worker-2']) {
      const n = node(name);
      const a = n.metadata.annotations;
      expect(a['flannel.alpha.coreos.com/backend-type']).toBe('vxlan');
      expect(a['flannel.alpha.coreos.com/kube-subnet-manager']).toBe('true');
      expect(a['flannel.alpha.coreos.com/public-ip']).toBe(cluster.nodes.get(name)!.host.address);
      expect(JSON.parse(a['flannel.alpha.coreos.com/backend-data'])).toMatchObject({ VNI: 1, VtepMAC: expect.stringMatching(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/) });
      expect((n.status.conditions as Obj[]).find((c) => c.type === 'NetworkUnavailable')).toMatchObject({ status: 'False', reason: 'FlannelIsUp', message: 'Flannel is running on this node' });
      const env = cluster.nodes.get(name)!.host.disk.files.get('/run/flannel/subnet.env')!;
      expect(env).toBe(`FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=${n.spec.podCIDR.replace(/0\/24$/, '1/24')}\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n`);
    }
    const flannel = steps.filter((s) => s.kind === 'request' && s.from.startsWith('kube-flannel/'));
    expect(flannel.length).toBeGreaterThan(0);
    expect(flannel.every((s) => s.user === 'system:serviceaccount:kube-flannel:flannel' && s.status === 200)).toBe(true);
  });

  it('runs a CNI ADD per pod with the runtime environment, the conflist and a spec-shaped result', () => {
    for (const pod of webPods()) {
      const add = steps.find((s) => s.summary.startsWith(`CNI ADD default/${pod.metadata.name}:`))!;
      const sandbox = cluster.nodes.get(pod.spec.nodeName)!.runtime.sandboxes.get(pod.metadata.uid)!;
      const d = add.detail as Obj;
      expect(d.env).toMatchObject({ CNI_COMMAND: 'ADD', CNI_CONTAINERID: sandbox.id, CNI_NETNS: sandbox.netns, CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin' });
      expect(d.conflist.path).toBe('/etc/cni/net.d/10-flannel.conflist');
      expect(d.invocations.map((i: Obj) => i.binary)).toEqual(['/opt/cni/bin/flannel', '/opt/cni/bin/bridge', '/opt/cni/bin/host-local', '/opt/cni/bin/portmap']);
      expect(d.result.cniVersion).toBe('0.3.1');
      expect(d.result.ips[0].address).toBe(`${pod.status.podIP}/24`);
      expect(d.result.interfaces[d.result.ips[0].interface].sandbox).toBe(sandbox.netns);
    }
  });

  it('writes the web EndpointSlice with both pod IPs', () => {
    const ips = webPods().map((p) => p.status.podIP).sort();
    const writes = steps.filter((s) => s.kind === 'request' && s.status! < 300 && /\/namespaces\/default\/endpointslices/.test(s.path ?? '') && (s.after as Obj)?.metadata?.labels?.['kubernetes.io/service-name'] === 'web');
    const last = writes.at(-1)!.after as Obj;
    expect(last.endpoints.map((e: Obj) => e.addresses[0]).sort()).toEqual(ips);
    expect(last.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
  });

  it("programs the Service's KUBE-SVC- and KUBE-SEP- chains on both nodes, resyncing at least every 30s", () => {
    const svc = servicePortChainName('KUBE-SVC-', 'default/web:http', 'tcp');
    for (const name of ['worker-1', 'worker-2']) {
      const syncs = steps.filter((s) => s.from === `kube-proxy/${name}` && s.to === `kernel/${name}`);
      const rules = (syncs.filter((s) => !s.heartbeat).at(-1)!.detail as Obj).rules as string;
      expect(rules).toContain(`-A KUBE-SERVICES -d ${(cluster.store.get('/registry/services/specs/default/web')!.value as Obj).spec.clusterIP}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${svc}`);
      for (const pod of webPods()) {
        expect(rules).toContain(`-j DNAT --to-destination ${pod.status.podIP}:80`);
        expect(rules).toContain(servicePortEndpointChainName('default/web:http', 'tcp', `${pod.status.podIP}:80`));
      }
      expect(syncs.some((s) => s.heartbeat && (s.detail as Obj).periodic)).toBe(true);
      const changed = syncs.filter((s) => !s.heartbeat);
      expect((changed.find((s) => ((s.detail as Obj).diff as string).includes(`+ :${svc}`))!.detail as Obj).added).toBeGreaterThan(0);
      for (let i = 1; i < syncs.length; i++) expect(syncs[i].t - syncs[i - 1].t).toBeLessThanOrEqual(30_000);
    }
  });

  it('walks the request: DNS through the kube-dns ClusterIP, a DNAT to a pod on worker-2, VXLAN on UDP 8472, success', () => {
    const [outcome] = requestOutcomes(cluster);
    expect(outcome).toMatchObject({ result: 'success', from: 'pod/client', endpoint: { node: 'worker-2', port: 80 } });
    const walk = walkSteps(cluster, REQUEST_AT);
    const dns = walk.filter((s) => s.summary.startsWith('DNS A?'));
    expect(dns.map((s) => (s.detail as Obj).query.name)).toEqual([
      'web.default.svc.cluster.local.default.svc.cluster.local', 'web.default.svc.cluster.local.svc.cluster.local',
      'web.default.svc.cluster.local.cluster.local', 'web.default.svc.cluster.local',
    ]);
    expect(dns.map((s) => (s.detail as Obj).answer.rcode)).toEqual(['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NOERROR']);
    expect(dns.every((s) => (s.detail as Obj).packet.dst === '10.96.0.10' && (s.detail as Obj).packet.dport === 53)).toBe(true);
    const syn = walk.find((s) => s.summary.startsWith('SYN '))!;
    const onWorker2 = webPods().filter((p) => p.spec.nodeName === 'worker-2').map((p) => p.status.podIP);
    expect(onWorker2).toContain((syn.detail as Obj).dnat.ip);
    const vxlan = walk.find((s) => s.summary.startsWith('VXLAN on flannel.1'))!;
    expect((vxlan.detail as Obj).outer).toMatchObject({ protocol: 'UDP', dstPort: 8472, vni: 1, srcIP: cluster.nodes.get('worker-1')!.host.address, dstIP: cluster.nodes.get('worker-2')!.host.address });
    expect((vxlan.detail as Obj).inner.dst).toBe((syn.detail as Obj).dnat.ip);
    const reply = walk.find((s) => s.summary.startsWith('SYN-ACK'))!;
    expect((reply.detail as Obj).conntrack).toMatch(/^tcp +6 \d+ ESTABLISHED src=10\.244\.\d+\.\d+ dst=10\.\d+\.\d+\.\d+ sport=\d+ dport=80 src=10\.244\.1\.\d+ /);
    expect(walk.at(-1)!.summary).toBe('request pod/client → http://web.default.svc.cluster.local:80: success');
  });

  it('passes its request expectation through the library evaluator', () => {
    const expectation = scenario.spec.expect.find((e) => e.kind === 'request') as Extract<Expectation, { kind: 'request' }>;
    expect(evaluateRequestExpectation(cluster, expectation)).toMatchObject({ pass: true });
    expect(evaluateRequestExpectation(cluster, { ...expectation, result: 'timeout' }).pass).toBe(false);
  });
});

describe('replay', () => {
  it('records the same steps for the same scenario and seed', () => {
    const a = playNetworked(builtin('service-networking'), REQUEST_AT + 1);
    const b = playNetworked(builtin('service-networking'), REQUEST_AT + 1);
    expect(JSON.stringify(b.sim.recorder.steps)).toBe(JSON.stringify(a.sim.recorder.steps));
  });
});
