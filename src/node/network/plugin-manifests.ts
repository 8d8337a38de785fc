import type { KubeObject } from '../../api/meta.js';
import type { ClusterConfig } from '../../cluster/config.js';
import {
  KUBEADM, LEGACY, READ, clusterRole, clusterRoleBinding, role, roleBinding, rule, serviceAccount,
} from '../../controlplane/apiserver/authorization/policy-builders.js';
import { conflistFor } from '../cni/index.js';

/**
 * The identity objects each plugin's install manifest creates, so its daemon's requests pass real
 * RBAC: flannel's Documentation/kube-flannel.yml, Calico's calico.yaml (calico-node's role,
 * abridged to the core API rules and Calico's own resources), Weave's weave-daemonset-k8s.yaml.
 * The DaemonSets themselves are not created: kube-learn starts the daemons directly.
 */
const FLANNEL_LABELS = { 'k8s-app': 'flannel' };

function withLabels(obj: KubeObject, labels: Record<string, string>): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, labels } };
}

function flannel(config: ClusterConfig): KubeObject[] {
  const netConf = `{\n  "Network": "${config.podCIDR}",\n  "EnableNFTables": false,\n  "Backend": {\n    "Type": "${config.networkBackend}"\n  }\n}\n`;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-flannel', labels: { ...FLANNEL_LABELS, 'kubernetes.io/metadata.name': 'kube-flannel', 'pod-security.kubernetes.io/enforce': 'privileged' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flannel', namespace: 'kube-flannel', labels: FLANNEL_LABELS } },
    withLabels(clusterRole('flannel', [
      rule(['get'], [LEGACY], ['pods']),
      rule(READ, [LEGACY], ['nodes']),
      rule(['patch'], [LEGACY], ['nodes/status']),
    ], KUBEADM), FLANNEL_LABELS),
    withLabels(clusterRoleBinding('flannel', 'flannel', [serviceAccount('kube-flannel', 'flannel')], KUBEADM), FLANNEL_LABELS),
    {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'kube-flannel-cfg', namespace: 'kube-flannel', labels: { tier: 'node', ...FLANNEL_LABELS, app: 'flannel' } },
      data: { 'cni-conf.json': conflistFor('flannel').text, 'net-conf.json': netConf },
    },
  ];
}

const CALICO_GROUP = 'crd.projectcalico.org';

function calico(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'calico-node', namespace: 'kube-system' } },
    clusterRole('calico-node', [
      rule(['get'], [LEGACY], ['pods', 'nodes', 'namespaces']),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
      rule(['list', 'watch'], [LEGACY], ['endpoints', 'services']),
      rule(['get'], [LEGACY], ['configmaps']),
      // "Needed for clearing NodeNetworkUnavailable flag" and "Calico stores some configuration information in node annotations".
      rule(['patch', 'update'], [LEGACY], ['nodes/status']),
      rule(['list', 'watch'], [LEGACY], ['pods', 'namespaces', 'serviceaccounts']),
      rule(['patch'], [LEGACY], ['pods/status']),
      rule(READ, [LEGACY], ['nodes']),
      rule(READ, [CALICO_GROUP], ['globalfelixconfigs', 'felixconfigurations', 'bgppeers', 'bgpfilters', 'globalbgpconfigs', 'bgpconfigurations', 'ippools', 'ipreservations', 'ipamblocks', 'globalnetworkpolicies', 'globalnetworksets', 'networkpolicies', 'networksets', 'clusterinformations', 'hostendpoints', 'blockaffinities', 'caliconodestatuses']),
      rule(['create', 'update'], [CALICO_GROUP], ['ippools', 'felixconfigurations', 'clusterinformations']),
      rule(['get', 'list', 'create', 'update', 'delete'], [CALICO_GROUP], ['ipamblocks', 'ipamhandles', 'ipamconfigs', 'blockaffinities']),
    ], KUBEADM),
    clusterRoleBinding('calico-node', 'calico-node', [serviceAccount('kube-system', 'calico-node')], KUBEADM),
  ];
}

function weave(): KubeObject[] {
  const labels = { name: 'weave-net' };
  return [
    withLabels({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'weave-net', namespace: 'kube-system' } }, labels),
    withLabels(clusterRole('weave-net', [
      rule(READ, [LEGACY], ['pods', 'namespaces', 'nodes']),
      rule(READ, ['networking.k8s.io'], ['networkpolicies']),
      rule(['patch', 'update'], [LEGACY], ['nodes/status']),
    ], KUBEADM), labels),
    withLabels(clusterRoleBinding('weave-net', 'weave-net', [serviceAccount('kube-system', 'weave-net')], KUBEADM), labels),
    withLabels(role('kube-system', 'weave-net', [
      rule(['get', 'update'], [LEGACY], ['configmaps'], ['weave-net']),
      rule(['create'], [LEGACY], ['configmaps']),
    ], KUBEADM), labels),
    withLabels(roleBinding('kube-system', 'weave-net', 'weave-net', [serviceAccount('kube-system', 'weave-net')], KUBEADM), labels),
  ];
}

/** What the scenario's network plugin's manifest adds before any node joins. */
export function pluginSeedObjects(config: ClusterConfig): KubeObject[] {
  switch (config.networkPlugin) {
    case 'flannel': return flannel(config);
    case 'calico': return calico();
    case 'weave': return weave();
    case 'bridge': return [];
  }
}
