import type { Process } from '../../../sim/simulation.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { objectKey } from '../../client/informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import { CONTROLLER_INDEX, NAMESPACE_INDEX, controllerIndexFunc, controllerIndexValues, namespaceIndexFunc } from '../../client/indexer.js';
import { jsonEqual } from '../../apiserver/patch.js';
import type { Controller, ControllerContext } from '../context.js';
import { claimObjects, newControllerRef } from '../replicaset/controller-ref-manager.js';
import { selectorMatches } from '../replicaset/label-selector.js';
import { controllerOf, type ReplicaSet } from '../replicaset/types.js';
import {
  DESIRED_REPLICAS, MAX_REPLICAS, REVISION, byCreation, deploymentComplete, equalIgnoreHash, getCondition, isRollingUpdate, maxSurge,
  newCondition, revisionOf, setCondition, specReplicas,
} from './deployment-util.js';
import { calculateStatus, hasProgressDeadline, rolloutStatus, stuckRequeueMs } from './deployment-status.js';
import { createNewReplicaSet, decide } from './new-replica-set.js';
import { reconcileNewReplicaSet, reconcileOldReplicaSets, type ScaleStep } from './rolling.js';
import type { Deployment, DeploymentStatus } from './types.js';

/**
 * The Deployment controller (pkg/controller/deployment): owns one ReplicaSet per pod-template
 * revision. A template change creates a new ReplicaSet and rolls: the new one grows and the old
 * ones shrink within maxSurge/maxUnavailable, as their pods become available. It never touches
 * pods itself; the ReplicaSet controller does.
 */
