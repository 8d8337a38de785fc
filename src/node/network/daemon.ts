import type { Prng } from '../../sim/prng.js';
import { sleep, type Process, type Simulation } from '../../sim/simulation.js';
import type { ClusterConfig } from '../../cluster/config.js';
import type { RestClient } from '../../controlplane/client/rest-client.js';
import type { Transport } from '../../controlplane/client/transport.js';
import type { NodeHost } from '../host.js';
import type { PodNetwork } from '../kubelet/pod-network.js';
import type { CniPodNetwork } from './cni-pod-network.js';
import { fabricFor, type FabricMember, type NetworkFabric } from './fabric.js';

/**
 * What every network plugin's node agent has in common. Each runs in a DaemonSet pod with host
 * networking (kube-flannel-ds, calico-node, weave-net) that tolerates the not-ready taint, so it
 * is bound and started while the node is still NotReady; it talks to kube-apiserver with its own
 * service account's token, writes the CNI config the runtime waits for, and clears the node's
 * NetworkUnavailable condition. It starts when the kubelet starts its pod's container.
 */

/** The parts of the cluster a daemon needs (the Cluster object has them). */
export interface DaemonCluster {
  readonly sim: Simulation;
  readonly config: ClusterConfig;
  readonly transport: Transport;
  serviceAccountClient(name: string, namespace: string, serviceAccount: string, host?: string, node?: string): RestClient;
}

/** The parts of a worker node a daemon needs (the WorkerNode object has them). */
export interface DaemonNode {
  readonly host: NodeHost;
  readonly network: PodNetwork | undefined;
  readonly crashed: boolean;
}

/** Who a daemon is: its component name and service account. */
export interface DaemonIdentity {
  /** The component's name in the transcript, without the node: `kube-flannel`. */
  readonly component: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

export abstract class NetworkDaemon implements FabricMember {
  readonly client: RestClient;
  readonly prng: Prng;
  readonly fabric: NetworkFabric;
  running = true;

  constructor(
    readonly cluster: DaemonCluster,
    readonly node: DaemonNode,
    readonly net: CniPodNetwork,
    readonly identity: DaemonIdentity,
  ) {
    const name = this.name;
    this.client = cluster.serviceAccountClient(name, identity.namespace, identity.serviceAccount, node.host.name, node.host.name);
    this.prng = cluster.sim.prng.fork(`${name}#${node.host.bootCount}`);
    this.fabric = fabricFor(cluster, cluster.config);
    net.fabric = this.fabric;
    net.daemon = this;
  }

  get name(): string {
    return `${this.identity.component}/${this.node.host.name}`;
  }

  get sim(): Simulation {
    return this.cluster.sim;
  }

  get nodeName(): string {
    return this.node.host.name;
  }

  get nodeIP(): string {
    return this.node.host.address;
  }

  /** The kubelet started the container of DaemonSet pod `pod` (namespace/name). */
  start(pod: string): void {
    this.sim.spawn(this.client.actor, this.boot(pod));
  }

  /** The container stops (the machine crashed or was replaced): its connections close. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.client.actor.stop();
    this.cluster.transport.closeActor(this.client.actor);
    if (this.fabric.daemons.get(this.nodeName) === this) this.fabric.daemons.delete(this.nodeName);
    this.stopped();
  }

  /** False (and the daemon stops) once its machine has crashed or booted a new network. */
  alive(): boolean {
    if (this.running && !this.node.crashed && this.node.network === this.net) return true;
    this.stop();
    return false;
  }

  learn(_from: FabricMember): void {}
  forget(_from: FabricMember): void {}

  /** The plugin's own start-up, once its container runs. */
  protected abstract run(): Process<void>;
  protected stopped(): void {}

  private *boot(pod: string): Process<void> {
    this.record(
      `${this.identity.component} runs on ${this.nodeName} (pod ${pod}, hostNetwork)`,
      `daemonset-controller created ${pod} for ${this.nodeName}, and kube-scheduler bound it although the node is still NotReady: the DaemonSet's pods tolerate the node.kubernetes.io/not-ready:NoSchedule taint, because this is the component that will make the node's pod network work. The kubelet started it without waiting for NetworkReady, since a hostNetwork pod needs no CNI. It authenticates as ServiceAccount ${this.identity.namespace}/${this.identity.serviceAccount}.`,
      { pod, serviceAccount: `system:serviceaccount:${this.identity.namespace}:${this.identity.serviceAccount}` },
    );
    if (!this.alive()) return;
    yield* this.run();
  }

  record(summary: string, explanation: string, detail?: unknown, heartbeat?: boolean): void {
    this.sim.recorder.record({
      stage: 'networking',
      from: this.name,
      to: this.name,
      kind: 'node',
      node: this.nodeName,
      summary,
      explanation,
      ...(detail === undefined ? {} : { detail }),
      ...(heartbeat ? { heartbeat } : {}),
    });
  }

  /** PATCH nodes/<n>/status: NetworkUnavailable=False (and the plugin's annotations, if any). */
  *markNetworkAvailable(reason: string, message: string, why: string, annotations?: Record<string, string>): Process<boolean> {
    const now = this.sim.clock.rfc3339();
    const body = {
      ...(annotations ? { metadata: { annotations } } : {}),
      status: { conditions: [{ type: 'NetworkUnavailable', status: 'False', reason, message, lastTransitionTime: now, lastHeartbeatTime: now }] },
    };
    const res = yield* this.client.patch(`/api/v1/nodes/${this.nodeName}/status`, body, { why, stage: 'networking' });
    return res.status === 200;
  }
}
