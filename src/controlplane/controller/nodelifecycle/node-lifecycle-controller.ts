import { sleep, type Process } from '../../../sim/simulation.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import { NODE_NAME_INDEX, nodeNameIndexFunc } from '../../client/indexer.js';
import type { Controller, ControllerContext } from '../context.js';
import { EventRecorder } from './event-recorder.js';
import { markPodsNotReady } from './mark-pods.js';
import { evaluateNodeHealth, type HealthEvaluation, type NodeHealth } from './node-health.js';
import { HealthReporter } from './health-reporter.js';
import { NodeTaintWriter, noScheduleTaintDiff } from './node-taints.js';
import { NoExecuteTainter } from './no-execute-tainter.js';
import type { LeaseObject, NodeCondition, NodeObject, PodObject } from './types.js';
import { EXCLUDE_DISRUPTION_LABEL, ZoneTainters, zoneKey } from './zones.js';

/**
 * The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go).
 * Kubelets push heartbeats (Lease renewals, node status); this controller checks them every
 * --node-monitor-period. A node silent for longer than --node-monitor-grace-period gets its
 * conditions set to Unknown, its pods marked not ready, and the `unreachable` taints: NoSchedule at
 * once (keep new pods away), NoExecute through a per-zone rate limiter (the taint-eviction
 * controller then evicts pods that do not tolerate it). It never deletes pods itself.
 */