export class DeploymentController implements Controller {
  readonly name = 'deployment-controller';
  readonly deployments: InformerLike<Deployment>;
  readonly replicaSets: InformerLike<ReplicaSet>;
  readonly queue: WorkQueue;
  private readonly warnedRecreate = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.sim, ctx.actor);
    let synced = 0;
    const onSynced = (): void => {
      if (++synced === 2) ctx.sim.spawn(ctx.actor, runWorker(this.queue, (key) => this.syncDeployment(key)));
    };
    const enqueue = (d: Deployment): void => this.queue.add(objectKey(d));
    this.deployments = sharedInformer<Deployment>(ctx, 'deployments', {
      path: '/apis/apps/v1/deployments',
      why: 'deployment-controller lists and watches Deployments: each is a desired pod template and replica count it rolls out through ReplicaSets.',
    }, { onAdd: enqueue, onUpdate: (_o, d) => enqueue(d), onDelete: enqueue, onSynced });
    this.replicaSets = sharedInformer<ReplicaSet>(ctx, 'replicasets', {
      path: '/apis/apps/v1/replicasets',
      why: "deployment-controller lists and watches ReplicaSets to follow its own ReplicaSets' counts while it rolls.",
    }, { onAdd: (rs) => this.onReplicaSet(rs), onUpdate: (old, rs) => this.onReplicaSet(rs, old), onDelete: (rs) => this.onReplicaSet(rs), onSynced });
    this.deployments.addIndexer(NAMESPACE_INDEX, namespaceIndexFunc);
    this.replicaSets.addIndexer(CONTROLLER_INDEX, controllerIndexFunc);
  }

  start(): void {
    this.deployments.start();
    this.replicaSets.start();
  }

  private onReplicaSet(rs: ReplicaSet, old?: ReplicaSet): void {
    for (const candidate of old ? [old, rs] : [rs]) {
      const ref = controllerOf(candidate);
      if (ref?.kind === 'Deployment') {
        const d = this.deployments.cache.get(`${candidate.metadata.namespace}/${ref.name}`);
        if (d?.metadata.uid === ref.uid) this.queue.add(objectKey(d));
      } else if (!ref) {
        for (const d of this.deployments.byIndex(NAMESPACE_INDEX, candidate.metadata.namespace ?? '')) {
          if (selectorMatches(d.spec.selector, candidate.metadata.labels)) this.queue.add(objectKey(d));
        }
      }
    }
  }

  private *syncDeployment(key: string): Process<void> {
    let d = this.deployments.cache.get(key);
    if (!d) return;
    const selector = d.spec.selector ?? {};
    if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length) return;
    // ReplicaSets of other controllers are never claimed: only this Deployment's and the namespace's orphans.
    const candidates = this.replicaSets.byIndexes(CONTROLLER_INDEX, controllerIndexValues(d));
    const owner = d;
    const rsList = yield* claimObjects<ReplicaSet>({
      ctx: this.ctx,
      owner,
      ownerRef: newControllerRef(owner, 'apps/v1', 'Deployment'),
      matches: (rs) => selectorMatches(owner.spec.selector, rs.metadata.labels),
      path: (rs) => `/apis/apps/v1/namespaces/${rs.metadata.namespace}/replicasets/${rs.metadata.name}`,
    }, candidates);
    const existingNew = [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, owner.spec.template));
    const oldRSs = rsList.filter((rs) => rs !== existingNew);
    if (d.metadata.deletionTimestamp || d.spec.paused || this.isScalingEvent(d, rsList)) {
      yield* this.scaleOnly(d, existingNew, oldRSs);
      return;
    }
    if (!isRollingUpdate(d) && !this.warnedRecreate.has(key)) {
      this.warnedRecreate.add(key);
      decide(this.ctx, `${key}: Recreate not simulated`, 'This simulator rolls every Deployment with RollingUpdate; the Recreate strategy (scale old to 0, wait, then create) is not modelled.');
    }
    const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
    let newRS = existingNew;
    if (!newRS) {
      const result = yield* createNewReplicaSet(this.ctx, d, oldRSs, newRevision, (name) => this.replicaSets.cache.get(`${d!.metadata.namespace}/${name}`), (dd, s, why) => this.writeStatus(dd, s, why));
      d = result.d;
      if (result.retry || !result.newRS) return this.queue.addAfter(key, 1000);
      newRS = result.newRS;
    } else {
      if (revisionOf(newRS) < newRevision) newRS = yield* this.scale(newRS, specReplicas(newRS), d, `it is the current template again (revision ${newRevision})`, String(newRevision));
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        const status: DeploymentStatus = { ...d.status };
        setCondition(status, newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${newRS.metadata.name}"`, this.ctx.sim.clock.rfc3339()));
        d = yield* this.writeStatus(d, status, 'deployment-controller found the ReplicaSet for the current template and marks the Deployment as progressing.');
      }
    }
    yield* this.rolloutRolling(d, newRS, oldRSs);
  }

  /** rolloutRolling: one step per sync; the ReplicaSet status events bring the next one. */
  private *rolloutRolling(d: Deployment, newRS: ReplicaSet, oldRSs: ReplicaSet[]): Process<void> {
    const up = reconcileNewReplicaSet(d, [...oldRSs, newRS], newRS);
    if (up) {
      newRS = yield* this.scale(newRS, up.to, d, up.reason);
    } else {
      const downs = reconcileOldReplicaSets(d, oldRSs.filter((rs) => specReplicas(rs) > 0), newRS);
      oldRSs = yield* this.applyAll(oldRSs, downs, d);
      if (!downs.length && deploymentComplete(d, d.status ?? {})) yield* this.cleanupDeployment(d, oldRSs);
    }
    const all = [...oldRSs, newRS];
    const status = rolloutStatus(all, newRS, d, this.ctx.sim.clock.rfc3339(), this.ctx.sim.nowMs);
    if (jsonEqual(d.status ?? {}, status)) {
      const afterMs = stuckRequeueMs(d, status, this.ctx.sim.nowMs);
      if (afterMs !== undefined) this.queue.addAfter(objectKey(d), afterMs);
      return;
    }
    yield* this.writeStatus(d, status, `deployment-controller reports the rollout: ${status.updatedReplicas ?? 0} of ${d.spec.replicas ?? 1} pods updated, ${status.availableReplicas ?? 0} available.`);
  }

  /** isScalingEvent: spec.replicas changed while the template did not (desired-replicas annotation differs). */
  private isScalingEvent(d: Deployment, rsList: readonly ReplicaSet[]): boolean {
    return rsList.some((rs) => specReplicas(rs) > 0 && rs.metadata.annotations?.[DESIRED_REPLICAS] !== undefined && Number(rs.metadata.annotations[DESIRED_REPLICAS]) !== (d.spec.replicas ?? 1));
  }

  /** sync/scale: resize the only active ReplicaSet (or finish a saturated rollout), then write status. */
  private *scaleOnly(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Process<void> {
    const active = [...(newRS ? [newRS] : []), ...oldRSs].filter((rs) => specReplicas(rs) > 0);
    const desired = d.spec.replicas ?? 1;
    let all = [...oldRSs, ...(newRS ? [newRS] : [])];
    if (!d.metadata.deletionTimestamp && active.length <= 1) {
      const target = active[0] ?? newRS ?? [...oldRSs].sort(byCreation).at(-1);
      if (target && specReplicas(target) !== desired) {
        const scaled = yield* this.scale(target, desired, d, `the Deployment was scaled to ${desired}`);
        all = all.map((rs) => (rs === target ? scaled : rs));
      }
    } else if (!d.metadata.deletionTimestamp && !d.spec.paused) {
      // Proportional scaling across several active ReplicaSets is not modelled; the rollout logic converges instead.
      const target = newRS ?? active[0];
      return yield* this.rolloutRolling(d, target, all.filter((rs) => rs !== target));
    }
    const status = calculateStatus(all, newRS, d, this.ctx.sim.clock.rfc3339());
    if (!jsonEqual(d.status ?? {}, status)) yield* this.writeStatus(d, status, `deployment-controller reports ${status.replicas ?? 0} pod(s), ${status.availableReplicas ?? 0} available.`);
  }

  private *applyAll(oldRSs: ReplicaSet[], steps: readonly ScaleStep[], d: Deployment): Process<ReplicaSet[]> {
    const out = [...oldRSs];
    for (const step of steps) out[out.indexOf(step.rs)] = yield* this.scale(step.rs, step.to, d, step.reason);
    return out;
  }

  /** scaleReplicaSet: PUT the ReplicaSet with the new spec.replicas and the replica annotations. */
  private *scale(rs: ReplicaSet, to: number, d: Deployment, reason: string, revision?: string): Process<ReplicaSet> {
    const desired = d.spec.replicas ?? 1;
    const annotations = { ...rs.metadata.annotations, [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(desired + maxSurge(d)), ...(revision ? { [REVISION]: revision } : {}) };
    const from = specReplicas(rs);
    if (from === to && jsonEqual(annotations, rs.metadata.annotations)) return rs;
    const { name, namespace } = rs.metadata;
    if (from !== to) decide(this.ctx, `Scaled ${to > from ? 'up' : 'down'} replica set ${name} from ${from} to ${to}`, `deployment-controller sets ReplicaSet ${name} to ${to} replica(s) because ${reason}.`);
    const res = yield* this.ctx.client.update(`/apis/apps/v1/namespaces/${namespace}/replicasets/${name}`, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas: to } }, {
      why: `deployment-controller scales ReplicaSet ${namespace}/${name} from ${from} to ${to} because ${reason}; the ReplicaSet controller then creates or deletes the pods.`,
    });
    return res.status === 200 ? (res.body as ReplicaSet) : rs;
  }

  /** cleanupDeployment: delete old, empty ReplicaSets beyond spec.revisionHistoryLimit, oldest revision first. */
  private *cleanupDeployment(d: Deployment, oldRSs: readonly ReplicaSet[]): Process<void> {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of cleanable.slice(0, Math.max(0, cleanable.length - limit))) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      yield* this.ctx.client.delete(`/apis/apps/v1/namespaces/${rs.metadata.namespace}/replicasets/${rs.metadata.name}`, {
        why: `Deployment ${d.metadata.name} keeps at most ${limit} old ReplicaSets (spec.revisionHistoryLimit) for rollbacks, so deployment-controller deletes the oldest empty one.`,
      });
    }
  }

  private *writeStatus(d: Deployment, status: DeploymentStatus, why: string): Process<Deployment> {
    const { name, namespace } = d.metadata;
    const res = yield* this.ctx.client.update(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}/status`, { ...d, status }, { why });
    if (res.status === 200) return res.body as Deployment;
    if (res.status === 409) this.queue.addAfter(objectKey(d), 1000);
    return d;
  }
}
