import { ratio } from '../../sim/prng.js';
import { sleep, type Process } from '../../sim/simulation.js';
import type { KubeletContext } from './context.js';

/**
 * The node Lease heartbeat (component-helpers/apimachinery/lease/controller.go): a Lease named
 * after the node in kube-node-lease, renewed every leaseDuration/4 = 10s with a PUT of the last
 * copy written (no GET first). If a renewal fails it falls back to "ensure lease": GET, and POST
 * when missing, backing off 100ms doubling to 7s.
 */
type Obj = Record<string, any>;

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const MAX_BACKOFF_MS = 7_000;

export function* runNodeLease(ctx: KubeletContext, nodeUid: () => string | undefined): Process<void> {
  const node = ctx.host.name;
  const durationSeconds = ctx.config.nodeLeaseDurationSeconds;
  const renewIntervalMs = (durationSeconds * 1000) / 4;
  let latest: Obj | undefined;
  let backoffMs = 100;
  const lease = (): Obj => {
    const uid = nodeUid();
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: node,
        namespace: 'kube-node-lease',
        ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid }] } : {}),
      },
      spec: { holderIdentity: node, leaseDurationSeconds: durationSeconds, renewTime: ctx.sim.clock.rfc3339Micro() },
    };
  };
  for (;;) {
    if (!latest) {
      latest = yield* ensureLease(ctx, lease);
      if (!latest) {
        yield* sleep(ctx.sim, ctx.actor, backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        continue;
      }
      backoffMs = 100;
    } else {
      const renewed = { ...latest, spec: { ...latest.spec, renewTime: ctx.sim.clock.rfc3339Micro() } };
      const res = yield* ctx.client.update(`${LEASES}/${node}`, renewed, {
        why: `The kubelet renews its Lease every ${renewIntervalMs / 1000}s (a quarter of leaseDurationSeconds=${durationSeconds}). This small write, not a full node status, is the heartbeat the node lifecycle controller watches.`,
        stage: 'synchronization',
        heartbeat: true,
      });
      if (res.status === 200) latest = res.body as Obj;
      else latest = undefined; // Conflict or failure: fall back to ensuring the lease.
    }
    if (latest) yield* sleep(ctx.sim, ctx.actor, ctx.prng.jitterMs(renewIntervalMs, ratio(4, 100)));
  }
}

function* ensureLease(ctx: KubeletContext, lease: () => Obj): Process<Obj | undefined> {
  const node = ctx.host.name;
  const got = yield* ctx.client.get(`${LEASES}/${node}`, {
    why: `The kubelet looks for its Lease kube-node-lease/${node} before renewing it.`,
    stage: 'synchronization',
  });
  if (got.status === 200) return got.body as Obj;
  if (got.status !== 404) return undefined;
  const created = yield* ctx.client.create(LEASES, lease(), {
    why: `No Lease exists for ${node} yet, so the kubelet creates kube-node-lease/${node} with leaseDurationSeconds=${ctx.config.nodeLeaseDurationSeconds}. The Node authorizer lets a node write only the Lease named after itself.`,
    stage: 'synchronization',
  });
  return created.status === 201 ? (created.body as Obj) : undefined;
}
