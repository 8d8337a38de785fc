import { sleep, type Process } from '../../sim/simulation.js';
import type { KubeletContext } from './context.js';
import { carryTransitionTimes, initialNode, nodeStatus, statusChanged, type NodeState } from './node-status.js';

/**
 * Registration and node status (pkg/kubelet/kubelet_node_status.go): POST the Node until it
 * exists (100ms backoff doubling to 7s), treating 409 AlreadyExists as a node that registered
 * before; then compute status every nodeStatusUpdateFrequency (10s) and PATCH it only when it
 * changed or nodeStatusReportFrequency (5m) passed.
 */
type Obj = Record<string, any>;

export function* registerWithApiServer(ctx: KubeletContext, state: NodeState): Process<Obj> {
  let backoffMs = 100;
  for (;;) {
    const node = initialNode(ctx, state);
    const res = yield* ctx.client.create('/api/v1/nodes', node, {
      why: `The kubelet registers its node: it POSTs a Node named ${ctx.host.name} with its addresses, capacity, labels${ctx.options.taints.length ? ', the taints from --register-with-taints' : ''} and conditions. It acts as system:node:${ctx.host.name}, which the Node authorizer and NodeRestriction admission allow for its own Node only. TaintNodesByCondition admission adds node.kubernetes.io/not-ready:NoSchedule to the Node as it is created, so no pod is scheduled to it until it is Ready.`,
      stage: 'registration',
    });
    if (res.status === 201) return res.body as Obj;
    if (res.status === 409) {
      const existing = yield* ctx.client.get(`/api/v1/nodes/${ctx.host.name}`, {
        why: 'The Node already exists (this machine registered before), so the kubelet fetches it and reconciles it instead of creating it.',
        stage: 'registration',
      });
      if (existing.status === 200) return existing.body as Obj;
    }
    yield* sleep(ctx.sim, ctx.actor, backoffMs);
    backoffMs = Math.min(backoffMs * 2, 7_000);
  }
}

export interface StatusLoop {
  /** Ask for an early status check (the fast start-up loop, or a readiness change). */
  poke(): void;
}

export function startNodeStatusLoop(ctx: KubeletContext, state: NodeState, registered: Obj): StatusLoop {
  let lastPosted: Obj | undefined = registered.status;
  let lastReportMs = ctx.sim.nowMs;
  let pending = false;
  const path = `/api/v1/nodes/${ctx.host.name}/status`;
  function* tick(): Process<void> {
    const computed = carryTransitionTimes(lastPosted, nodeStatus(ctx, state));
    const changed = statusChanged(lastPosted, computed);
    const due = ctx.sim.nowMs - lastReportMs >= ctx.config.nodeStatusReportFrequencyMs;
    if (!changed && !due) return;
    const readyNow = (computed.conditions as Obj[]).find((c) => c.type === 'Ready')?.status;
    const res = yield* ctx.client.patch(path, { status: computed }, {
      why: changed
        ? `The kubelet's node status changed (Ready=${readyNow}), so it PATCHes nodes/${ctx.host.name}/status at once instead of waiting for the ${ctx.config.nodeStatusReportFrequencyMs / 60000}m report.`
        : `Nothing changed, but ${ctx.config.nodeStatusReportFrequencyMs / 60000}m (nodeStatusReportFrequency) have passed, so the kubelet posts its status anyway; the frequent heartbeat is the Lease.`,
      stage: 'synchronization',
      heartbeat: !changed,
    });
    if (res.status === 200) {
      lastPosted = (res.body as Obj).status;
      lastReportMs = ctx.sim.nowMs;
    }
  }
  function* loop(): Process<void> {
    for (;;) {
      yield* sleep(ctx.sim, ctx.actor, ctx.config.nodeStatusUpdateFrequencyMs);
      yield* tick();
    }
  }
  ctx.sim.spawn(ctx.actor, loop());
  return {
    poke: () => {
      if (pending) return;
      pending = true;
      // The start-up fast loop checks every 100ms and posts as soon as readiness changes.
      ctx.sim.schedule(ctx.actor, 100, () => {
        pending = false;
        ctx.sim.spawn(ctx.actor, tick());
      });
    },
  };
}
