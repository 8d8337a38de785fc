import type { Process } from '../../sim/simulation.js';
import { sleep } from '../../sim/simulation.js';
import { ratio } from '../../sim/prng.js';
import { recordKubeletStep, type KubeletContext } from './context.js';
import { normaliseImage, type Sandbox } from './container-runtime.js';
import type { PodNetwork } from './pod-network.js';
import { mergePodStatus, podStatus } from './pod-status.js';
import { createTwoWayMergePatch } from '../../api/strategic-merge-patch.js';

/**
 * The kubelet's pod workers (pkg/kubelet/pod_workers.go with kuberuntime): one worker per pod,
 * never two syncs of the same pod at once. A new pod gets a sandbox, its network from the CNI
 * plugin, its images and containers, with status PATCHed as it goes; a pod with a
 * deletionTimestamp is stopped and then deleted for good with grace period 0.
 */
type Obj = Record<string, any>;

export class PodWorkers {
  private readonly busy = new Set<string>();
  private readonly pending = new Map<string, Obj>();
  private readonly deleted = new Set<string>();
  /** The newest version of each pod seen, for retries. */
  private readonly latest = new Map<string, Obj>();

  constructor(
    private readonly ctx: KubeletContext,
    private readonly network: PodNetwork,
    private readonly onImagesChanged: () => void,
    /** A container of `pod` has just started (the node's agents run inside DaemonSet pods). */
    private readonly onContainerStarted: (pod: Obj, container: string) => void = () => {},
  ) {}

  /** A pod bound to this node was added or changed. */
  update(pod: Obj): void {
    const uid = pod.metadata.uid as string;
    if (this.deleted.has(uid)) return;
    this.latest.set(uid, pod);
    if (this.busy.has(uid)) {
      this.pending.set(uid, pod);
      return;
    }
    this.busy.add(uid);
    this.ctx.sim.spawn(this.ctx.actor, this.sync(pod), () => {
      this.busy.delete(uid);
      const next = this.pending.get(uid);
      this.pending.delete(uid);
      if (next) this.update(next);
    });
  }

  /** After the first list: stop containers of pods that no longer exist (deleted while the kubelet was away). */
  housekeeping(known: ReadonlySet<string>): void {
    for (const sandbox of [...this.ctx.runtime.sandboxes.values()]) {
      if (known.has(sandbox.podUid)) continue;
      const [namespace, name] = sandbox.podKey.split('/');
      this.remove({ metadata: { uid: sandbox.podUid, namespace, name } });
    }
  }

  /** The pod vanished from the API (deleted while the kubelet was away): stop what still runs. */
  remove(pod: Obj): void {
    const uid = pod.metadata.uid as string;
    const sandbox = this.ctx.runtime.sandboxes.get(uid);
    if (!sandbox) return;
    this.ctx.runtime.stopPod(uid, this.ctx.sim.nowMs);
    if (!sandbox.hostNetwork) this.network.tearDown(ref(pod), sandbox);
    this.latest.delete(uid);
    this.record(pod, `kubelet removes pod ${key(pod)}: it no longer exists in the API`, 'The pod was deleted while this kubelet was not watching; on its next sync the kubelet stops its containers and releases its IP (HandlePodRemoves).', 'synchronization');
  }

