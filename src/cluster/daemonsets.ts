import type { KubeObject } from '../api/meta.js';
import type { ClusterConfig } from './config.js';
import { FLANNEL_IMAGES } from '../node/network/flannel-daemon.js';
import { CALICO_IMAGES } from '../node/network/calico-node.js';
import { WEAVE_IMAGES } from '../node/network/weave-net.js';

/**
 * The DaemonSets that put an agent on every node, as their installers write them: kube-proxy from
 * kubeadm's proxy addon (cmd/kubeadm/app/phases/addons/proxy/manifests.go) and the network
 * plugin's from its manifest (flannel's Documentation/kube-flannel.yml, Calico's calico.yaml,
 * Weave's weave-daemonset-k8s.yaml). Volumes and environment are abridged; names, labels,
 * selectors, host networking, service accounts, priority and tolerations are the manifests'. The
 * plugins' init containers (install-cni and friends) are not listed: kube-learn runs their work,
 * copying the CNI binary and config, as the first thing the main container does.
 */
type Obj = Record<string, unknown>;

/** Which DaemonSet a node agent belongs to, and the container whose start starts it. */
export interface NodeAgentDaemonSet {
  readonly namespace: string;
  readonly name: string;
  readonly container: string;
}

export const KUBE_PROXY_DAEMONSET: NodeAgentDaemonSet = { namespace: 'kube-system', name: 'kube-proxy', container: 'kube-proxy' };

/** The network plugin's DaemonSet, if it has one (the bridge plugin has none). */
export function networkDaemonSet(config: Pick<ClusterConfig, 'networkPlugin'>): NodeAgentDaemonSet | undefined {
  switch (config.networkPlugin) {
    case 'flannel': return { namespace: 'kube-flannel', name: 'kube-flannel-ds', container: 'kube-flannel' };
    case 'calico': return { namespace: 'kube-system', name: 'calico-node', container: 'calico-node' };
    case 'weave': return { namespace: 'kube-system', name: 'weave-net', container: 'weave' };
    case 'bridge': return undefined;
  }
}

function daemonSet(namespace: string, name: string, labels: Record<string, string>, selector: Record<string, string>, podLabels: Record<string, string>, spec: Obj, updateStrategy: Obj = { type: 'RollingUpdate' }): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name, namespace, labels },
    spec: { selector: { matchLabels: selector }, updateStrategy, template: { metadata: { labels: podLabels }, spec } },
  };
}

const NODE_NAME_ENV = { name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } };

function kubeProxy(config: ClusterConfig): KubeObject {
  const labels = { 'k8s-app': 'kube-proxy' };
  return daemonSet('kube-system', 'kube-proxy', labels, labels, labels, {
    priorityClassName: 'system-node-critical',
    containers: [{
      name: 'kube-proxy',
      image: `registry.k8s.io/kube-proxy:v${config.kubernetesVersion}.0`,
      imagePullPolicy: 'IfNotPresent',
      command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
      securityContext: { privileged: true },
      volumeMounts: [
        { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
        { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
        { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
      ],
      env: [NODE_NAME_ENV],
    }],
    hostNetwork: true,
    serviceAccountName: 'kube-proxy',
    volumes: [
      { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
      { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
      { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
    ],
    // kubeadm's kube-proxy tolerates every taint: it must run on every node, tainted or not.
    tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { operator: 'Exists' }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
  });
}

/** kubeadm's kube-proxy ConfigMap: the KubeProxyConfiguration the DaemonSet's pods mount. */
function kubeProxyConfigMap(config: ClusterConfig, apiserverAddress: string): KubeObject {
  const configConf = [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'kind: KubeProxyConfiguration',
    'bindAddress: 0.0.0.0',
    'clientConnection:',
    '  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf',
    `clusterCIDR: ${config.podCIDR}`,
    'healthzBindAddress: ""',
    'metricsBindAddress: ""',
    `mode: ${config.kubeProxyMode}`,
  ].join('\n');
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    `    server: https://${apiserverAddress}`,
    '  name: default',
    'contexts:',
    '- context:',
    '    cluster: default',
    '    namespace: default',
    '    user: default',
    '  name: default',
    'current-context: default',
    'users:',
    '- name: default',
    '  user:',
    '    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
  ].join('\n');
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
    data: { 'config.conf': configConf, 'kubeconfig.conf': kubeconfig },
  };
}

function flannel(): KubeObject {
  const labels = { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' };
  const env = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  return daemonSet('kube-flannel', 'kube-flannel-ds', labels, { app: 'flannel', 'k8s-app': 'flannel' }, labels, {
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } } },
    containers: [{
      name: 'kube-flannel',
      image: FLANNEL_IMAGES[1],
      command: ['/opt/bin/flanneld'],
      args: ['--ip-masq', '--kube-subnet-mgr'],
      env: [env('POD_NAME', 'metadata.name'), env('POD_NAMESPACE', 'metadata.namespace'), { name: 'EVENT_QUEUE_DEPTH', value: '5000' }],
      resources: { requests: { cpu: '100m', memory: '50Mi' } },
      securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] }, privileged: false },
      volumeMounts: [
        { mountPath: '/run/flannel', name: 'run' },
        { mountPath: '/etc/kube-flannel/', name: 'flannel-cfg' },
        { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
      ],
    }],
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'flannel',
    tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }],
    volumes: [
      { name: 'run', hostPath: { path: '/run/flannel' } },
      { name: 'cni-plugin', hostPath: { path: '/opt/cni/bin' } },
      { name: 'cni', hostPath: { path: '/etc/cni/net.d' } },
      { name: 'flannel-cfg', configMap: { name: 'kube-flannel-cfg' } },
      { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
    ],
  });
}

