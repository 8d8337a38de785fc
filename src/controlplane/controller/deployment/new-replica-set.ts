import type { Process } from '../../../sim/simulation.js';
import type { ControllerContext } from '../context.js';
import { newControllerRef } from '../replicaset/controller-ref-manager.js';
import type { ReplicaSet } from '../replicaset/types.js';
import {
  DESIRED_REPLICAS, MAX_REPLICAS, POD_TEMPLATE_HASH, REVISION, computeHash, equalIgnoreHash, maxSurge, newCondition, setCondition,
} from './deployment-util.js';
import { newRSNewReplicas } from './rolling.js';
import type { Deployment, DeploymentStatus } from './types.js';

/**
 * getNewReplicaSet (pkg/controller/deployment/sync.go): creates the ReplicaSet for the
 * Deployment's current template, named `<deployment>-<pod-template-hash>`, with the hash added
 * to its labels, selector and template so its pods never overlap another revision's.
 */
const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', DESIRED_REPLICAS, MAX_REPLICAS, 'deprecated.deployment.rollback.to',
]);

export type WriteStatus = (d: Deployment, status: DeploymentStatus, why: string) => Process<Deployment>;

export interface NewReplicaSetResult {
  readonly newRS?: ReplicaSet;
  readonly d: Deployment;
  /** Try again later: the create failed or the name collided. */
  readonly retry?: boolean;
}

export function* createNewReplicaSet(
  ctx: ControllerContext, d: Deployment, oldRSs: readonly ReplicaSet[], newRevision: number, existing: (name: string) => ReplicaSet | undefined, writeStatus: WriteStatus,
): Process<NewReplicaSetResult> {
  const { name: dName, namespace } = d.metadata;
  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const labels = { ...d.spec.template.metadata?.labels, [POD_TEMPLATE_HASH]: hash };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIPPED_ANNOTATIONS.has(k)) annotations[k] = v;
  const desired = d.spec.replicas ?? 1;
  Object.assign(annotations, { [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(desired + maxSurge(d)), [REVISION]: String(newRevision) });
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${dName}-${hash}`, namespace, labels, annotations, ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')] },
    spec: {
      replicas: 0,
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [POD_TEMPLATE_HASH]: hash } },
      template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels } },
    },
  };
  rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  const res = yield* ctx.client.create(`/apis/apps/v1/namespaces/${namespace}/replicasets`, rs, {
    why: `Deployment ${namespace}/${dName} has a pod template no ReplicaSet runs yet (revision ${newRevision}), so deployment-controller creates ReplicaSet ${rs.metadata.name}: the name ends in the template's hash, which is also added to its selector and pod labels so its pods never mix with another revision's.`,
  });
  const now = ctx.sim.clock.rfc3339();
  const status: DeploymentStatus = { ...d.status, conditions: [...(d.status?.conditions ?? [])] };
  if (res.status === 201) {
    const created = res.body as ReplicaSet;
    if (rs.spec.replicas) decide(ctx, `Scaled up replica set ${created.metadata.name} from 0 to ${rs.spec.replicas}`, `deployment-controller created ReplicaSet ${created.metadata.name} with ${rs.spec.replicas} replica(s); the ReplicaSet controller will create the pods.`);
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`, now));
    const next = yield* writeStatus(d, status, `A new ReplicaSet started a rollout, so deployment-controller sets the Deployment's Progressing condition (reason NewReplicaSetCreated).`);
    return { newRS: created, d: next };
  }
  if (res.status === 409) {
    const found = existing(rs.metadata.name ?? '');
    const ref = found?.metadata.ownerReferences?.find((r) => r.controller);
    if (found && ref?.uid === d.metadata.uid && equalIgnoreHash(found.spec.template, d.spec.template)) return { newRS: found, d };
    // A different template hashed to the same name: bump collisionCount so the next hash differs.
    status.collisionCount = (d.status?.collisionCount ?? 0) + 1;
    const next = yield* writeStatus(d, status, `ReplicaSet ${rs.metadata.name} already exists with another template (a hash collision), so deployment-controller raises status.collisionCount, which changes the next hash.`);
    return { d: next, retry: true };
  }
  const message = (res.body as { message?: string } | undefined)?.message ?? `status ${res.status}`;
  setCondition(status, newCondition('Progressing', 'False', 'ReplicaSetCreateError', `Failed to create new replica set "${rs.metadata.name}": ${message}`, now));
  const next = yield* writeStatus(d, status, 'Creating the new ReplicaSet failed, so deployment-controller reports it in the Progressing condition.');
  return { d: next, retry: true };
}

export function decide(ctx: ControllerContext, summary: string, explanation: string): void {
  ctx.sim.recorder.record({ stage: 'synchronization', from: 'deployment-controller', to: 'deployment-controller', kind: 'decision', summary, explanation });
}
