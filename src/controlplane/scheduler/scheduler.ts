import type { Process } from '../../sim/simulation.js';
import { Informer, objectKey } from '../client/informer.js';
import type { Controller, ControllerContext } from '../controller/context.js';
import { jsonEqual } from '../apiserver/patch.js';
import { SchedulingQueue } from './scheduling-queue.js';
import type { AssumedPod } from './node-info.js';
import { SchedulerCache } from './scheduler-cache.js';
import { findNodesThatPassFilters } from './find-nodes.js';
import { FailedSearchCache, text } from './failed-search-cache.js';
import { fitErrorMessage, NO_NODES_AVAILABLE } from './fit-error.js';
import type { FilterPlugin, FilterStatus, NodeInfo } from './plugins/framework.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { taintToleration } from './plugins/taint-toleration.js';
import { NOT_IN_PREFILTER, nodeAffinity, preFilterNodeNames } from './plugins/node-affinity.js';
import { leastAllocatedScore, nodeResourcesFit } from './plugins/node-resources-fit.js';
import { selectHost, type NodeScore } from './select-host.js';
import { decisionDetail, describeFilters, describeScores, describeSearch, describedNodesLimit } from './decision-text.js';
import type { PodCondition, SchedulingNode, SchedulingPod } from './types.js';

/**
 * kube-scheduler (pkg/scheduler/schedule_one.go): takes one pending pod at a time, filters the
 * nodes, scores the ones that fit, assumes the pod onto the winner in its cache and POSTs a
 * Binding. It never talks to a kubelet: the Binding sets spec.nodeName and the node's kubelet
 * sees that through its own watch. Pods no node can take get PodScheduled=False and wait for a
 * cluster change.
 */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** The default profile's filters, in the order the real one runs them; a node stops at its first failure. */
export const FILTER_PLUGINS: readonly FilterPlugin[] = [nodeUnschedulable, taintToleration, nodeAffinity, nodeResourcesFit];

