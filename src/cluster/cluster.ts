import type { KubeObject } from '../api/meta.js';
import { EPOCH_MS } from '../sim/clock.js';
import { Actor, Simulation } from '../sim/simulation.js';
import { Store } from '../controlplane/etcd/store.js';
import { ApiServer } from '../controlplane/apiserver/apiserver.js';
import { AuthenticatorChain } from '../controlplane/apiserver/authentication.js';
import { createNodeAuthorizer, createRbacAuthorizer, unionAuthorizer } from '../controlplane/apiserver/authorization/index.js';
import { defaultTolerationSeconds, nodeRestriction, taintNodesByCondition } from '../controlplane/apiserver/admission/index.js';
import { Network } from '../controlplane/client/network.js';
import { Transport } from '../controlplane/client/transport.js';
import { RestClient } from '../controlplane/client/rest-client.js';
import type { Controller, ControllerContext } from '../controlplane/controller/context.js';
import type { Scenario } from '../scenario/index.js';
import { configFromScenario } from './scenario-config.js';
import type { ClusterConfig } from './config.js';
import { createClusterPki, type ClusterPki } from './pki-setup.js';
import { DEFAULT_BOOTSTRAP_TOKEN, seedObjects, writeSeed } from './seed.js';
import { createControllers } from './control-plane.js';
import { WorkerNode } from './worker-node.js';
import { applyResources } from './kubectl.js';
import { networkSeedObjects } from './networking.js';
import { scheduleTimeline } from './timeline.js';

/** The admission plugins the simulated kube-apiserver runs, in its order. */
export const ADMISSION_PLUGINS = ['NodeRestriction', 'TaintNodesByCondition', 'DefaultTolerationSeconds'] as const;

/**
 * A whole cluster wired from a scenario, as `kubeadm init` and `kubeadm join` would leave it:
 * one API server in front of the store, the controllers and the scheduler each with their own
 * identity, and a WorkerNode per scenario node that joins at its `joinAt`.
 */
export class Cluster {
  readonly sim: Simulation;
  readonly store = new Store<KubeObject>();
  readonly network = new Network();
  readonly apiserver: ApiServer;
  readonly transport: Transport;
  readonly config: ClusterConfig;
  readonly pki: ClusterPki;
  readonly nodes = new Map<string, WorkerNode>();
  readonly controllers: Controller[] = [];
  /** Which etcd members are up; the store serves only while a majority is. */
  readonly etcdMembers: boolean[];
  /**
   * The step of each timeline action that has fired, by its index in spec.timeline: a failure's
   * banner, a packet walk's result, kubectl's write. Checkpoints `after: { action: N }` go there.
   */
  readonly timelineSteps = new Map<number, number>();
  /** True while kube-controller-manager and kube-scheduler are down after losing leader election. */
  leadersStopped = false;
  /** Actors of the controller manager's and scheduler's clients, stopped together. */
  private readonly controlPlaneActors: Actor[] = [];
  /** Client certificates issued at kubeadm init, reused when a component restarts. */
  private readonly issued = new Map<string, string>();
  /** The control-plane host's actor (the API server's periodic work: compaction). */
  readonly controlPlane = new Actor('control-plane');

  constructor(readonly scenario: Scenario) {
    this.sim = new Simulation(scenario.spec.seed);
    this.config = configFromScenario(scenario);
    this.etcdMembers = Array.from({ length: this.config.etcdMembers }, () => true);
    this.pki = createClusterPki(this.sim.prng.fork('pki'));
    const lookup = () => this.apiserver.lookup;
    const authn = new AuthenticatorChain({
      ca: this.pki.ca,
      serviceAccountPublicKey: this.pki.serviceAccountKey.publicKeySpkiDer,
      nowMs: () => this.sim.nowMs,
      nowEpochMs: () => EPOCH_MS + this.sim.nowMs,
      getSecret: (ns, name) => lookup().get('secrets', ns, name),
      getServiceAccount: (ns, name) => lookup().get('serviceaccounts', ns, name),
    });
    const objects = {
      get: (resource: string, ns: string | undefined, name: string) => lookup().get(resource, ns, name),
      list: (resource: string, ns?: string) => lookup().list(resource, ns),
      // The Node authorizer's graph, kept current from the store instead of scanning pods per request.
      get nodeGraph() {
        return lookup().nodeGraph;
      },
    };
    this.apiserver = new ApiServer({
      sim: this.sim,
      store: this.store,
      authn,
      authorizer: unionAuthorizer([createNodeAuthorizer(objects), createRbacAuthorizer(objects)]),
      serviceCIDR: this.config.serviceCIDR,
      // In kube-apiserver's plugin order (AllOrderedPlugins): NodeRestriction, TaintNodesByCondition, ..., DefaultTolerationSeconds.
      admission: [
        nodeRestriction(objects),
        taintNodesByCondition(),
        defaultTolerationSeconds({ notReadySeconds: this.config.defaultTolerationSeconds, unreachableSeconds: this.config.defaultTolerationSeconds }),
      ],
    });
    this.transport = new Transport(this.sim, this.apiserver, this.network);
  }

