import type { AuthorizationResult, KubeObject } from '../api/meta.js';
import { Actor, Simulation } from '../sim/simulation.js';
import { Store } from '../controlplane/etcd/store.js';
import { ApiServer } from '../controlplane/apiserver/apiserver.js';
import type { Authenticator, AuthnResult } from '../controlplane/apiserver/authentication.js';
import type { AdmissionPlugin } from '../controlplane/apiserver/admission/index.js';
import type { Authorizer } from '../controlplane/apiserver/authorization/index.js';
import { Network } from '../controlplane/client/network.js';
import { Transport } from '../controlplane/client/transport.js';
import { RestClient } from '../controlplane/client/rest-client.js';
import { defaultClusterConfig, type ClusterConfig } from './config.js';
import type { ControllerContext } from '../controlplane/controller/context.js';

/**
 * A bare API server for unit tests of one component: bearer tokens of the form
 * `test:<user>|<group>,<group>` authenticate as that user, and an allow-all authorizer stands in
 * for Node+RBAC unless a test passes the real ones. Identity rules are tested against the real
 * chain in the cluster tests; this harness is for what a component does.
 */
export class TestAuthenticator implements Authenticator {
  authenticate(credentials: { bearerToken?: string }): AuthnResult {
    const token = credentials.bearerToken ?? '';
    if (!token.startsWith('test:')) return { ok: false, why: 'not a test token' };
    const [name, groups] = token.slice(5).split('|');
    return { ok: true, user: { name, groups: [...(groups ? groups.split(',') : []), 'system:authenticated'] }, method: 'x509', detail: `test identity ${name}` };
  }
}

export const allowAll: Authorizer = {
  name: 'AlwaysAllow',
  authorize: (): AuthorizationResult => ({ decision: 'allow', reason: 'allowed by the test harness', authorizer: 'AlwaysAllow' }),
};

export interface TestApi {
  readonly sim: Simulation;
  readonly store: Store<KubeObject>;
  readonly apiserver: ApiServer;
  readonly network: Network;
  readonly transport: Transport;
  readonly config: ClusterConfig;
  /** A client acting as `user` (groups optional) from `host`. */
  client(name: string, user: string, groups?: string[], host?: string, node?: string): RestClient;
  /** A ControllerContext for a component named `name` acting as `user`. */
  context(name: string, user: string, groups?: string[]): ControllerContext;
}

export function createTestApi(options: { seed?: number; authorizer?: Authorizer; admission?: AdmissionPlugin[]; config?: Partial<ClusterConfig> } = {}): TestApi {
  const sim = new Simulation(options.seed ?? 1);
  const store = new Store<KubeObject>();
  const apiserver = new ApiServer({ sim, store, authn: new TestAuthenticator(), authorizer: options.authorizer ?? allowAll, admission: options.admission ?? [] });
  apiserver.startWatchCaches();
  const network = new Network();
  const transport = new Transport(sim, apiserver, network);
  const config = defaultClusterConfig(options.config);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    apiserver.registry.create(
      apiserver.findResource('', 'namespaces')!,
      undefined,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      { user: { name: 'system:apiserver', groups: [] }, now: sim.clock.rfc3339() },
      () => undefined,
    );
  }
  const client = (name: string, user: string, groups: string[] = [], host = 'control-plane', node?: string): RestClient =>
    new RestClient(transport, new Actor(name), host, name, { bearerToken: `test:${user}|${groups.join(',')}` }, node);
  return {
    sim,
    store,
    apiserver,
    network,
    transport,
    config,
    client,
    context: (name, user, groups = []) => {
      const c = client(name, user, groups);
      return { sim, actor: c.actor, client: c, prng: sim.prng.fork(name), config };
    },
  };
}