export class Scheduler implements Controller {
  readonly name = 'kube-scheduler';
  readonly nodes: Informer<SchedulingNode>;
  readonly pods: Informer<SchedulingPod>;
  readonly queue: SchedulingQueue;
  /** NodeInfo per node, kept current from the informers' events and the scheduler's assumptions. */
  readonly cache = new SchedulerCache();
  /** nextStartNodeIndex: where the next search for feasible nodes starts. */
  private nextStartNodeIndex = 0;
  private readonly failedSearches = new FailedSearchCache();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new SchedulingQueue(ctx.sim, ctx.actor);
    let synced = 0;
    const onSynced = (): void => {
      if (++synced === 2) ctx.sim.spawn(ctx.actor, this.run());
    };
    this.nodes = new Informer<SchedulingNode>(ctx.sim, ctx.client, ctx.prng.fork('nodes'), {
      path: '/api/v1/nodes',
      why: 'kube-scheduler lists and watches every node to know its allocatable cpu, memory and pod slots, its labels, its taints and whether it is cordoned.',
    }, {
      onAdd: (node) => {
        this.cache.setNode(node);
        this.queue.moveAllToActiveOrBackoff();
      },
      onUpdate: (old, cur) => {
        this.cache.setNode(cur);
        if (nodeChangeMayHelp(old, cur)) this.queue.moveAllToActiveOrBackoff();
      },
      onDelete: (node) => this.cache.removeNode(node.metadata.name ?? ''),
      onSynced,
    });
    this.pods = new Informer<SchedulingPod>(ctx.sim, ctx.client, ctx.prng.fork('pods'), {
      path: '/api/v1/pods',
      fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
      why: 'kube-scheduler lists and watches every pod that has not finished: unscheduled ones are its work, bound ones use up node resources it must count.',
    }, {
      onAdd: (pod) => this.onPod(undefined, pod),
      onUpdate: (old, pod) => this.onPod(old, pod),
      onDelete: (pod) => this.onPodDelete(pod),
      onSynced,
    });
  }

  start(): void {
    this.nodes.start();
    this.pods.start();
  }

  private responsible(pod: SchedulingPod): boolean {
    // Pods with scheduling gates wait outside the queue until the gates are removed (PreEnqueue).
    return (
      !pod.spec.nodeName &&
      (pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME &&
      !pod.metadata.deletionTimestamp &&
      !pod.spec.schedulingGates?.length
    );
  }

  /** The assume cache: pods whose Binding is in flight or not yet seen back through the watch. */
  get assumed(): ReadonlyMap<string, AssumedPod> {
    return this.cache.assumed;
  }

  private onPod(old: SchedulingPod | undefined, pod: SchedulingPod): void {
    const key = objectKey(pod);
    this.cache.setPod(key, pod);
    if (pod.spec.nodeName) {
      // The watch confirmed the binding: the pod now counts through the informer, not the assumption.
      this.cache.forget(key);
      this.queue.forget(key);
      return;
    }
    if (!this.responsible(pod)) {
      this.queue.forget(key);
      return;
    }
    // isPodUpdated: status-only writes (our own PodScheduled=False among them) do not retry the pod.
    if (!old || podChanged(old, pod)) this.queue.add(key);
  }

  private onPodDelete(pod: SchedulingPod): void {
    const key = objectKey(pod);
    this.cache.removePod(key);
    this.cache.forget(key);
    this.queue.forget(key);
    // A bound pod going away frees resources: pods waiting for room may fit now.
    if (pod.spec.nodeName) this.queue.moveAllToActiveOrBackoff();
  }

  private *run(): Process<void> {
    for (;;) {
      const key = yield* this.queue.pop();
      try {
        yield* this.scheduleOne(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** One scheduling cycle: filter, score, pick, assume, then bind in the background. */
  private *scheduleOne(key: string): Process<void> {
    const pod = this.pods.cache.get(key);
    if (!pod || !this.responsible(pod) || this.assumed.has(key)) return;
    const allNodes = this.cache.snapshot();
    if (allNodes.length === 0) {
      // Retried on backoff until a node registers; tell the learner once, not on every retry.
      if (this.queue.attempts(key) === 1) this.recordDecision(`no node for ${key}`, `kube-scheduler tried to place ${key}, but no node has registered yet. It retries with backoff (1s doubling to 10s) until one does.`);
      yield* this.markUnschedulable(pod, 'SchedulerError', NO_NODES_AVAILABLE);
      this.queue.addBackoff(key);
      return;
    }
    const named = preFilterNodeNames(pod);
    if (named) return yield* this.scheduleToNamed(key, pod, allNodes, named);
    const generation = this.cache.generation;
    const entry = this.failedSearches.lookup(pod, generation, this.nextStartNodeIndex)
      ?? this.failedSearches.remember(pod, generation, findNodesThatPassFilters(pod, allNodes, this.nextStartNodeIndex, runFilters));
    const search = entry.search;
    this.nextStartNodeIndex = search.nextStartIndex;
    const { feasible, statuses, evaluated: nodeInfos } = search;
    const limit = describedNodesLimit(allNodes.length);
    if (feasible.length === 0) {
      const message = text(entry, 'message', () => fitErrorMessage(pod, statuses, nodeInfos));
      const filters = text(entry, 'filters', () => describeFilters(nodeInfos, statuses, limit));
      this.recordDecision(`no node fits ${key}`, `${filters} ${message} The pod stays Pending and is retried when a node is added or changes or a bound pod is deleted (backoff ${this.queue.backoffMs(key) / 1000}s).`);
      yield* this.markUnschedulable(pod, 'Unschedulable', message);
      this.queue.addUnschedulable(key);
      return;
    }
    const scores: NodeScore[] = feasible.length === 1 ? [] : feasible.map((info) => ({ name: info.name, ...leastAllocatedScore(pod, info) }));
    const chosen = feasible.length === 1 ? { name: feasible[0].name, tied: [] as string[] } : selectHost(scores, this.ctx.prng);
    this.cache.assume(key, pod, chosen.name);
    this.recordDecision(
      `schedule ${key} → ${chosen.name}`,
      `${describeFilters(nodeInfos, statuses, limit)}${describeSearch(search, allNodes.length)} ${describeScores(chosen, scores, limit)} kube-scheduler assumes the pod onto ${chosen.name} in its own cache at once, so the next pod does not count the same free space, and binds it.`,
      chosen.name,
      decisionDetail(statuses, scores, chosen, limit),
    );
    this.ctx.sim.spawn(this.ctx.actor, this.bind(pod, chosen.name));
  }

  /**
   * A pod whose required node affinity names its node(s) (a DaemonSet's pod): NodeAffinity's
   * PreFilter hands only those nodes to the filters, and the search start moves on by the nodes
   * processed, as schedulePod does.
   */
  private *scheduleToNamed(key: string, pod: SchedulingPod, allNodes: readonly NodeInfo[], named: ReadonlySet<string>): Process<void> {
    const nodes = allNodes.filter((info) => named.has(info.name));
    const search = findNodesThatPassFilters(pod, nodes, 0, runFilters);
    this.nextStartNodeIndex = (this.nextStartNodeIndex + search.evaluated.length) % allNodes.length;
    const names = [...named].join(', ');
    const preFilter = `NodeAffinity's PreFilter: the pod's required node affinity (matchFields metadata.name In [${names}]) names its node, so only ${nodes.length ? nodes.map((n) => n.name).join(', ') : 'that node, which does not exist,'} is filtered.`;
    const filters = describeFilters(search.evaluated, search.statuses);
    if (search.feasible.length === 0) {
      const statuses = new Map(search.statuses);
      for (const info of allNodes) if (!named.has(info.name)) statuses.set(info.name, NOT_IN_PREFILTER);
      const message = fitErrorMessage(pod, statuses, allNodes);
      this.recordDecision(`no node fits ${key}`, `${preFilter} ${filters} ${message} The pod stays Pending and is retried when a node is added or changes or a bound pod is deleted (backoff ${this.queue.backoffMs(key) / 1000}s).`);
      yield* this.markUnschedulable(pod, 'Unschedulable', message);
      this.queue.addUnschedulable(key);
      return;
    }
    const chosen = search.feasible[0].name;
    this.cache.assume(key, pod, chosen);
    this.recordDecision(
      `schedule ${key} → ${chosen}`,
      `${preFilter} ${filters} kube-scheduler assumes the pod onto ${chosen} in its own cache and binds it.`,
      chosen,
      decisionDetail(search.statuses, [], { name: chosen, tied: [] }, Infinity),
    );
    this.ctx.sim.spawn(this.ctx.actor, this.bind(pod, chosen));
  }

  /** The binding cycle (DefaultBinder): POST pods/<name>/binding. */
  private *bind(pod: SchedulingPod, nodeName: string): Process<void> {
    const { name, namespace, uid } = pod.metadata;
    const key = objectKey(pod);
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid }, target: { kind: 'Node', name: nodeName } };
    const res = yield* this.ctx.client.create(`/api/v1/namespaces/${namespace}/pods/${name}/binding`, binding, {
      why: `kube-scheduler chose ${nodeName} for ${key} and records that by POSTing a Binding. The API server sets spec.nodeName and PodScheduled=True in one write; the kubelet on ${nodeName} learns of the pod from its own watch, not from the scheduler.`,
    });
    if (res.status === 201) return;
    // The binding failed: forget the assumption so the space is free again, and retry after backoff.
    this.cache.forget(key);
    const current = this.pods.cache.get(key);
    if (current && this.responsible(current)) this.queue.addBackoff(key);
  }

  /** handleSchedulingFailure: PodScheduled=False with the reason, written only when it changed. */
  private *markUnschedulable(pod: SchedulingPod, reason: string, message: string): Process<void> {
    const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (old && old.status === 'False' && old.reason === reason && old.message === message) return;
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : this.ctx.sim.clock.rfc3339(),
      reason,
      message,
    };
    const { name, namespace } = pod.metadata;
    yield* this.ctx.client.patch(`/api/v1/namespaces/${namespace}/pods/${name}/status`, { status: { conditions: [condition] } }, {
      why: `No node can run ${namespace}/${name} right now, so kube-scheduler records why on the pod: PodScheduled=False, reason ${reason}. \`kubectl describe pod\` shows this message; the pod waits for the cluster to change.`,
    });
  }

  private recordDecision(summary: string, explanation: string, node?: string, detail?: unknown): void {
    this.ctx.sim.recorder.record({ stage: 'synchronization', from: this.name, to: this.name, kind: 'decision', summary, explanation, node, detail });
  }
}

/** RunFilterPlugins: the first failing plugin's status, or undefined when the node fits. */
export function runFilters(pod: SchedulingPod, info: NodeInfo): FilterStatus | undefined {
  for (const plugin of FILTER_PLUGINS) {
    const status = plugin.filter(pod, info);
    if (status.code !== 'Success') return status;
  }
  return undefined;
}

function podChanged(old: SchedulingPod, cur: SchedulingPod): boolean {
  const strip = (p: SchedulingPod): unknown => ({ ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined } });
  return !jsonEqual(strip(old), strip(cur));
}

/** The queueing hints of the filters: only changes to what they read can make a pending pod fit. */
function nodeChangeMayHelp(old: SchedulingNode, cur: SchedulingNode): boolean {
  return (
    !jsonEqual(old.status?.allocatable, cur.status?.allocatable) ||
    !jsonEqual(old.metadata.labels, cur.metadata.labels) ||
    !jsonEqual(old.spec?.taints, cur.spec?.taints) ||
    Boolean(old.spec?.unschedulable) !== Boolean(cur.spec?.unschedulable)
  );
}
