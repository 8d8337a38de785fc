import type { KubeObject } from '../../../api/meta.js';
import { KUBEADM, LEGACY, clusterRole, clusterRoleBinding, group, role, roleBinding, rule, serviceAccount } from './policy-builders.js';

/**
 * What `kubeadm init` adds on top of the apiserver's default policy
 * (cmd/kubeadm/app/phases/bootstraptoken/node/tlsbootstrap.go, .../addons/proxy/proxy.go,
 * .../kubeconfig for `kubeadm:cluster-admins`). Kubeadm's objects carry no bootstrapping labels.
 */
export const NODE_BOOTSTRAP_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

export function kubeadmPolicy(): KubeObject[] {
  const bootstrappers = group(NODE_BOOTSTRAP_TOKEN_GROUP);
  return [
    // Bootstrap tokens may post CSRs, and the csrapprover may approve them (SubjectAccessReview on nodeclient).
    clusterRoleBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [bootstrappers], KUBEADM),
    clusterRoleBinding(
      'kubeadm:node-autoapprove-bootstrap',
      'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
      [bootstrappers],
      KUBEADM,
    ),
    // Nodes renewing their own client certificate are approved through selfnodeclient.
    clusterRoleBinding(
      'kubeadm:node-autoapprove-certificate-rotation',
      'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
      [group('system:nodes')],
      KUBEADM,
    ),
    // `kubeadm join` checks whether a Node of the same name already exists: get, not list.
    clusterRole('kubeadm:get-nodes', [rule(['get'], [LEGACY], ['nodes'])], KUBEADM),
    clusterRoleBinding('kubeadm:get-nodes', 'kubeadm:get-nodes', [bootstrappers], KUBEADM),
    // kube-proxy runs as a service account; its DaemonSet config is readable while joining.
    clusterRoleBinding('kubeadm:node-proxier', 'system:node-proxier', [serviceAccount('kube-system', 'kube-proxy')], KUBEADM),
    role('kube-system', 'kube-proxy', [rule(['get'], [LEGACY], ['configmaps'], ['kube-proxy'])], KUBEADM),
    roleBinding('kube-system', 'kube-proxy', 'kube-proxy', [bootstrappers], KUBEADM),
    // admin.conf's user is in group kubeadm:cluster-admins since 1.29 (super-admin.conf keeps system:masters).
    clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins')], KUBEADM),
  ];
}
