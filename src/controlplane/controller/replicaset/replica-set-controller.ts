import type { KubeObject, OwnerReference } from '../../../api/meta.js';
import type { Process } from '../../../sim/simulation.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { objectKey } from '../../client/informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import { CONTROLLER_INDEX, NAMESPACE_INDEX, controllerIndexFunc, controllerIndexValues, namespaceIndexFunc } from '../../client/indexer.js';
import { jsonEqual } from '../../apiserver/patch.js';
import type { Controller, ControllerContext } from '../context.js';
import { ControllerExpectations } from './expectations.js';
import { claimObjects, newControllerRef } from './controller-ref-manager.js';
import { isPodActive, isPodAvailable, isPodReady, sortPodsForDeletion } from './active-pods.js';
import { selectorMatches } from './label-selector.js';
import { parallel, slowStartBatch } from './parallel.js';
import { controllerOf, type Pod, type ReplicaSet, type ReplicaSetStatus } from './types.js';

/**
 * The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps exactly
 * spec.replicas active pods matching a ReplicaSet's selector, creating missing ones from its
 * template and deleting the surplus, then reports the counts in its status. It only acts when
 * its earlier creates and deletes have come back through the watch (expectations).
 */
export const BURST_REPLICAS = 500;

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset-controller';
  readonly replicaSets: InformerLike<ReplicaSet>;
  readonly pods: InformerLike<Pod>;
  readonly queue: WorkQueue;
  readonly expectations: ControllerExpectations;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.sim, ctx.actor);
    this.expectations = new ControllerExpectations(() => ctx.sim.nowMs);
    let synced = 0;
    const onSynced = (): void => {
      if (++synced === 2) ctx.sim.spawn(ctx.actor, runWorker(this.queue, (key) => this.syncReplicaSet(key)));
    };
    const enqueue = (rs: ReplicaSet): void => this.queue.add(objectKey(rs));
    this.replicaSets = sharedInformer<ReplicaSet>(ctx, 'replicasets', {
      path: '/apis/apps/v1/replicasets',
      why: 'replicaset-controller lists and watches ReplicaSets: each one is a desired pod count it must make true.',
    }, {
      onAdd: enqueue,
      onUpdate: (_old, rs) => enqueue(rs),
      onDelete: (rs) => {
        this.expectations.delete(objectKey(rs));
        enqueue(rs);
      },
      onSynced,
    });
    this.pods = sharedInformer<Pod>(ctx, 'pods', {
      path: '/api/v1/pods',
      why: 'replicaset-controller lists and watches pods to count the ones each ReplicaSet owns and to see its own creates and deletes land.',
    }, {
      onAdd: (pod) => this.onPodAdd(pod),
      onUpdate: (old, pod) => this.onPodUpdate(old, pod),
      onDelete: (pod) => this.onPodDelete(pod),
      onSynced,
    });
    // The indexes the real controller's listers use instead of scanning every object.
    this.replicaSets.addIndexer(NAMESPACE_INDEX, namespaceIndexFunc);
    this.pods.addIndexer(CONTROLLER_INDEX, controllerIndexFunc);
  }

  start(): void {
    this.replicaSets.start();
    this.pods.start();
  }

  /** resolveControllerRef: the ReplicaSet a controller reference names, if it is still that object. */
  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): ReplicaSet | undefined {
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.replicaSets.cache.get(`${namespace}/${ref.name}`);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  private enqueueMatching(pod: Pod): void {
    for (const rs of this.replicaSets.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
      if (selectorMatches(rs.spec.selector, pod.metadata.labels)) this.queue.add(objectKey(rs));
    }
  }

  private onPodAdd(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.onPodDelete(pod);
    const rs = this.resolve(pod.metadata.namespace, controllerOf(pod));
    if (rs) {
      this.expectations.creationObserved(objectKey(rs));
      this.queue.add(objectKey(rs));
    } else if (!controllerOf(pod)) this.enqueueMatching(pod);
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) return this.onPodDelete(pod);
    const oldRef = controllerOf(old);
    const ref = controllerOf(pod);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const oldRs = this.resolve(old.metadata.namespace, oldRef);
      if (oldRs) this.queue.add(objectKey(oldRs));
    }
    const rs = this.resolve(pod.metadata.namespace, ref);
    if (rs) {
      this.queue.add(objectKey(rs));
      // A pod that just turned ready becomes available only after minReadySeconds: look again then.
      const minReadySeconds = rs.spec.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(objectKey(rs), minReadySeconds * 1000 + 1000);
    } else if (!ref && !jsonEqual(old.metadata.labels, pod.metadata.labels)) this.enqueueMatching(pod);
  }

  private onPodDelete(pod: Pod): void {
    const rs = this.resolve(pod.metadata.namespace, controllerOf(pod));
    if (!rs) return;
    this.expectations.deletionObserved(objectKey(rs), objectKey(pod));
    this.queue.add(objectKey(rs));
  }

  private *syncReplicaSet(key: string): Process<void> {
    const rs = this.replicaSets.cache.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    // Pods of other controllers are never claimed, so only this ReplicaSet's pods and the orphans
    // of its namespace (which it may adopt) are candidates.
    const candidates = this.pods.byIndexes(CONTROLLER_INDEX, controllerIndexValues(rs)).filter(isPodActive);
    const owned = yield* claimObjects<Pod>(
      {
        ctx: this.ctx,
        owner: rs,
        ownerRef: newControllerRef(rs, 'apps/v1', 'ReplicaSet'),
        matches: (p) => selectorMatches(rs.spec.selector, p.metadata.labels),
        path: (p) => `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`,
      },
      candidates,
    );
    if (needsSync && !rs.metadata.deletionTimestamp) yield* this.manageReplicas(owned, rs, key);
    yield* this.updateStatus(rs, calculateStatus(rs, owned, this.ctx.sim.nowMs));
  }

  /** manageReplicas: create the missing pods or delete the surplus, at most BURST_REPLICAS per sync. */
  private *manageReplicas(pods: readonly Pod[], rs: ReplicaSet, key: string): Process<void> {
    const want = rs.spec.replicas ?? 1;
    const diff = pods.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, count);
      this.decide(`${key}: create ${count} pod(s)`, `ReplicaSet ${key} wants ${want} replica(s) and owns ${pods.length} active pod(s), so replicaset-controller creates ${count} from its template, in batches of 1, 2, 4, ... so a failing create stops early. It expects to see ${count} pod(s) come back through its watch before it acts on this ReplicaSet again.`);
      const ok = yield* slowStartBatch(this.ctx.sim, this.ctx.actor, count, () => this.createPod(rs, pods.length, want));
      for (let i = ok; i < count; i++) this.expectations.creationObserved(key);
    } else if (diff > 0) {
      const victims = sortPodsForDeletion(pods).slice(0, Math.min(diff, BURST_REPLICAS));
      this.expectations.expectDeletions(key, victims.map(objectKey));
      this.decide(`${key}: delete ${victims.length} pod(s)`, `ReplicaSet ${key} wants ${want} replica(s) but owns ${pods.length}, so replicaset-controller deletes ${victims.map((p) => p.metadata.name).join(', ')}: it deletes unscheduled pods first, then pending, then not-ready ones, then pods doubled up on a node, then the newest.`);
      yield* parallel(this.ctx.sim, this.ctx.actor, victims.map((pod) => this.deletePod(rs, pod, key)));
    }
  }

  private *createPod(rs: ReplicaSet, have: number, want: number): Process<boolean> {
    const { name, namespace } = rs.metadata;
    const template = rs.spec.template;
    const metadata: KubeObject['metadata'] = { generateName: `${name}-`, labels: { ...template.metadata?.labels }, ownerReferences: [newControllerRef(rs, 'apps/v1', 'ReplicaSet')] };
    if (template.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
    if (template.metadata?.finalizers) metadata.finalizers = [...template.metadata.finalizers];
    const res = yield* this.ctx.client.create(`/api/v1/namespaces/${namespace}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata, spec: template.spec }, {
      why: `ReplicaSet ${namespace}/${name} has ${have} of ${want} pods, so replicaset-controller creates one from spec.template. generateName "${name}-" lets the API server add 5 random characters; the ownerReference with controller=true makes the pod this ReplicaSet's.`,
    });
    return res.status === 201;
  }

  private *deletePod(rs: ReplicaSet, pod: Pod, key: string): Process<void> {
    const res = yield* this.ctx.client.delete(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, {
      why: `ReplicaSet ${key} has more pods than spec.replicas (${rs.spec.replicas ?? 1}), so replicaset-controller deletes ${pod.metadata.name}. A bound pod is deleted gracefully: it gets a deletionTimestamp and its kubelet stops it.`,
    });
    // A failed delete will never show up in the watch: stop waiting for it.
    if (res.status !== 200) this.expectations.deletionObserved(key, objectKey(pod));
  }

  /** updateReplicaSetStatus: PUT /status when a count changed, retrying once on a conflict. */
  private *updateStatus(rs: ReplicaSet, status: ReplicaSetStatus): Process<void> {
    if (jsonEqual(rs.status ?? {}, status)) return;
    const { name, namespace } = rs.metadata;
    const path = `/apis/apps/v1/namespaces/${namespace}/replicasets/${name}/status`;
    let current: ReplicaSet = rs;
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = yield* this.ctx.client.update(path, { ...current, status: { ...status, observedGeneration: current.metadata.generation } }, {
        why: `replicaset-controller reports what it counted for ReplicaSet ${namespace}/${name}: ${status.replicas} pod(s), ${status.readyReplicas ?? 0} ready, ${status.availableReplicas ?? 0} available. The Deployment controller and kubectl read these numbers.`,
      });
      if (res.status !== 409) return;
      const fresh = yield* this.ctx.client.get(`/apis/apps/v1/namespaces/${namespace}/replicasets/${name}`, { why: 'The status write hit a conflict (the ReplicaSet changed meanwhile), so replicaset-controller reads the latest version and tries once more.' });
      if (fresh.status !== 200) return;
      current = fresh.body as ReplicaSet;
    }
  }

  private decide(summary: string, explanation: string): void {
    this.ctx.sim.recorder.record({ stage: 'synchronization', from: this.name, to: this.name, kind: 'decision', summary, explanation });
  }
}

/** calculateStatus: counts over the owned active pods; zero counts are omitted as Go's omitempty does. */
export function calculateStatus(rs: ReplicaSet, pods: readonly Pod[], nowMs: number): ReplicaSetStatus {
  const templateLabels = Object.entries(rs.spec.template.metadata?.labels ?? {});
  const fullyLabeled = pods.filter((p) => templateLabels.every(([k, v]) => p.metadata.labels?.[k] === v)).length;
  const ready = pods.filter(isPodReady).length;
  const available = pods.filter((p) => isPodAvailable(p, rs.spec.minReadySeconds ?? 0, nowMs)).length;
  const status: ReplicaSetStatus = { replicas: pods.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  status.observedGeneration = rs.metadata.generation;
  return status;
}