function calico(): KubeObject {
  const labels = { 'k8s-app': 'calico-node' };
  return daemonSet('kube-system', 'calico-node', labels, labels, labels, {
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    hostNetwork: true,
    tolerations: [
      { effect: 'NoSchedule', operator: 'Exists' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { effect: 'NoExecute', operator: 'Exists' },
    ],
    serviceAccountName: 'calico-node',
    terminationGracePeriodSeconds: 0,
    priorityClassName: 'system-node-critical',
    containers: [{
      name: 'calico-node',
      image: CALICO_IMAGES[1],
      env: [{ name: 'DATASTORE_TYPE', value: 'kubernetes' }, { name: 'CALICO_NETWORKING_BACKEND', value: 'bird' }, { name: 'CLUSTER_TYPE', value: 'k8s,bgp' }, { name: 'IP', value: 'autodetect' }, { ...NODE_NAME_ENV }],
      securityContext: { privileged: true },
      resources: { requests: { cpu: '250m' } },
    }],
  }, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
}

function weave(): KubeObject {
  const labels = { name: 'weave-net' };
  return daemonSet('kube-system', 'weave-net', labels, labels, labels, {
    containers: [
      {
        name: 'weave',
        image: WEAVE_IMAGES[0],
        command: ['/home/weave/launch.sh'],
        env: [{ name: 'HOSTNAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }, { name: 'INIT_CONTAINER', value: 'true' }],
        resources: { requests: { cpu: '50m' } },
        securityContext: { privileged: true },
      },
      {
        name: 'weave-npc',
        image: WEAVE_IMAGES[1],
        env: [{ name: 'HOSTNAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
        resources: { requests: { cpu: '50m' } },
        securityContext: { privileged: true },
      },
    ],
    dnsPolicy: 'ClusterFirstWithHostNet',
    hostNetwork: true,
    hostPID: false,
    priorityClassName: 'system-node-critical',
    restartPolicy: 'Always',
    securityContext: { seLinuxOptions: {} },
    serviceAccountName: 'weave-net',
    tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }],
  });
}

/** kube-proxy's ConfigMap and DaemonSet, and the network plugin's DaemonSet. */
export function daemonSetSeedObjects(config: ClusterConfig, apiserverAddress: string): KubeObject[] {
  const plugin = config.networkPlugin === 'flannel' ? [flannel()] : config.networkPlugin === 'calico' ? [calico()] : config.networkPlugin === 'weave' ? [weave()] : [];
  return [kubeProxyConfigMap(config, apiserverAddress), kubeProxy(config), ...plugin];
}
