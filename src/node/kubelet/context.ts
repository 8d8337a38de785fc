import type { Prng } from '../../sim/prng.js';
import type { Stage, StepKind } from '../../sim/trace.js';
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

/** What the kubelet does on its own node, outside the API: a step from and to itself. */
export interface KubeletStep {
  readonly stage: Stage;
  readonly summary: string;
  readonly explanation: string;
  /** 'node' (work on the node) unless it is a decision such as a rotation deadline. */
  readonly kind?: Extract<StepKind, 'node' | 'decision'>;
  readonly detail?: unknown;
}

export function recordKubeletStep(ctx: KubeletContext, step: KubeletStep): void {
  const { stage, kind = 'node', summary, explanation, detail } = step;
  // Fields in the order every step lists them, so the JSON transcript reads the same.
  ctx.sim.recorder.record({ stage, from: ctx.name, to: ctx.name, kind, node: ctx.host.name, summary, explanation, ...(detail === undefined ? {} : { detail }) });
}