const NODE_HEALTH_UPDATE_RETRIES = 5;
const RETRY_SLEEP_MS = 20;

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle-controller';
  readonly nodes: InformerLike<NodeObject>;
  readonly leases: InformerLike<LeaseObject>;
  readonly pods: InformerLike<PodObject>;
  /** What the controller last saw of each node, timed on its own clock (nodeHealthMap). */
  readonly health = new Map<string, NodeHealth>();
  readonly zones: ZoneTainters;
  private readonly knownNodes = new Set<string>();
  private readonly nodesToRetry = new Set<string>();
  private readonly nodeQueue: WorkQueue;
  private readonly podQueue: WorkQueue;
  private readonly events: EventRecorder;
  private readonly taints: NodeTaintWriter;
  private readonly noExecute: NoExecuteTainter;
  private readonly report: HealthReporter;

  constructor(private readonly ctx: ControllerContext) {
    this.zones = new ZoneTainters(ctx.config);
    this.nodeQueue = new WorkQueue(ctx.sim, ctx.actor);
    this.podQueue = new WorkQueue(ctx.sim, ctx.actor);
    this.events = new EventRecorder(ctx, 'node-controller', 'synchronization');
    this.taints = new NodeTaintWriter(ctx);
    this.report = new HealthReporter(ctx);
    this.noExecute = new NoExecuteTainter(ctx, this.zones, this.taints, (name) => this.nodes.cache.get(name));
    let synced = 0;
    const onSynced = (): void => {
      if (++synced === 3) this.run();
    };
    const stage = 'synchronization' as const;
    this.nodes = sharedInformer<NodeObject>(ctx, 'nodes', {
      path: '/api/v1/nodes', stage,
      why: 'The node lifecycle controller lists and watches Nodes: their conditions (Ready, pressure) are one of the two heartbeats it judges node health by.',
    }, {
      onAdd: (node) => this.nodeQueue.add(node.metadata.name ?? ''),
      onUpdate: (_old, node) => this.nodeQueue.add(node.metadata.name ?? ''),
      onDelete: (node) => this.nodesToRetry.delete(node.metadata.name ?? ''),
      onSynced,
    });
    this.leases = sharedInformer<LeaseObject>(ctx, 'leases', {
      path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', stage, heartbeat: true,
      why: 'The node lifecycle controller lists and watches the node Leases in kube-node-lease: a renewed Lease is the cheap heartbeat every kubelet sends every 10s.',
    }, { onSynced });
    this.pods = sharedInformer<PodObject>(ctx, 'pods', {
      path: '/api/v1/pods', stage,
      why: 'The node lifecycle controller lists and watches Pods to know which pods run on each node, to mark them not ready when their node fails.',
    }, {
      onAdd: (pod) => this.podUpdated(undefined, pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onSynced,
    });
    this.pods.addIndexer(NODE_NAME_INDEX, nodeNameIndexFunc);
  }

  start(): void {
    this.nodes.start();
    this.leases.start();
    this.pods.start();
  }

  private run(): void {
    const { sim, actor } = this.ctx;
    sim.spawn(actor, runWorker(this.nodeQueue, (name) => this.doNoScheduleTaintingPass(name)));
    sim.spawn(actor, runWorker(this.podQueue, (key) => this.processPod(key)));
    const period = this.ctx.config.nodeMonitorPeriodMs;
    // wait.Until: run now, then --node-monitor-period after each pass ends.
    sim.spawn(actor, (function* (self: NodeLifecycleController): Process<void> {
      for (;;) {
        yield* self.monitorNodeHealth();
        yield* sleep(sim, actor, period);
      }
    })(this));
  }

  podsOnNode(nodeName: string): PodObject[] {
    return sortByName(this.pods.byIndex(NODE_NAME_INDEX, nodeName));
  }

  /** One pass over every node: health, pods, taints, then zone disruption. */
  *monitorNodeHealth(): Process<void> {
    const nodes = this.nodes.list().sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    yield* this.classifyNodes(nodes);
    const zoneConditions = new Map<string, (NodeCondition | undefined)[]>();
    for (const cached of nodes) {
      const result = yield* this.updateNodeHealth(cached);
      if (!result) continue;
      const { node, evaluation } = result;
      if (!(EXCLUDE_DISRUPTION_LABEL in (node.metadata.labels ?? {}))) {
        const zone = zoneKey(node);
        zoneConditions.set(zone, [...(zoneConditions.get(zone) ?? []), evaluation.current]);
      }
      if (evaluation.current) yield* this.afterHealthUpdate(node, evaluation.observed, evaluation.current);
    }
    const outcome = this.zones.handleDisruption(zoneConditions, this.ctx.sim.nowMs);
    this.report.disruption(outcome, nodes.length);
    if (outcome.kind !== 'enter-full-disruption' && outcome.changes.length > 0) this.noExecute.wake();
    if (outcome.kind === 'enter-full-disruption') {
      for (const node of nodes) yield* this.noExecute.markNodeAsReachable(node, 'every zone is fully disrupted');
    } else if (outcome.kind === 'exit-full-disruption') {
      // Leaving disruption mode, every node gets a fresh grace period.
      const now = this.ctx.sim.nowMs;
      for (const node of nodes) {
        const h = this.health.get(node.metadata.name ?? '');
        if (h) this.health.set(node.metadata.name ?? '', { ...h, probeTimestampMs: now, readyTransitionTimestampMs: now });
      }
    }
  }

  private *classifyNodes(nodes: readonly NodeObject[]): Process<void> {
    const now = this.ctx.sim.nowMs;
    for (const node of nodes) {
      const name = node.metadata.name ?? '';
      this.zones.addZone(zoneKey(node), now);
      if (this.knownNodes.has(name)) continue;
      this.knownNodes.add(name);
      this.events.event({ kind: 'Node', name, uid: node.metadata.uid }, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`,
        `The node lifecycle controller saw Node ${name} for the first time and starts tracking its health.`);
      yield* this.noExecute.markNodeAsReachable(node, 'a newly seen node starts without eviction taints');
    }
    const present = new Set(nodes.map((n) => n.metadata.name ?? ''));
    for (const name of [...this.knownNodes].filter((n) => !present.has(n))) {
      this.knownNodes.delete(name);
      this.events.event({ kind: 'Node', name }, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`,
        `Node ${name} is gone, so the node lifecycle controller stops tracking it.`);
    }
  }

  /** tryUpdateNodeHealth with its retries: a failed status write is retried on a fresh copy. */
  private *updateNodeHealth(cached: NodeObject): Process<{ node: NodeObject; evaluation: HealthEvaluation } | undefined> {
    let node = cached;
    const name = node.metadata.name ?? '';
    for (let attempt = 0; attempt < NODE_HEALTH_UPDATE_RETRIES; attempt++) {
      const now = this.ctx.sim.nowMs;
      const saved = this.health.get(name);
      const lease = this.leases.cache.get(`kube-node-lease/${name}`);
      const evaluation = evaluateNodeHealth(node, saved, lease, now, this.ctx.sim.clock.rfc3339(), this.ctx.config);
      this.health.set(name, evaluation.health);
      if (!evaluation.update) return { node, evaluation };
      if (attempt === 0) this.report.graceExpired(name, evaluation, now);
      const res = yield* this.ctx.client.update(`/api/v1/nodes/${name}/status`, evaluation.update.node, {
        why: `No heartbeat from ${name} (neither a Lease renewal nor a new Ready heartbeat) for longer than the ${evaluation.gracePeriodMs / 1000}s grace period, so the node lifecycle controller writes Ready, MemoryPressure, DiskPressure and PIDPressure as Unknown: nobody knows the node's state any more.`,
        stage: 'synchronization',
      });
      if (res.status === 200) {
        this.health.set(name, { ...evaluation.health, ready: evaluation.current, readyTransitionTimestampMs: this.ctx.sim.nowMs, leaseRenewTime: lease?.spec?.renewTime });
        return { node: evaluation.update.node, evaluation };
      }
      yield* sleep(this.ctx.sim, this.ctx.actor, RETRY_SLEEP_MS);
      const fresh = yield* this.ctx.client.get(`/api/v1/nodes/${name}`, {
        why: `Writing ${name}'s status failed, so the node lifecycle controller reads the Node again and retries on the fresh copy.`,
        stage: 'synchronization',
      });
      if (fresh.status !== 200) return undefined;
      node = fresh.body as NodeObject;
    }
    return undefined;
  }

  /** The per-node tail of monitorNodeHealth: eviction taints, then pods when Ready was lost. */
  private *afterHealthUpdate(node: NodeObject, observed: NodeCondition, current: NodeCondition): Process<void> {
    const name = node.metadata.name ?? '';
    // The pods as they are now; sorted only on the rare pass that marks them.
    const pods = this.pods.byIndex(NODE_NAME_INDEX, name);
    yield* this.noExecute.processTaintBaseEviction(node, observed);
    const lostReady = current.status !== 'True' && observed.status === 'True';
    if (lostReady) {
      this.report.readyLost(name, current, pods.length);
      this.events.event({ kind: 'Node', name, uid: node.metadata.uid }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`,
        `The node lifecycle controller reports that ${name} stopped being Ready.`);
    }
    if (lostReady || (this.nodesToRetry.has(name) && observed.status !== 'True')) {
      if (!(yield* markPodsNotReady(this.ctx, this.events, sortByName(pods), name))) {
        this.nodesToRetry.add(name);
        return;
      }
    }
    this.nodesToRetry.delete(name);
  }

  /** doNoScheduleTaintingPass: NoSchedule taints follow the node's conditions, no rate limit. */
  private *doNoScheduleTaintingPass(name: string): Process<void> {
    const node = this.nodes.cache.get(name);
    if (!node) return;
    const { add, remove } = noScheduleTaintDiff(node);
    if (add.length === 0 && remove.length === 0) return;
    const why = this.report.noScheduleTaints(node, add, remove);
    yield* this.taints.swap(node, add, remove, why);
  }

  private podUpdated(old: PodObject | undefined, pod: PodObject): void {
    if (pod.spec.nodeName && (!old || old.spec.nodeName !== pod.spec.nodeName)) this.podQueue.add(`${pod.metadata.namespace}/${pod.metadata.name}`);
  }

  /** processPod: a pod bound to a node that is already not Ready is marked not ready too. */
  private *processPod(key: string): Process<void> {
    const pod = this.pods.cache.get(key);
    const nodeName = pod?.spec.nodeName;
    if (!pod || !nodeName || !this.nodes.cache.has(nodeName)) return;
    const ready = this.health.get(nodeName)?.ready;
    if (!ready || ready.status === 'True') return;
    if (!(yield* markPodsNotReady(this.ctx, this.events, [pod], nodeName))) this.podQueue.addAfter(key, 1_000);
  }
}

function sortByName(pods: PodObject[]): PodObject[] {
  return pods.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}
