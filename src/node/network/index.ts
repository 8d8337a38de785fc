import type { PodNetwork } from '../kubelet/pod-network.js';
import { CniPodNetwork, type PodNetworkContext } from './cni-pod-network.js';
import type { DaemonCluster, DaemonNode, NetworkDaemon } from './daemon.js';
import { FlannelDaemon } from './flannel-daemon.js';
import { CalicoNode } from './calico-node.js';
import { WeaveNet } from './weave-net.js';
import { resetKernelTables } from './kernel-tables.js';

/**
 * Pod networking on a node: the CNI side the container runtime drives (`createPodNetwork`, one
 * per boot of the machine) and the network plugin's node agent (`createNetworkDaemon`, started
 * when the kubelet starts the container of its DaemonSet pod).
 */
export { CniPodNetwork, type PodAttachment, type PodNetworkContext } from './cni-pod-network.js';
export type { DaemonCluster, DaemonNode } from './daemon.js';
export { cniBackendOf, fabricFor, type NetworkFabric } from './fabric.js';
export { kernelTables, type ProgrammedRules } from './kernel-tables.js';

/** The pod network of one node for the scenario's network plugin. A new boot starts from nothing. */
export function createPodNetwork(ctx: PodNetworkContext): PodNetwork {
  resetKernelTables(ctx.sim, ctx.host.name);
  return new CniPodNetwork(ctx);
}

/** A running network daemon; `stop()` when its machine goes down. */
export interface NetworkDaemonHandle {
  readonly running: boolean;
  stop(): void;
}

const NONE: NetworkDaemonHandle = { running: false, stop: () => {} };

/**
 * Starts the network plugin's daemon on `node` (kube-flannel, calico-node or weave-net) when the
 * kubelet starts the main container of its DaemonSet pod `pod`; the bridge plugin has none.
 * Calling it again for the same boot returns the daemon already running.
 */
export function createNetworkDaemon(cluster: DaemonCluster, node: DaemonNode, pod: string): NetworkDaemonHandle {
  const net = node.network;
  if (!(net instanceof CniPodNetwork)) return NONE;
  if (net.daemon?.running) return net.daemon;
  let daemon: NetworkDaemon;
  switch (cluster.config.networkPlugin) {
    case 'flannel':
      daemon = new FlannelDaemon(cluster, node, net, { component: 'kube-flannel', namespace: 'kube-flannel', serviceAccount: 'flannel' });
      break;
    case 'calico':
      daemon = new CalicoNode(cluster, node, net, { component: 'calico-node', namespace: 'kube-system', serviceAccount: 'calico-node' });
      break;
    case 'weave':
      daemon = new WeaveNet(cluster, node, net, { component: 'weave-net', namespace: 'kube-system', serviceAccount: 'weave-net' });
      break;
    case 'bridge':
      return NONE;
  }
  daemon.start(pod);
  return daemon;
}
