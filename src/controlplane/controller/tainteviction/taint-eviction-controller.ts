import { formatVirtualTime } from '../../../sim/clock.js';
import { sleep, type Process } from '../../../sim/simulation.js';
import type { StepInput } from '../../../sim/trace.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import { NODE_NAME_INDEX, nodeNameIndexFunc } from '../../client/indexer.js';
import { jsonEqual } from '../../apiserver/patch.js';
import type { Controller, ControllerContext } from '../context.js';
import { EventRecorder } from '../nodelifecycle/event-recorder.js';
import { taintText, type NodeObject, type PodObject, type Taint, type Toleration } from '../nodelifecycle/types.js';
import { TimedWorkerQueue } from './timed-workers.js';
import { getMatchingTolerations, getMinTolerationTimeMs, noExecuteTaints } from './tolerations.js';

/**
 * The taint-eviction controller (pkg/controller/tainteviction/taint_eviction.go), a separate
 * controller since 1.29. It watches NoExecute taints on Nodes and the tolerations of the pods on
 * them: a pod that does not tolerate every NoExecute taint is deleted at once; one that tolerates
 * them with tolerationSeconds is deleted when the smallest of those runs out; removing the taint
 * in time cancels the deletion. Deletion is an ordinary graceful DELETE, preceded by a
 * DisruptionTarget condition saying why.
 */
const DELETE_RETRIES = 5;
const RETRY_SLEEP_MS = 10;