  /** Lays down kubeadm's state, starts the control plane, schedules joins and the scenario's resources. */
  start(): this {
    writeSeed(this.apiserver, [...seedObjects(DEFAULT_BOOTSTRAP_TOKEN), ...networkSeedObjects(this.config)], this.sim.clock.rfc3339());
    this.apiserver.startWatchCaches();
    this.recordControlPlaneUp();
    this.startControlPlaneComponents();
    this.scheduleCompaction();
    for (const spec of this.scenario.spec.nodes) {
      const node = new WorkerNode(this, spec);
      this.nodes.set(spec.name, node);
      this.sim.schedule(node.host.machine, spec.joinAtMs, () => node.boot());
    }
    applyResources(this, this.scenario.spec.resources);
    scheduleTimeline(this, this.scenario.spec.timeline);
    return this;
  }

  /** Starts kube-controller-manager's controllers and kube-scheduler (fresh instances). */
  startControlPlaneComponents(): void {
    this.controllers.length = 0;
    this.controlPlaneActors.length = 0;
    for (const controller of createControllers(this)) {
      this.controllers.push(controller);
      controller.start();
    }
  }

  /** Stops them, as a lost leader election makes both processes exit. */
  stopControlPlaneComponents(): void {
    for (const actor of this.controlPlaneActors) {
      actor.stop();
      this.transport.closeActor(actor);
    }
    this.controlPlaneActors.length = 0;
    this.controllers.length = 0;
  }

  /** A client for a control-plane component with a client certificate (`system:kube-scheduler`). */
  certificateClient(name: string, commonName: string, organizations: string[] = []): RestClient {
    const actor = new Actor(name);
    this.controlPlaneActors.push(actor);
    return new RestClient(this.transport, actor, 'control-plane', name, { clientCertificate: this.certificateFor(commonName, organizations) });
  }

  private certificateFor(commonName: string, organizations: string[]): string {
    const key = `${commonName}|${organizations.join(',')}`;
    let pem = this.issued.get(key);
    if (!pem) this.issued.set(key, (pem = this.pki.clientCertificate(commonName, organizations)));
    return pem;
  }

  /** A client acting as service account kube-system/<sa> with a signed token. */
  serviceAccountClient(name: string, namespace: string, serviceAccount: string, host = 'control-plane', node?: string): RestClient {
    const sa = this.apiserver.lookup.get('serviceaccounts', namespace, serviceAccount);
    if (!sa) throw new Error(`service account ${namespace}/${serviceAccount} was not seeded`);
    const token = this.pki.serviceAccountToken(namespace, serviceAccount, sa.metadata.uid!);
    const actor = new Actor(name);
    if (host === 'control-plane') this.controlPlaneActors.push(actor);
    return new RestClient(this.transport, actor, host, name, { bearerToken: token }, node);
  }

  controllerContext(name: string, client: RestClient): ControllerContext {
    return { sim: this.sim, actor: client.actor, client, prng: this.sim.prng.fork(name), config: this.config };
  }

  /** kube-apiserver compacts etcd every 5 minutes (--etcd-compaction-interval). */
  private scheduleCompaction(): void {
    const tick = (): void => {
      const revision = this.store.revision;
      this.sim.schedule(this.controlPlane, 5 * 60_000, () => {
        this.store.compact(revision);
        tick();
      });
    };
    tick();
  }

  private recordControlPlaneUp(): void {
    this.sim.recorder.record({
      stage: 'authentication',
      from: 'kubeadm',
      to: 'kube-apiserver',
      kind: 'decision',
      summary: `control plane up: kube-apiserver, etcd (${this.config.etcdMembers} member${this.config.etcdMembers > 1 ? 's' : ''}), kube-controller-manager, kube-scheduler`,
      explanation: `kubeadm init has run: the cluster CA (CN=kubernetes) signs client certificates, the bootstrap token ${DEFAULT_BOOTSTRAP_TOKEN.split('.')[0]} is stored as Secret kube-system/bootstrap-token-${DEFAULT_BOOTSTRAP_TOKEN.split('.')[0]}, RBAC bindings let bootstrap tokens create CSRs, and each controller acts as its own service account (the certificate controllers as certificate-controller, node lifecycle and IPAM as node-controller, ...). Writes pass the admission plugins ${ADMISSION_PLUGINS.join(', ')}. Only kube-apiserver talks to etcd.`,
      detail: { caCertificate: this.pki.ca.pem, authorizationMode: 'Node,RBAC', admission: ADMISSION_PLUGINS },
    });
  }

  /** Runs until the scenario's duration (or `untilMs`). */
  runToEnd(untilMs = this.scenario.spec.durationMs): void {
    this.sim.runUntil(untilMs);
  }
}
