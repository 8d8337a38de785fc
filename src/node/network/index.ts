import type { Simulation } from '../../sim/simulation.js';
import type { ClusterConfig } from '../../cluster/config.js';
import type { NodeHost } from '../host.js';
import type { PodNetwork } from '../kubelet/pod-network.js';
import { HostLocalNetwork } from './host-local-network.js';

/** What a node's pod network is built from. */
export interface PodNetworkContext {
  readonly sim: Simulation;
  readonly host: NodeHost;
  readonly config: ClusterConfig;
}

/** The pod network of one node, for the scenario's network plugin. */
export function createPodNetwork(ctx: PodNetworkContext): PodNetwork {
  return new HostLocalNetwork(ctx.sim, ctx.host.machine, ctx.host.name);
}