export class TaintEvictionController implements Controller {
  readonly name = 'taint-eviction-controller';
  readonly nodes: InformerLike<NodeObject>;
  readonly pods: InformerLike<PodObject>;
  /** NoExecute taints of every tainted node, as last seen (taintedNodes). */
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly queue: WorkQueue;
  private readonly evictions: TimedWorkerQueue;
  private readonly events: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.sim, ctx.actor);
    this.evictions = new TimedWorkerQueue(ctx.sim, ctx.actor, (key, fireAtMs, delayed) => this.deletePod(key, fireAtMs, delayed));
    this.events = new EventRecorder(ctx, 'taint-eviction-controller', 'synchronization');
    let synced = 0;
    const onSynced = (): void => {
      if (++synced === 2) ctx.sim.spawn(ctx.actor, runWorker(this.queue, (key) => this.handle(key)));
    };
    this.nodes = sharedInformer<NodeObject>(ctx, 'nodes', {
      path: '/api/v1/nodes', stage: 'synchronization',
      why: 'The taint-eviction controller lists and watches Nodes for NoExecute taints, the signal to evict pods that do not tolerate them.',
    }, {
      onAdd: (node) => this.nodeUpdated(undefined, node),
      onUpdate: (old, node) => this.nodeUpdated(old, node),
      onDelete: (node) => this.queue.add(`node:${node.metadata.name}`),
      onSynced,
    });
    this.pods = sharedInformer<PodObject>(ctx, 'pods', {
      path: '/api/v1/pods', stage: 'synchronization',
      why: 'The taint-eviction controller lists and watches Pods to know which pods run on a tainted node and what they tolerate.',
    }, {
      onAdd: (pod) => this.podUpdated(undefined, pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.queue.add(`pod:${pod.metadata.namespace}/${pod.metadata.name}@${pod.spec.nodeName ?? ''}`),
      onSynced,
    });
    this.pods.addIndexer(NODE_NAME_INDEX, nodeNameIndexFunc);
  }

  start(): void {
    this.nodes.start();
    this.pods.start();
  }

  private nodeUpdated(old: NodeObject | undefined, node: NodeObject): void {
    if (old && jsonEqual(noExecuteTaints(old.spec?.taints), noExecuteTaints(node.spec?.taints))) return;
    this.queue.add(`node:${node.metadata.name}`);
  }

  private podUpdated(old: PodObject | undefined, pod: PodObject): void {
    if (old && old.spec.nodeName === pod.spec.nodeName && jsonEqual(old.spec.tolerations ?? [], pod.spec.tolerations ?? [])) return;
    this.queue.add(`pod:${pod.metadata.namespace}/${pod.metadata.name}@${pod.spec.nodeName ?? ''}`);
  }

  private *handle(key: string): Process<void> {
    if (key.startsWith('node:')) this.handleNodeUpdate(key.slice(5));
    else {
      const [podKey, nodeName] = key.slice(4).split('@');
      this.handlePodUpdate(podKey, nodeName);
    }
  }

  private handleNodeUpdate(name: string): void {
    const node = this.nodes.cache.get(name);
    const taints = noExecuteTaints(node?.spec?.taints);
    if (!node || taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    if (!node) return;
    const pods = this.pods.byIndex(NODE_NAME_INDEX, name).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    for (const pod of pods) {
      const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (taints.length === 0) this.cancelWithEvent(podKey, `the NoExecute taints on ${name} were removed`);
      else this.processPodOnNode(podKey, name, pod.spec.tolerations, taints);
    }
  }

  private handlePodUpdate(podKey: string, nodeName: string): void {
    const pod = this.pods.cache.get(podKey);
    if (!pod) {
      this.cancelWithEvent(podKey, 'the pod is gone');
      return;
    }
    if (!nodeName || pod.spec.nodeName !== nodeName) return;
    const taints = this.taintedNodes.get(nodeName);
    if (taints) this.processPodOnNode(podKey, nodeName, pod.spec.tolerations, taints);
  }

  private processPodOnNode(podKey: string, nodeName: string, tolerations: readonly Toleration[] | undefined, taints: readonly Taint[]): void {
    const now = this.ctx.sim.nowMs;
    const match = getMatchingTolerations(taints, tolerations);
    if (!match.allTolerated) {
      this.cancelWithEvent(podKey);
      this.decide(nodeName, `evict ${podKey} now: it does not tolerate ${taintText(match.untolerated)}`,
        `Node ${nodeName} has the NoExecute taint ${taintText(match.untolerated)} and pod ${podKey} has no toleration for it, so the taint-eviction controller deletes the pod right away.`);
      this.evictions.addWork(podKey, now, now);
      return;
    }
    const minMs = getMinTolerationTimeMs(match.used);
    const keys = taints.map((t) => t.key).join(', ');
    if (minMs < 0) {
      if (this.cancelWithEvent(podKey) || this.evictions.getWorker(podKey) === undefined) {
        this.decide(nodeName, `keep ${podKey}: it tolerates ${keys} forever`, `Pod ${podKey} tolerates every NoExecute taint on ${nodeName} without tolerationSeconds (as DaemonSet pods do), so it is never evicted for them.`);
      }
      return;
    }
    let startMs = now;
    const scheduled = this.evictions.getWorker(podKey);
    if (scheduled) {
      startMs = scheduled.createdAtMs;
      // Already counting down from earlier: keep that schedule.
      if (startMs + minMs < now + minMs) return;
      this.cancelWithEvent(podKey);
    }
    if (scheduled === null) return; // already deleted (or deleting)
    const fireAtMs = now + minMs;
    this.decide(nodeName, `pod ${podKey} tolerates ${keys} for ${minMs / 1000}s; evicting at t=${formatVirtualTime(fireAtMs)}`,
      `Node ${nodeName} has NoExecute taint(s) ${taints.map(taintText).join(', ')}. Pod ${podKey} tolerates them, but only for tolerationSeconds=${minMs / 1000} (the smallest of its matching tolerations; DefaultTolerationSeconds admission adds 300s ones to every pod). The taint-eviction controller sets a timer: unless the taint is removed before t=${formatVirtualTime(fireAtMs)}, the pod is deleted then.`,
      { fireAtMs, tolerationSeconds: minMs / 1000 });
    this.evictions.addWork(podKey, startMs, fireAtMs);
  }

  /** cancelWorkWithEvent: stops a pending deletion and says so; true if one was pending. */
  private cancelWithEvent(podKey: string, reason?: string): boolean {
    if (!this.evictions.cancelWork(podKey)) return false;
    const [namespace, name] = podKey.split('/');
    if (reason) this.decide(this.pods.cache.get(podKey)?.spec.nodeName, `cancel eviction of ${podKey}: ${reason}`, `The taint-eviction controller stops the timer that would have deleted ${podKey}, because ${reason}.`);
    this.events.event({ kind: 'Pod', name, namespace }, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${podKey}`,
      `The taint-eviction controller records that it no longer plans to delete ${podKey}.`);
    return true;
  }

  /** deletePodHandler: event, then up to 5 tries of DisruptionTarget condition + DELETE. */
  private *deletePod(podKey: string, fireAtMs: number, delayed: boolean): Process<boolean> {
    const [namespace, name] = podKey.split('/');
    if (delayed) {
      this.ctx.sim.recorder.record({
        stage: 'synchronization', from: this.ctx.client.name, to: this.ctx.client.name, kind: 'timer',
        node: this.pods.cache.get(podKey)?.spec.nodeName,
        summary: `toleration of ${podKey} ran out at t=${formatVirtualTime(fireAtMs)}`,
        explanation: `The NoExecute taint is still on the node and pod ${podKey}'s tolerationSeconds have passed, so the taint-eviction controller's timer fires and it deletes the pod.`,
      });
    }
    this.events.event({ kind: 'Pod', name, namespace }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${podKey}`,
      `The taint-eviction controller records that it is deleting ${podKey} because of a NoExecute taint.`);
    for (let attempt = 0; attempt < DELETE_RETRIES; attempt++) {
      if (attempt > 0) yield* sleep(this.ctx.sim, this.ctx.actor, RETRY_SLEEP_MS);
      if (yield* this.addConditionAndDeletePod(namespace, name)) return true;
    }
    return false;
  }

  private *addConditionAndDeletePod(namespace: string, name: string): Process<boolean> {
    const path = `/api/v1/namespaces/${namespace}/pods/${name}`;
    const got = yield* this.ctx.client.get(path, { why: `Before deleting ${namespace}/${name}, the taint-eviction controller reads the pod fresh from kube-apiserver.`, stage: 'synchronization' });
    if (got.status !== 200) return got.status === 404;
    const pod = got.body as PodObject;
    const conditions = pod.status?.conditions ?? [];
    const existing = conditions.find((c) => c.type === 'DisruptionTarget');
    const condition = { type: 'DisruptionTarget', status: 'True' as const, reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
    if (!existing || existing.status !== 'True' || existing.reason !== condition.reason || existing.message !== condition.message) {
      const full = { ...condition, lastProbeTime: null, lastTransitionTime: existing?.status === 'True' ? existing.lastTransitionTime : this.ctx.sim.clock.rfc3339() };
      const order = [...conditions.filter((c) => c.type !== 'DisruptionTarget'), full].map((c) => ({ type: c.type }));
      const res = yield* this.ctx.client.patch(`${path}/status`, { metadata: { uid: pod.metadata.uid }, status: { '$setElementOrder/conditions': order, conditions: [full] } }, {
        why: `The taint-eviction controller first marks ${namespace}/${name} with condition DisruptionTarget=True (reason DeletionByTaintManager), so anyone looking at the pod (a Job's pod failure policy, a person) can tell why it is being deleted.`,
        stage: 'synchronization',
      });
      if (res.status !== 200) return false;
    }
    const res = yield* this.ctx.client.delete(path, {
      why: `The taint-eviction controller deletes ${namespace}/${name}: a normal, graceful DELETE. kube-apiserver sets deletionTimestamp; the kubelet stops the containers, or, if its node is unreachable, the pod stays Terminating until the node returns or is deleted. Its ReplicaSet, if any, creates a replacement elsewhere.`,
      stage: 'synchronization',
    });
    return res.status === 200 || res.status === 404;
  }

  private decide(node: string | undefined, summary: string, explanation: string, detail?: unknown): void {
    const step: StepInput = { stage: 'synchronization', from: this.ctx.client.name, to: this.ctx.client.name, kind: 'decision', node, summary, explanation, detail };
    this.ctx.sim.recorder.record(step);
  }
}
