import type { Prng } from '../../sim/prng.js';
import type { Actor, Simulation } from '../../sim/simulation.js';
import type { ClusterConfig } from '../../cluster/config.js';
import type { RestClient } from '../client/rest-client.js';
import type { SharedInformerFactory } from '../client/shared-informer.js';

/**
 * What every control-plane component gets: the simulation, its own API client (its own
 * identity, as kube-controller-manager's --use-service-account-credentials gives each
 * controller), its own random stream, and the cluster settings.
 */
export interface ControllerContext {
  readonly sim: Simulation;
  readonly actor: Actor;
  readonly client: RestClient;
  readonly prng: Prng;
  readonly config: ClusterConfig;
  /** kube-controller-manager's shared informers (absent in unit tests and for the scheduler). */
  readonly informers?: SharedInformerFactory;
}

/** A component that can be started (and is stopped by stopping its actor). */
export interface Controller {
  readonly name: string;
  start(): void;
}
