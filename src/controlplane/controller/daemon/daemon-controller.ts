import type { KubeObject, OwnerReference } from '../../../api/meta.js';
import type { Process } from '../../../sim/simulation.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { objectKey } from '../../client/informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import { CONTROLLER_INDEX, controllerIndexFunc, controllerIndexValues } from '../../client/indexer.js';
import type { SchedulingNode } from '../../scheduler/types.js';
import type { Controller, ControllerContext } from '../context.js';
import { ControllerExpectations } from '../replicaset/expectations.js';
import { claimObjects, newControllerRef } from '../replicaset/controller-ref-manager.js';
import { selectorMatches } from '../replicaset/label-selector.js';
import { parallel, slowStartBatch } from '../replicaset/parallel.js';
import { controllerOf, type Pod, type PodTemplateSpec } from '../replicaset/types.js';
import { computeHash } from '../deployment/deployment-util.js';
import {
  CONTROLLER_REVISION_HASH, TEMPLATE_GENERATION_ANNOTATION, TEMPLATE_GENERATION_LABEL,
  nodeShouldRunDaemonPod, pinnedAffinity, targetNodeName, withDaemonTolerations,
  type DaemonSet, type DaemonSetStatus,
} from './util.js';
import { DaemonPodTable, calculateStatus, nodePlan, type ShouldRun, type ShouldRunFn } from './daemon-pods.js';

export { calculateStatus };

/**
 * The DaemonSet controller (pkg/controller/daemon/daemon_controller.go): one pod per node that
 * should run the daemon. It does not pick nodes by itself running a scheduler: each pod it
 * creates is pinned to its node with the required node affinity `metadata.name In [<node>]`
 * and the default scheduler binds it there (ScheduleDaemonSetPods, GA since 1.17). Every pod
 * gets the daemon tolerations, so a NotReady or unreachable node keeps its daemons. It records
 * the template as a ControllerRevision first (its hash labels the pods), and reports the counts
 * in the DaemonSet's status.
 */
export const BURST_REPLICAS = 250;
/** StatusUpdateRetries: one more try after a failed status write. */
const STATUS_UPDATE_RETRIES = 1;

/**
 * A DaemonSet's pods by the node they are for (undefined: the table answered without listing
 * them), and whether claiming them or manage wrote anything.
 */
interface DaemonPods {
  readonly byNode: Map<string, Pod[]> | undefined;
  readonly wrote: boolean;
}