  private *sync(pod: Obj): Process<void> {
    const sandbox = this.ctx.runtime.sandboxes.get(pod.metadata.uid);
    if (pod.metadata.deletionTimestamp) return yield* this.terminate(pod, sandbox);
    if (sandbox) {
      // The status manager reconciles: if the API's copy says the running pod is not ready
      // (the node lifecycle controller marked it while the kubelet was away), it writes it back.
      const ready = (pod.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
      if (sandbox.containers.length > 0 && sandbox.containers.every((c) => c.state === 'running') && ready?.status !== 'True') {
        yield* this.patchStatus(pod, sandbox, 'running', `The API says ${key(pod)} is not ready, but its containers are running: the kubelet's status manager reconciles and writes the real status back.`);
      }
      return;
    }
    // Host-network pods (the network plugin's own DaemonSet pod among them) need no pod network.
    if (!this.network.ready && !isHostNetwork(pod)) {
      this.record(pod, `kubelet cannot start ${key(pod)} yet: network is not ready`, `syncPod refuses to start a pod that needs the pod network while the runtime reports NetworkReady=false ("network is not ready: container runtime network not ready"); the pod worker tries again in about 10s.`, 'networking');
      this.retryLater(pod);
      return;
    }
    if (!(yield* this.start(pod))) this.retryLater(pod);
  }

  /** The pod worker's back-off after a failed sync: backOffPeriod 10s with jitter 0.5. */
  private retryLater(pod: Obj): void {
    const uid = pod.metadata.uid as string;
    this.ctx.sim.schedule(this.ctx.actor, this.ctx.prng.jitterMs(10_000, ratio(1, 2)), () => {
      if (!this.deleted.has(uid) && !this.ctx.runtime.sandboxes.has(uid)) this.update(this.pending.get(uid) ?? this.latest.get(uid) ?? pod);
    });
  }

  /** Starts the pod; false when it must be retried. */
  private *start(pod: Obj): Process<boolean> {
    const { ctx } = this;
    const podKey = key(pod);
    const sandbox = ctx.runtime.runPodSandbox(pod.metadata.uid, podKey, ctx.sim.nowMs);
    if (isHostNetwork(pod)) {
      sandbox.hostNetwork = true;
      sandbox.ip = ctx.host.address;
      this.record(pod, `kubelet asks containerd for a sandbox for ${podKey} (hostNetwork)`, `The kubelet saw pod ${podKey} bound to its node through its watch (fieldSelector=spec.nodeName=${ctx.host.name}). It has hostNetwork: true, so RunPodSandbox creates the pause container in the node's own network namespace: no CNI ADD, no pod IP of its own, and no need for NetworkReady. The pod's IP is the node's, ${ctx.host.address}.`, 'synchronization', { sandboxId: sandbox.id, hostNetwork: true });
      yield* this.patchStatus(pod, sandbox, 'pending', `The sandbox is up in the node's network namespace, so the kubelet reports PodReadyToStartContainers=True and the node's IP ${ctx.host.address} as the pod IP while the containers are still being created.`);
    } else {
      this.record(pod, `kubelet asks containerd for a sandbox for ${podKey}`, `The kubelet saw pod ${podKey} bound to its node through its watch (fieldSelector=spec.nodeName=${ctx.host.name}); the CRI call RunPodSandbox creates the pause container and network namespace ${sandbox.netns}.`, 'synchronization', { sandboxId: sandbox.id, netns: sandbox.netns });
      const net = this.network.setUp(ref(pod), sandbox);
      if ('error' in net) {
        ctx.runtime.stopPod(pod.metadata.uid, ctx.sim.nowMs);
        this.record(pod, `sandbox for ${podKey} failed: ${net.error}`, `Without a working network the kubelet tears the sandbox down and retries the pod later (FailedCreatePodSandBox).`, 'networking');
        return false;
      }
      sandbox.ip = net.ip;
      yield* this.patchStatus(pod, sandbox, 'pending', `The sandbox and its network are up (IP ${net.ip}), so the kubelet reports PodReadyToStartContainers=True while the containers are still being created.`);
    }
    for (const container of pod.spec.containers as Obj[]) {
      yield* this.pullImage(pod, String(container.image));
      ctx.runtime.startContainer(sandbox, container.name, container.image, ctx.sim.nowMs);
      this.record(pod, `kubelet starts container ${container.name} of ${podKey}`, `CreateContainer and StartContainer through the CRI: containerd runs ${normaliseImage(container.image)} inside the pod's sandbox.`, 'synchronization');
      this.onContainerStarted(pod, String(container.name));
    }
    yield* this.patchStatus(pod, sandbox, 'running', `Every container of ${podKey} is running, so the kubelet's status manager PATCHes phase Running, Ready=True and the pod IP; the EndpointSlice controller and the scheduler learn it from their watches.`);
    return true;
  }

  private *pullImage(pod: Obj, image: string): Process<void> {
    const { ctx } = this;
    const name = normaliseImage(image);
    const pullPolicy = (pod.spec.containers as Obj[]).find((c) => c.image === image)?.imagePullPolicy;
    if (ctx.runtime.images.has(name) && pullPolicy !== 'Always') return;
    const pullMs = ctx.prng.intInclusive(800, 3_000);
    yield* sleep(ctx.sim, ctx.actor, pullMs);
    ctx.runtime.images.add(name);
    this.record(pod, `image ${name} pulled in ${(pullMs / 1000).toFixed(3)}s`, `The image was not on ${ctx.host.name} yet (imagePullPolicy ${pullPolicy}), so containerd pulled it from its registry; later pods on this node reuse it.`, 'synchronization');
    this.onImagesChanged();
  }

  private *terminate(pod: Obj, sandbox: Sandbox | undefined): Process<void> {
    const { ctx } = this;
    const podKey = key(pod);
    if (sandbox) {
      const stopMs = ctx.prng.intInclusive(100, 600);
      this.record(pod, `kubelet stops ${podKey} (SIGTERM, grace ${pod.metadata.deletionGracePeriodSeconds ?? 30}s)`, `The pod has a deletionTimestamp, so the kubelet stops its containers: SIGTERM first, SIGKILL only if the grace period runs out.`, 'synchronization');
      yield* sleep(ctx.sim, ctx.actor, stopMs);
      ctx.runtime.stopPod(pod.metadata.uid, ctx.sim.nowMs);
      if (!sandbox.hostNetwork) this.network.tearDown(ref(pod), sandbox);
    }
    this.deleted.add(pod.metadata.uid);
    yield* ctx.client.delete(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, {
      why: `Its containers have stopped, so the kubelet finishes the graceful deletion: DELETE with gracePeriodSeconds=0 removes ${podKey} from the API for good.`,
      stage: 'synchronization',
      gracePeriodSeconds: 0,
    });
  }

  /**
   * The status manager's syncPod: GET the pod, merge the kubelet's status into the status the
   * API has (conditions the kubelet does not own, such as PodScheduled, stay), and PATCH the
   * strategic-merge difference with metadata.uid as a precondition. Nothing is sent when the
   * status already matches.
   */
  private *patchStatus(pod: Obj, sandbox: Sandbox, phase: 'pending' | 'running', why: string): Process<void> {
    const { ctx } = this;
    const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`;
    const got = yield* ctx.client.get(path, {
      why: `Before reporting ${key(pod)}'s status, the kubelet's status manager reads the pod from kube-apiserver, so it can send only what differs from the status the API has.`,
      stage: 'synchronization',
    });
    if (got.status !== 200) return;
    const current = got.body as Obj;
    // The pod was deleted and created again under the same name: this status is not its.
    if (current.metadata?.uid !== pod.metadata.uid) return;
    const oldStatus = (current.status ?? {}) as Obj;
    const status = mergePodStatus(oldStatus, podStatus(ctx, pod, sandbox, phase));
    const patch = createTwoWayMergePatch({ status: oldStatus }, { metadata: { uid: pod.metadata.uid }, status });
    if (Object.keys(patch).length === 1) return;
    yield* ctx.client.patch(`${path}/status`, patch, {
      why: `${why} The body is a strategic merge patch from the status the API has: only what changed, conditions merged by type with $setElementOrder/conditions, and metadata.uid as a precondition so it never lands on a new pod of the same name.`,
      stage: 'synchronization',
    });
  }

  private record(pod: Obj, summary: string, explanation: string, stage: 'synchronization' | 'networking', detail?: unknown): void {
    recordKubeletStep(this.ctx, { stage, summary, explanation, detail });
  }
}

function isHostNetwork(pod: Obj): boolean {
  return pod.spec?.hostNetwork === true;
}

function key(pod: Obj): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

function ref(pod: Obj): { namespace: string; name: string; uid: string } {
  return { namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}
