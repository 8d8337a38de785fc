import type { NodeSpec } from '../scenario/index.js';
import { NodeHost } from '../node/host.js';
import { Kubelet } from '../node/kubelet/kubelet.js';
import { ContainerRuntime } from '../node/kubelet/container-runtime.js';
import { createNetworkDaemon, createPodNetwork, type NetworkDaemonHandle } from '../node/network/index.js';
import { KubeProxy } from '../node/kube-proxy.js';
import { RestClient } from '../controlplane/client/rest-client.js';
import type { Actor } from '../sim/simulation.js';
import type { PodNetwork } from '../node/kubelet/pod-network.js';
import { DEFAULT_BOOTSTRAP_TOKEN } from './seed.js';
import { KUBE_PROXY_DAEMONSET, networkDaemonSet, type NodeAgentDaemonSet } from './daemonsets.js';
import type { Cluster } from './cluster.js';

/**
 * One worker machine and its agents. `boot()` is `kubeadm join`: the kubelet starts with
 * bootstrap-kubelet.conf (or a pre-issued certificate), kube-proxy with its service-account
 * token. When the kubelet exits with an error, systemd starts it again 10s later.
 */
const SYSTEMD_RESTART_MS = 10_000;

export class WorkerNode {
  readonly host: NodeHost;
  runtime: ContainerRuntime;
  network: PodNetwork | undefined;
  kubelet: Kubelet | undefined;
  kubeProxy: KubeProxy | undefined;
  private kubeletRuns = 0;
  private kubeletActor: Actor | undefined;
  private kubeProxyActor: Actor | undefined;
  crashed = false;
  networkDaemon: NetworkDaemonHandle | undefined;

  constructor(
    private readonly cluster: Cluster,
    readonly spec: NodeSpec,
  ) {
    this.host = new NodeHost(spec.name, spec.address, {
      cpuMilli: spec.capacity.cpuMillis,
      memoryBytes: spec.capacity.memoryBytes,
      pods: spec.capacity.pods,
    });
    this.runtime = new ContainerRuntime(cluster.sim.prng.fork(`containerd/${spec.name}`));
  }

  boot(): void {
    const { cluster, spec } = this;
    this.host.bootCount++;
    if (spec.auth.method === 'client-certificate' && !this.host.disk.clientCertificatePem) {
      // Provisioned out of band (kubeadm join with a certificate): kubelet.conf already holds one.
      this.host.disk.clientCertificatePem = cluster.pki.clientCertificate(`system:node:${spec.name}`, ['system:nodes']);
    }
    this.network = createPodNetwork({ sim: cluster.sim, host: this.host, config: cluster.config });
    this.startKubelet();
  }

  /** The whole machine stops: no kubelet, no kube-proxy, every container gone. */
  crash(): void {
    this.stopKubelet();
    this.stopKubeProxy();
    this.networkDaemon?.stop();
    this.host.machine.stop();
    this.runtime.wipe();
    this.cluster.network.partition(this.spec.name);
    this.crashed = true;
  }

  /** The machine boots again: systemd starts the kubelet, which still has its certificate on disk. */
  restart(): void {
    if (!this.crashed) return;
    this.crashed = false;
    this.host.machine = this.host.agentActor('machine');
    this.cluster.network.heal(this.spec.name);
    this.kubeProxy = undefined;
    this.boot();
  }

  stopKubelet(): void {
    if (!this.kubelet) return;
    this.kubeletActor?.stop();
    if (this.kubeletActor) this.cluster.transport.closeActor(this.kubeletActor);
    this.kubelet = undefined;
  }

  stopKubeProxy(): void {
    const proxy = this.kubeProxy;
    if (!proxy || !this.kubeProxyActor?.alive) return;
    this.kubeProxyActor.stop();
    this.cluster.transport.closeActor(this.kubeProxyActor);
  }

  get kubeProxyRunning(): boolean {
    return this.kubeProxyActor?.alive === true;
  }

  startKubelet(): void {
    const { cluster, spec } = this;
    const actor = this.host.agentActor('kubelet');
    this.kubeletActor = actor;
    const name = `kubelet/${spec.name}`;
    const client = new RestClient(cluster.transport, actor, spec.name, name, {}, spec.name);
    const run = ++this.kubeletRuns;
    this.kubelet = new Kubelet(
      {
        sim: cluster.sim,
        host: this.host,
        actor,
        client,
        prng: cluster.sim.prng.fork(`${name}#${run}`),
        config: cluster.config,
        runtime: this.runtime,
        name,
        options: {
          labels: spec.labels,
          taints: spec.taints,
          auth: spec.auth.method === 'bootstrap-token' ? { method: 'bootstrap-token', token: spec.auth.token ?? DEFAULT_BOOTSTRAP_TOKEN } : { method: 'client-certificate' },
        },
      },
      this.network!,
      () => cluster.sim.schedule(this.host.machine, SYSTEMD_RESTART_MS, () => this.startKubelet()),
      () => {},
      (pod, container) => this.containerStarted(pod, container),
    );
    this.kubelet.start();
  }

  /**
   * The node's agents run in DaemonSet pods: when the kubelet starts the kube-proxy container of a
   * kube-system/kube-proxy pod, kube-proxy starts; when it starts the network plugin's container,
   * the plugin's daemon starts.
   */
  private containerStarted(pod: Record<string, any>, container: string): void {
    const is = (ds: NodeAgentDaemonSet | undefined): boolean => {
      const owner = (pod.metadata.ownerReferences ?? []).find((r: { controller?: boolean }) => r.controller);
      return ds !== undefined && pod.metadata.namespace === ds.namespace && owner?.kind === 'DaemonSet' && owner.name === ds.name && container === ds.container;
    };
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (is(KUBE_PROXY_DAEMONSET) && !this.kubeProxyRunning) this.startKubeProxy(podKey);
    if (is(networkDaemonSet(this.cluster.config))) this.networkDaemon = createNetworkDaemon(this.cluster, this, podKey);
  }

  /**
   * kube-proxy runs on every node in a pod of kubeadm's kube-system/kube-proxy DaemonSet, with
   * host networking, so it needs no pod network to start. `pod` names that pod; without it
   * (the `start-kube-proxy` timeline action) the process is started again by hand.
   */
  startKubeProxy(pod?: string): void {
    const { cluster, spec } = this;
    cluster.sim.recorder.record({
      stage: 'networking',
      from: `kubelet/${spec.name}`,
      to: `kube-proxy/${spec.name}`,
      kind: 'node',
      node: spec.name,
      summary: `kube-proxy starts on ${spec.name}${pod ? ` (pod ${pod})` : ''}`,
      explanation: `kube-proxy runs on every node as a pod of the kube-system/kube-proxy DaemonSet that kubeadm installs. The daemonset-controller created ${pod ?? 'the pod'} for ${spec.name}, kube-scheduler bound it (it tolerates every taint, node.kubernetes.io/not-ready included), and the kubelet started it at once: with hostNetwork: true it shares the node's network namespace and needs no CNI. It authenticates with the kube-proxy service account's token, not with the node's certificate.`,
    });
    const client = cluster.serviceAccountClient(`kube-proxy/${spec.name}`, 'kube-system', 'kube-proxy', spec.name, spec.name);
    this.kubeProxyActor = client.actor;
    this.kubeProxy = new KubeProxy(cluster.sim, client, cluster.sim.prng.fork(`kube-proxy/${spec.name}`), spec.name, cluster.config);
    this.kubeProxy.start();
  }
}
