import type { KubeObject } from '../api/meta.js';
import type { ClusterConfig } from './config.js';

/**
 * What kubeadm's addon phase and the network plugin's manifest add at `kubeadm init`: the
 * `kubernetes` Service, CoreDNS behind the kube-dns Service, and the network plugin's service
 * account and RBAC.
 */
export function networkSeedObjects(config: ClusterConfig): KubeObject[] {
  void config;
  return [];
}