export class DaemonSetsController implements Controller {
  readonly name = 'daemonset-controller';
  readonly daemonSets: InformerLike<DaemonSet>;
  readonly nodes: InformerLike<SchedulingNode>;
  readonly pods: InformerLike<Pod>;
  readonly revisions: InformerLike<KubeObject>;
  readonly queue: WorkQueue;
  readonly expectations: ControllerExpectations;
  /** Revisions this controller created and may not have seen back yet (uid of the DaemonSet → hash). */
  private readonly created = new Map<string, string>();
  /**
   * Answers that depend only on objects from the informer caches, which are replaced, never
   * changed: a node's answer for a template, and a template's hash. Every sync asks them of
   * every node, so they are worked out once per node and template version.
   */
  private readonly shouldRunMemo = new WeakMap<SchedulingNode, WeakMap<PodTemplateSpec, ShouldRun>>();
  private readonly hashMemo = new WeakMap<PodTemplateSpec, Map<number | undefined, string>>();
  /** The node names in sync order, kept until a node is added or removed. */
  private sortedNodeNames: string[] | undefined;
  /**
   * For each sync under way, the Nodes that changed since it began, with the object each had then
   * (null: not there yet): a sync that waited on a write still counts over the nodes it started with.
   */
  private readonly nodesBefore = new Set<Map<string, SchedulingNode | null>>();
  private readonly shouldRun: ShouldRunFn = (node, ds) => {
    let byTemplate = this.shouldRunMemo.get(node);
    if (!byTemplate) this.shouldRunMemo.set(node, (byTemplate = new WeakMap()));
    let answer = byTemplate.get(ds.spec.template);
    if (!answer) byTemplate.set(ds.spec.template, (answer = nodeShouldRunDaemonPod(node, ds)));
    return answer;
  };
  /** Each DaemonSet's pods and per-node answers, redone only for what changed since its last sync. */
  private readonly table = new DaemonPodTable(this, this.shouldRun);

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.sim, ctx.actor);
    this.expectations = new ControllerExpectations(() => ctx.sim.nowMs);
    let synced = 0;
    const onSynced = (): void => {
      if (++synced === 4) ctx.sim.spawn(ctx.actor, runWorker(this.queue, (key) => this.syncDaemonSet(key)));
    };
    const enqueue = (ds: DaemonSet): void => this.queue.add(objectKey(ds));
    this.daemonSets = sharedInformer<DaemonSet>(ctx, 'daemonsets', {
      path: '/apis/apps/v1/daemonsets',
      why: 'daemonset-controller lists and watches DaemonSets: each one asks for a pod on every node that matches it.',
    }, {
      onAdd: enqueue,
      onUpdate: (_old, ds) => enqueue(ds),
      onDelete: (ds) => {
        this.expectations.delete(objectKey(ds));
        this.created.delete(ds.metadata.uid ?? '');
        this.table.forget(ds.metadata.uid ?? '');
      },
      onSynced,
    });
    this.nodes = sharedInformer<SchedulingNode>(ctx, 'nodes', {
      path: '/api/v1/nodes',
      why: 'daemonset-controller lists and watches Nodes: a new node needs a pod of every DaemonSet that matches it, and a change of labels or taints can add or remove one.',
    }, {
      onAdd: (node) => this.onNode(undefined, node),
      onUpdate: (old, node) => this.onNode(old, node),
      onDelete: (node) => {
        this.sortedNodeNames = undefined;
        this.nodeChanged(node, node);
      },
      onSynced,
    });
    this.pods = sharedInformer<Pod>(ctx, 'pods', {
      path: '/api/v1/pods',
      why: 'daemonset-controller lists and watches pods to find the daemon pod on each node, to see its own creates land and to count ready pods.',
    }, {
      onAdd: (pod) => {
        this.table.podChanged(undefined, pod);
        this.onPod(pod, 'add');
      },
      onUpdate: (old, pod) => {
        this.table.podChanged(old, pod);
        if (old.metadata.resourceVersion !== pod.metadata.resourceVersion) this.onPod(pod, pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp ? 'delete' : 'update');
      },
      onDelete: (pod) => {
        this.table.podChanged(pod, undefined);
        this.onPod(pod, 'delete');
      },
      onSynced,
    });
    this.revisions = sharedInformer<KubeObject>(ctx, 'controllerrevisions', {
      path: '/apis/apps/v1/controllerrevisions',
      why: 'daemonset-controller lists and watches ControllerRevisions: each DaemonSet template it has run is kept as one, and its hash labels the pods made from it.',
    }, { onSynced });
    this.pods.addIndexer(CONTROLLER_INDEX, controllerIndexFunc);
    this.revisions.addIndexer(CONTROLLER_INDEX, controllerIndexFunc);
  }

  start(): void {
    this.daemonSets.start();
    this.nodes.start();
    this.pods.start();
    this.revisions.start();
  }

  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): DaemonSet | undefined {
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.daemonSets.cache.get(`${namespace}/${ref.name}`);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  private onPod(pod: Pod, event: 'add' | 'update' | 'delete'): void {
    const ds = this.resolve(pod.metadata.namespace, controllerOf(pod));
    if (!ds) return;
    const key = objectKey(ds);
    if (event === 'add' && !pod.metadata.deletionTimestamp) this.expectations.creationObserved(key);
    if (event === 'delete') this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }

  /** addNode / updateNode: enqueue the DaemonSets whose wish for this node changed. */
  private onNode(old: SchedulingNode | undefined, node: SchedulingNode): void {
    if (!old) this.sortedNodeNames = undefined;
    this.nodeChanged(old, node);
    for (const ds of this.daemonSets.list()) {
      const now = this.shouldRun(node, ds);
      if (!old) {
        if (now.shouldRun) this.queue.add(objectKey(ds));
        continue;
      }
      const before = this.shouldRun(old, ds);
      if (before.shouldRun !== now.shouldRun || before.shouldContinueRunning !== now.shouldContinueRunning) this.queue.add(objectKey(ds));
    }
  }

  private nodeChanged(old: SchedulingNode | undefined, node: SchedulingNode): void {
    const name = objectKey(node);
    this.table.nodeChanged(name);
    for (const before of this.nodesBefore) if (!before.has(name)) before.set(name, old ?? null);
  }

  private *syncDaemonSet(key: string): Process<void> {
    const before = new Map<string, SchedulingNode | null>();
    this.nodesBefore.add(before);
    try {
      yield* this.sync(key, before);
    } finally {
      this.nodesBefore.delete(before);
    }
  }

  private *sync(key: string, before: Map<string, SchedulingNode | null>): Process<void> {
    const ds = this.daemonSets.cache.get(key);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const hash = yield* this.constructHistory(ds);
    if (hash === undefined) return;
    before.clear();
    const nodes = this.sortedNodes();
    if (!this.expectations.satisfied(key)) {
      yield* this.updateStatus(ds, nodes, before, hash, false);
      return;
    }
    const seen = yield* this.manage(ds, nodes, hash, key);
    // When manage wrote nothing, nothing can have changed since it looked (it never yielded),
    // so the pods it found are the ones updateDaemonSetStatus would find again.
    yield* this.updateStatus(ds, nodes, before, hash, true, seen.wrote ? undefined : seen.byNode);
  }

  /** The cached nodes sorted by name, as the sync walks them. */
  private sortedNodes(): SchedulingNode[] {
    const cache = this.nodes.cache;
    if (this.sortedNodeNames && this.sortedNodeNames.length === cache.size) {
      const nodes: SchedulingNode[] = [];
      for (const name of this.sortedNodeNames) {
        const node = cache.get(name);
        if (!node) break;
        nodes.push(node);
      }
      if (nodes.length === cache.size) return nodes;
    }
    const nodes = this.nodes.list().sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    this.sortedNodeNames = nodes.map(objectKey);
    return nodes;
  }

  /** controller.ComputeHash of the template, once per template version. */
  private templateHash(ds: DaemonSet): string {
    const collisionCount = (ds.status as { collisionCount?: number } | undefined)?.collisionCount;
    let hashes = this.hashMemo.get(ds.spec.template);
    if (!hashes) this.hashMemo.set(ds.spec.template, (hashes = new Map()));
    let hash = hashes.get(collisionCount);
    if (hash === undefined) hashes.set(collisionCount, (hash = computeHash(ds.spec.template, collisionCount)));
    return hash;
  }

  /**
   * constructHistory: the ControllerRevision holding the current template, created on first
   * sight (named <daemonset>-<hash>, revision 1); its hash is the pods' controller-revision-hash.
   */
  private *constructHistory(ds: DaemonSet): Process<string | undefined> {
    const { name, namespace, uid } = ds.metadata;
    const hash = this.templateHash(ds);
    const owned = this.revisions.byIndex(CONTROLLER_INDEX, `${namespace}/${uid}`);
    if (owned.some((r) => r.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash) || this.created.get(uid ?? '') === hash) return hash;
    const revision = Math.max(0, ...owned.map((r) => Number((r as { revision?: number }).revision ?? 0))) + 1;
    const body = {
      apiVersion: 'apps/v1', kind: 'ControllerRevision',
      metadata: {
        name: `${name}-${hash}`, namespace,
        labels: { ...ds.spec.template.metadata?.labels, [CONTROLLER_REVISION_HASH]: hash },
        annotations: { [TEMPLATE_GENERATION_ANNOTATION]: String(ds.metadata.generation ?? 1) },
        ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')],
      },
      data: { spec: { template: { ...ds.spec.template, $patch: 'replace' } } },
      revision,
    };
    const res = yield* this.ctx.client.create(`/apis/apps/v1/namespaces/${namespace}/controllerrevisions`, body, {
      why: `DaemonSet ${namespace}/${name} has a template no ControllerRevision holds yet, so daemonset-controller records it as ${name}-${hash} (revision ${revision}) before creating pods. Its hash becomes the pods' controller-revision-hash label, which is how a rolling update tells old pods from new ones.`,
    });
    if (res.status !== 201 && res.status !== 409) return undefined;
    this.created.set(uid ?? '', hash);
    return hash;
  }

  /** getNodesToDaemonPods: this DaemonSet's pods (claimed as ReplicaSets claim theirs) by the node they are for. */
  private *nodesToDaemonPods(ds: DaemonSet): Process<DaemonPods> {
    const candidates = this.pods.byIndexes(CONTROLLER_INDEX, controllerIndexValues(ds));
    let wrote = false;
    const owned = yield* claimObjects<Pod>({
      ctx: this.ctx,
      owner: ds,
      ownerRef: newControllerRef(ds, 'apps/v1', 'DaemonSet'),
      matches: (p) => selectorMatches(ds.spec.selector, p.metadata.labels),
      path: (p) => `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`,
      onPatch: () => {
        wrote = true;
      },
    }, candidates);
    const byNode = new Map<string, Pod[]>();
    for (const pod of owned) {
      const node = targetNodeName(pod);
      if (!node) continue;
      const pods = byNode.get(node);
      if (pods) pods.push(pod);
      else byNode.set(node, [pod]);
    }
    return { byNode, wrote };
  }

  /** manage: create the missing daemon pods and delete those that must go, at most BURST_REPLICAS each. */
  private *manage(ds: DaemonSet, nodes: readonly SchedulingNode[], hash: string, key: string): Process<DaemonPods> {
    const plan = this.table.view(ds, hash, this.ctx.sim.nowMs)?.plan();
    let seen: DaemonPods;
    let needing: string[];
    let toDelete: Pod[];
    if (plan) {
      seen = { byNode: undefined, wrote: false };
      ({ needing, toDelete } = plan);
    } else {
      seen = yield* this.nodesToDaemonPods(ds);
      const byNode = seen.byNode!;
      needing = [];
      toDelete = [];
      for (const node of nodes) {
        const name = node.metadata.name ?? '';
        const plan = nodePlan(this.shouldRun(node, ds), byNode.get(name));
        if (plan === 'create') needing.push(name);
        else if (plan) toDelete.push(...plan);
      }
      const known = new Set(nodes.map((n) => n.metadata.name ?? ''));
      for (const [node, pods] of byNode) if (!known.has(node)) toDelete.push(...pods.filter((p) => !(p.spec as { nodeName?: string }).nodeName));
    }
    const creates = needing.slice(0, BURST_REPLICAS);
    const deletes = toDelete.slice(0, BURST_REPLICAS);
    if (creates.length === 0 && deletes.length === 0) return seen;
    this.expectations.expect(key, creates.length, deletes.map(objectKey));
    if (creates.length) {
      const shown = creates.length > 5 ? `${creates.slice(0, 5).join(', ')} and ${creates.length - 5} more` : creates.join(', ');
      this.decide(`${key}: create ${creates.length} pod(s) for ${shown}`, `DaemonSet ${key} wants one pod on every node that matches its template and whose taints its pods tolerate; ${creates.length === 1 ? `${shown} has none` : `${shown} have none`}. daemonset-controller creates them in batches of 1, 2, 4, ..., each pinned to its node by the required node affinity metadata.name In [<node>], so kube-scheduler, not this controller, binds it.`);
      let next = 0;
      const ok = yield* slowStartBatch(this.ctx.sim, this.ctx.actor, creates.length, () => this.createPod(ds, creates[next++], hash));
      for (let i = ok; i < creates.length; i++) this.expectations.creationObserved(key);
    }
    if (deletes.length) {
      this.decide(`${key}: delete ${deletes.length} pod(s)`, `These pods of DaemonSet ${key} must go: ${deletes.map((p) => p.metadata.name).join(', ')} (finished, a second pod on the same node, or on a node the DaemonSet no longer wants).`);
      yield* parallel(this.ctx.sim, this.ctx.actor, deletes.map((pod) => this.deletePod(pod, key)));
    }
    return { byNode: seen.byNode, wrote: true };
  }

  private *createPod(ds: DaemonSet, nodeName: string, hash: string): Process<boolean> {
    const { name, namespace } = ds.metadata;
    const template = ds.spec.template;
    const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
    const labels = { ...template.metadata?.labels, [CONTROLLER_REVISION_HASH]: hash, ...(generation ? { [TEMPLATE_GENERATION_LABEL]: generation } : {}) };
    const metadata: KubeObject['metadata'] = { generateName: `${name}-`, labels, ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')] };
    if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
    const spec = { ...template.spec, affinity: pinnedAffinity(template.spec.affinity as Record<string, unknown> | undefined, nodeName), tolerations: withDaemonTolerations(template.spec) };
    const res = yield* this.ctx.client.create(`/api/v1/namespaces/${namespace}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata, spec }, {
      why: `Node ${nodeName} should run DaemonSet ${namespace}/${name}'s pod and has none, so daemonset-controller creates one from the template, pinned to ${nodeName} by node affinity (matchFields metadata.name In [${nodeName}]) and with the daemon tolerations (not-ready and unreachable NoExecute without a time limit, the pressure, unschedulable${template.spec.hostNetwork ? ' and network-unavailable' : ''} NoSchedule taints). It leaves spec.nodeName empty: kube-scheduler binds it.`,
    });
    return res.status === 201;
  }

  private *deletePod(pod: Pod, key: string): Process<void> {
    const res = yield* this.ctx.client.delete(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, {
      why: `daemonset-controller deletes ${pod.metadata.name}: DaemonSet ${key} must not run it any more.`,
    });
    if (res.status !== 200) this.expectations.deletionObserved(key, objectKey(pod));
  }

  /** updateDaemonSetStatus + storeDaemonSetStatus: PUT /status when a count changed. */
  private *updateStatus(
    ds: DaemonSet, nodes: readonly SchedulingNode[], before: ReadonlyMap<string, SchedulingNode | null>, hash: string, updateObservedGen: boolean, seen?: Map<string, Pod[]>,
  ): Process<void> {
    // `nodes` are the nodes cached when the sync began: the nodes cached now, less the changes since.
    const view = this.table.view(ds, hash, this.ctx.sim.nowMs);
    const status = view
      ? view.status(before)
      : calculateStatus(ds, nodes, seen ?? (yield* this.nodesToDaemonPods(ds)).byNode!, hash, this.ctx.sim.nowMs, this.shouldRun);
    const old = ds.status;
    const same = old !== undefined
      && (['desiredNumberScheduled', 'currentNumberScheduled', 'numberMisscheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const).every((k) => (old[k] ?? 0) === (status[k] ?? 0))
      && (old.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0);
    if (same) return;
    const { name, namespace } = ds.metadata;
    const path = `/apis/apps/v1/namespaces/${namespace}/daemonsets/${name}`;
    let current: DaemonSet = ds;
    for (let attempt = 0; attempt <= STATUS_UPDATE_RETRIES; attempt++) {
      const observedGeneration = updateObservedGen ? current.metadata.generation : current.status?.observedGeneration;
      const next = omitZero({ ...current.status, ...status, ...(observedGeneration ? { observedGeneration } : {}) });
      const res = yield* this.ctx.client.update(`${path}/status`, { ...current, status: next }, {
        why: `daemonset-controller reports DaemonSet ${namespace}/${name}: ${status.desiredNumberScheduled} node(s) should run its pod, ${status.currentNumberScheduled} do, ${status.numberReady} ready, ${status.numberAvailable ?? 0} available. \`kubectl get ds\` shows these as DESIRED, CURRENT, READY and AVAILABLE.`,
      });
      if (res.status !== 409) return;
      const fresh = yield* this.ctx.client.get(path, { why: 'The status write hit a conflict (the DaemonSet changed meanwhile), so daemonset-controller reads the latest version and tries again.' });
      if (fresh.status !== 200) return;
      current = fresh.body as DaemonSet;
    }
  }

  private decide(summary: string, explanation: string): void {
    this.ctx.sim.recorder.record({ stage: 'synchronization', from: this.name, to: this.name, kind: 'decision', summary, explanation });
  }
}

/** Go's omitempty: the optional counts and observedGeneration are left out when zero. */
function omitZero(status: DaemonSetStatus): DaemonSetStatus {
  const out: DaemonSetStatus = { ...status };
  for (const k of ['observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const) if (!out[k]) delete out[k];
  return out;
}

