import type { Prng } from '../../sim/prng.js';
import type { Actor, Simulation } from '../../sim/simulation.js';
import type { ClusterConfig } from '../../cluster/config.js';
import type { RestClient } from '../../controlplane/client/rest-client.js';
import type { NodeHost } from '../host.js';
import type { ContainerRuntime } from './container-runtime.js';

/** How a node's kubelet first proves who it is. */
export type KubeletAuth =
  | { readonly method: 'bootstrap-token'; readonly token: string }
  | { readonly method: 'client-certificate' };

export interface KubeletOptions {
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
  readonly auth: KubeletAuth;
}

/** Everything one kubelet process works with. A restart builds a new context on the same host. */
export interface KubeletContext {
  readonly sim: Simulation;
  readonly host: NodeHost;
  readonly actor: Actor;
  readonly client: RestClient;
  readonly prng: Prng;
  readonly config: ClusterConfig;
  readonly options: KubeletOptions;
  readonly runtime: ContainerRuntime;
  /** `kubelet/worker-1`, the kubelet's name in the transcript. */
  readonly name: string;
}
