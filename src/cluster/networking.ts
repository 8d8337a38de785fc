import type { KubeObject } from '../api/meta.js';
import { KUBEADM, clusterRole, clusterRoleBinding, rule, serviceAccount } from '../controlplane/apiserver/authorization/policy-builders.js';
import { intToIp, parseCidr } from '../node/cni/ipv4.js';
import { pluginSeedObjects } from '../node/network/plugin-manifests.js';
import { daemonSetSeedObjects } from './daemonsets.js';
import type { ClusterConfig } from './config.js';

/**
 * What kubeadm's addon phase and the network plugin's manifest add at `kubeadm init`: the
 * `kubernetes` Service (10.96.0.1) with the EndpointSlice kube-apiserver keeps for itself, CoreDNS
 * behind the kube-dns Service (10.96.0.10) from cmd/kubeadm/app/phases/addons/dns/manifests.go,
 * kube-proxy's ConfigMap and DaemonSet, and the network plugin's namespace, service account, RBAC
 * and DaemonSet.
 */

/** The nth address of the service CIDR: 1 for `kubernetes`, 10 for `kube-dns` (GetIndexedIP). */
export function serviceIP(config: Pick<ClusterConfig, 'serviceCIDR'>, index: number): string {
  return intToIp(parseCidr(config.serviceCIDR).base + index);
}

/** The CoreDNS image kubeadm 1.31/1.32 deploys. */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';

function kubernetesService(config: ClusterConfig, apiserverAddress: string): KubeObject[] {
  const [ip, port] = apiserverAddress.split(':');
  return [
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: serviceIP(config, 1), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: Number(port) }], sessionAffinity: 'None', type: 'ClusterIP' },
    },
    {
      // Written by kube-apiserver's endpoint reconciler, not the EndpointSlice controller: no managed-by label.
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [{ name: 'https', port: Number(port), protocol: 'TCP' }],
    },
  ];
}

/** The Corefile kubeadm writes for `clusterDomain`. */
export function corefile(domain: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${domain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${domain}
       disable denial ${domain}
    }
    loop
    reload
    loadbalance
}
`;
}

const DNS_LABELS = { 'k8s-app': 'kube-dns' };

function coreDnsDeployment(): KubeObject {
  const port = (containerPort: number, name: string, protocol: string) => ({ containerPort, name, protocol });
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: DNS_LABELS },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: DNS_LABELS },
      template: {
        metadata: { labels: DNS_LABELS },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' },
              }],
            },
          },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [{
            name: 'coredns',
            image: COREDNS_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
            args: ['-conf', '/etc/coredns/Corefile'],
            volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            ports: [port(53, 'dns', 'UDP'), port(53, 'dns-tcp', 'TCP'), port(9153, 'metrics', 'TCP'), port(8080, 'liveness-probe', 'TCP'), port(8181, 'readiness-probe', 'TCP')],
            livenessProbe: { httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
            readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
          }],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}

function coreDns(config: ClusterConfig): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
    clusterRole('system:coredns', [
      rule(['list', 'watch'], [''], ['endpoints', 'services', 'pods', 'namespaces']),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ], KUBEADM),
    clusterRoleBinding('system:coredns', 'system:coredns', [serviceAccount('kube-system', 'coredns')], KUBEADM),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile(config.clusterDomain) } },
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: {
        name: 'kube-dns', namespace: 'kube-system',
        labels: { ...DNS_LABELS, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        clusterIP: serviceIP(config, 10),
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
        selector: DNS_LABELS,
      },
    },
    coreDnsDeployment(),
  ];
}

/**
 * The objects the networking stage needs before any node joins. `apiserverAddress` is where the
 * `kubernetes` Service's endpoint points (the control plane's address, port 6443).
 */
export function networkSeedObjects(config: ClusterConfig, apiserverAddress = '172.18.0.2:6443'): KubeObject[] {
  return [...kubernetesService(config, apiserverAddress), ...coreDns(config), ...pluginSeedObjects(config), ...daemonSetSeedObjects(config, apiserverAddress)];
}

