import type { Process } from '../../sim/simulation.js';
import { Informer } from '../../controlplane/client/informer.js';
import { recordKubeletStep, type KubeletContext } from './context.js';
import { tlsBootstrap, recordExit } from './bootstrap.js';
import { registerWithApiServer, startNodeStatusLoop, type StatusLoop } from './registration.js';
import { runNodeLease } from './node-lease.js';
import { PodWorkers } from './pod-workers.js';
import { isExpired, startCertificateManager } from './certificate-manager.js';
import type { PodNetwork } from './pod-network.js';
import type { NodeState } from './node-status.js';

/**
 * The kubelet (pkg/kubelet/kubelet.go): get credentials, register the Node, then keep three
 * conversations going with the API server: the Lease heartbeat, node status, and a watch on
 * the pods bound to this node, which it runs through the container runtime.
 */
type Obj = Record<string, any>;

export class Kubelet {
  private nodeUid: string | undefined;
  private statusLoop: StatusLoop | undefined;
  readonly state: NodeState;

  constructor(
    private readonly ctx: KubeletContext,
    private readonly network: PodNetwork,
    /** Called when the process exits with an error; systemd restarts it. */
    private readonly onExit: () => void,
    /** Called once the Node exists. */
    private readonly onRegistered: () => void = () => {},
    /** Called when a container of a pod starts (kube-proxy and the network plugin run in DaemonSet pods). */
    private readonly onContainerStarted: (pod: Obj, container: string) => void = () => {},
  ) {
    this.state = { networkReady: network.ready, images: [...ctx.runtime.images] };
  }

  start(): void {
    this.ctx.sim.spawn(this.ctx.actor, this.run());
  }

  private *run(): Process<void> {
    const { ctx } = this;
    if (!(yield* this.credentials())) {
      ctx.actor.stop();
      this.onExit();
      return;
    }
    this.certificateChanged = startCertificateManager(ctx, () => {
      ctx.actor.stop();
      ctx.client.transport.closeActor(ctx.actor);
      this.onExit();
    });
    const node = yield* registerWithApiServer(ctx, this.state);
    this.nodeUid = node.metadata.uid;
    this.onRegistered();
    const nodeInformer = this.watchOwnNode();
    this.statusLoop = startNodeStatusLoop(ctx, this.state, () => nodeInformer.cache.get(ctx.host.name));
    ctx.sim.spawn(ctx.actor, runNodeLease(ctx, () => this.nodeUid));
    this.network.onReadyChange(() => {
      this.state.networkReady = this.network.ready;
      this.statusLoop?.poke();
    });
    nodeInformer.start();
    this.watchPods();
  }

  /** The certificate on disk changed (rotated, or expired by the timeline): re-read it. */
  certificateChanged: () => void = () => {};

  /** Uses the certificate on disk, or runs the TLS bootstrap with the bootstrap token. */
  private *credentials(): Process<boolean> {
    const { ctx } = this;
    const pem = ctx.host.disk.clientCertificatePem;
    if (pem && !isExpired(ctx, pem)) {
      ctx.client.credentials = { clientCertificate: pem };
      return true;
    }
    if (pem) {
      recordKubeletStep(ctx, {
        stage: 'authentication',
        summary: 'kubelet.conf holds an expired certificate: falling back to bootstrap-kubelet.conf',
        explanation: 'At start-up the kubelet checks that kubelet.conf still has a usable client certificate. It has expired, so the kubelet starts the TLS bootstrap again with the bootstrap token, if that token still works.',
      });
      ctx.host.disk.clientCertificatePem = undefined;
    }
    if (ctx.options.auth.method !== 'bootstrap-token') {
      recordExit(ctx, 'no client certificate and no bootstrap kubeconfig');
      return false;
    }
    return yield* tlsBootstrap(ctx, ctx.options.auth.token);
  }

  /**
   * The kubelet's node informer: it learns spec.podCIDR from here and hands it to the runtime,
   * and its cache is the Node that node status updates are computed against.
   */
  private watchOwnNode(): Informer {
    const { ctx } = this;
    let cidr: string | undefined;
    const onNode = (node: Obj): void => {
      const next = node.spec?.podCIDR as string | undefined;
      if (!next || next === cidr) return;
      cidr = next;
      recordKubeletStep(ctx, {
        stage: 'registration',
        summary: `kubelet learns its pod CIDR ${next}`,
        explanation: `The node IPAM controller wrote spec.podCIDR=${next} on the Node; the kubelet sees it through its node watch and passes it to the container runtime (UpdateRuntimeConfig), so pods on ${ctx.host.name} get addresses from this range.`,
      });
      this.network.setPodCIDR(next);
    };
    return new Informer(ctx.sim, ctx.client, ctx.prng.fork('node-informer'), {
      path: '/api/v1/nodes',
      fieldSelector: `metadata.name=${ctx.host.name}`,
      why: `The kubelet lists and watches its own Node object (fieldSelector=metadata.name=${ctx.host.name}), the only Node the Node authorizer lets it read.`,
      stage: 'registration',
    }, { onAdd: onNode, onUpdate: (_old, node) => onNode(node) });
  }

  private watchPods(): void {
    const { ctx } = this;
    const workers = new PodWorkers(ctx, this.network, () => {
      this.state.images = [...ctx.runtime.images];
    }, this.onContainerStarted);
    const informer: Informer = new Informer(ctx.sim, ctx.client, ctx.prng.fork('pod-informer'), {
      path: '/api/v1/pods',
      fieldSelector: `spec.nodeName=${ctx.host.name}`,
      why: `The kubelet lists and watches the pods bound to its node (fieldSelector=spec.nodeName=${ctx.host.name}). The scheduler never contacts the kubelet: a binding shows up here as a pod whose spec.nodeName is this node.`,
      stage: 'synchronization',
    }, {
      onAdd: (pod) => workers.update(pod),
      onUpdate: (_old, pod) => workers.update(pod),
      onDelete: (pod) => workers.remove(pod),
      onSynced: () => workers.housekeeping(new Set([...informer.cache.values()].map((p) => p.metadata.uid as string))),
    });
    informer.start();
  }
}
