import { describe, expect, it } from 'vitest';
import { defaultClusterConfig } from '../src/cluster/config.js';
import { corefile, networkSeedObjects } from '../src/cluster/networking.js';
import { kernelTables } from '../src/node/network/index.js';
import { runRequestAction } from '../src/net/request-action.js';
import { builtin, playNetworked } from './networking-helpers.js';

type Obj = Record<string, any>;

describe("what kubeadm's addons and the plugin manifest add", () => {
  const objects = networkSeedObjects(defaultClusterConfig()) as Obj[];
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;

  it('puts the kubernetes Service at the 1st address of the service CIDR, backed by kube-apiserver', () => {
    expect(find('Service', 'kubernetes').spec).toMatchObject({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] });
    expect(find('EndpointSlice', 'kubernetes')).toMatchObject({ addressType: 'IPv4', endpoints: [{ addresses: ['172.18.0.2'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] });
  });

  it("puts kube-dns at the 10th address, in front of kubeadm's CoreDNS Deployment", () => {
    expect(find('Service', 'kube-dns').spec).toMatchObject({
      clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }],
    });
    const pod = find('Deployment', 'coredns').spec.template.spec;
    expect(find('Deployment', 'coredns').spec.replicas).toBe(2);
    expect(pod).toMatchObject({ priorityClassName: 'system-cluster-critical', serviceAccountName: 'coredns', dnsPolicy: 'Default' });
    expect(pod.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(pod.containers[0]).toMatchObject({ image: 'registry.k8s.io/coredns/coredns:v1.11.3', resources: { requests: { cpu: '100m', memory: '70Mi' } } });
    expect(pod.containers[0].ports.slice(0, 3)).toEqual([{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' }, { containerPort: 9153, name: 'metrics', protocol: 'TCP' }]);
    expect(find('ConfigMap', 'coredns').data.Corefile).toBe(corefile('cluster.local'));
    expect(corefile('cluster.local')).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure');
    expect(find('ClusterRoleBinding', 'system:coredns').subjects).toEqual([{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }]);
  });

  it("adds each plugin's own identity", () => {
    const names = (plugin: 'flannel' | 'calico' | 'weave' | 'bridge') =>
      (networkSeedObjects(defaultClusterConfig({ networkPlugin: plugin })) as Obj[]).filter((o) => /ServiceAccount|Namespace/.test(o.kind) && o.metadata.name !== 'coredns').map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(names('flannel')).toEqual(['Namespace//kube-flannel', 'ServiceAccount/kube-flannel/flannel']);
    expect(names('calico')).toEqual(['ServiceAccount/kube-system/calico-node']);
    expect(names('weave')).toEqual(['ServiceAccount/kube-system/weave-net']);
    expect(names('bridge')).toEqual([]);
  });
});

describe('in a running cluster', () => {
  const cluster = playNetworked(builtin('service-networking'), 121_000);

  it('programs the kubernetes and kube-dns Services under their real chain names', () => {
    const rules = kernelTables(cluster.sim).get('worker-1')!.text;
    expect(rules).toContain('-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(rules).toContain('-j DNAT --to-destination 172.18.0.2:6443');
    expect(rules).toContain('-j KUBE-SVC-TCOU7JCQXEZGVUNU');
    expect(rules).toContain('-j KUBE-SVC-ERIFXISQEP7F7OF4');
    expect(rules).toContain('-j KUBE-SVC-JD5MR3NA4I4DYORP');
  });

  it("lets flannel's service account patch its node's status but not the Node itself (RBAC)", () => {
    const sa = cluster.apiserver.lookup.get('serviceaccounts', 'kube-flannel', 'flannel')!;
    const token = cluster.pki.serviceAccountToken('kube-flannel', 'flannel', sa.metadata.uid!);
    const patch = (path: string) => cluster.apiserver.handle({
      method: 'PATCH', path, body: { metadata: { annotations: { x: 'y' } } }, contentType: 'application/strategic-merge-patch+json',
      credentials: { bearerToken: token }, from: 'test', why: 'test',
    });
    expect(patch('/api/v1/nodes/worker-1/status').status).toBe(200);
    expect(patch('/api/v1/nodes/worker-1').status).toBe(403);
  });

  it('reaches kube-apiserver through the kubernetes Service', () => {
    const outcome = runRequestAction(cluster, { from: 'pod/client', to: 'https://kubernetes.default.svc' });
    expect(outcome).toMatchObject({ result: 'success', resolvedIP: '10.96.0.1', endpoint: { ip: '172.18.0.2', port: 6443 } });
  });

  it('connects from a node to a ClusterIP, but the node resolver knows no cluster names', () => {
    const web = (cluster.store.get('/registry/services/specs/default/web')!.value as Obj).spec.clusterIP;
    expect(runRequestAction(cluster, { from: 'node/worker-1', to: `http://${web}:80` })).toMatchObject({ result: 'success', endpoint: { node: 'worker-2' } });
    expect(runRequestAction(cluster, { from: 'node/worker-1', to: 'http://web.default.svc.cluster.local' }).result).toBe('nxdomain');
    expect(runRequestAction(cluster, { from: 'pod/client', to: 'http://web' })).toMatchObject({ result: 'success' });
  });
});
