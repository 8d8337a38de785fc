import { sleep, type Process } from '../../sim/simulation.js';
import type { KubeletContext } from './context.js';
import { applyNodeStatus, initialNode, nodeStatus, nodeStatusHasChanged, type NodeState } from './node-status.js';
import { createTwoWayMergePatch } from '../../api/strategic-merge-patch.js';

/**
 * Registration and node status (pkg/kubelet/kubelet_node_status.go): POST the Node until it
 * exists (100ms backoff doubling to 7s), treating 409 AlreadyExists as a node that registered
 * before; then compute status every nodeStatusUpdateFrequency (10s) and PATCH it only when it
 * differs from the API's Node or nodeStatusReportFrequency (5m) passed.
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

/** The kubelet's own Node from its node informer (kl.nodeLister), if the informer has it. */
export type NodeLister = () => Obj | undefined;

const readyOf = (status: Obj | undefined): string | undefined => (status?.conditions as Obj[] | undefined)?.find((c) => c.type === 'Ready')?.status;

/**
 * tryUpdateNodeStatus: take the Node as the API server has it (from the node informer's cache
 * from 1.31, a GET served from kube-apiserver's cache before), apply the kubelet's status to
 * it, and PATCH the difference when anything but heartbeat times differs or
 * nodeStatusReportFrequency has passed since the last report. The last report time starts at
 * zero, so a (re)started kubelet reports at its first sync. Comparing with the API's Node, not
 * with what the kubelet last sent, is what repairs a Ready=Unknown the node lifecycle controller
 * wrote while the node was cut off.
 */
export function startNodeStatusLoop(ctx: KubeletContext, state: NodeState, nodeLister: NodeLister): StatusLoop {
  let lastReportMs: number | undefined;
  let pending = false;
  const name = ctx.host.name;
  const path = `/api/v1/nodes/${name}/status`;
  const fromLister = ctx.config.minorVersion >= 31;
  function* originalNode(): Process<Obj | undefined> {
    const cached = fromLister ? nodeLister() : undefined;
    if (cached) return cached;
    const res = yield* ctx.client.get(`/api/v1/nodes/${name}${fromLister ? '' : '?resourceVersion=0'}`, {
      why: fromLister
        ? `The kubelet's node informer does not have ${name} yet, so to compute its status update the kubelet reads the Node from kube-apiserver directly.`
        : `Every ${ctx.config.nodeStatusUpdateFrequencyMs / 1000}s (nodeStatusUpdateFrequency) the kubelet reads its Node, served from kube-apiserver's cache (resourceVersion=0), to compare its own view of the node with the API's.`,
      stage: 'synchronization',
      heartbeat: !fromLister,
    });
    return res.status === 200 ? (res.body as Obj) : undefined;
  }
  function* tick(): Process<void> {
    const original = yield* originalNode();
    if (!original) return;
    const status = applyNodeStatus(original.status, nodeStatus(ctx, state));
    const changed = nodeStatusHasChanged(original.status, status);
    const reportMinutes = ctx.config.nodeStatusReportFrequencyMs / 60000;
    const due = lastReportMs === undefined || ctx.sim.nowMs - lastReportMs >= ctx.config.nodeStatusReportFrequencyMs;
    if (!changed && !due) return;
    const readyApi = readyOf(original.status);
    const readyNow = readyOf(status);
    const why = !changed
      ? lastReportMs === undefined
        ? `This kubelet has not reported its node status since it started, so its first sync PATCHes it even though nothing changed (the last report time starts at zero); from now on it reports every ${reportMinutes}m (nodeStatusReportFrequency) or on a change.`
        : `Nothing changed, but ${reportMinutes}m (nodeStatusReportFrequency) have passed, so the kubelet posts its status anyway; the frequent heartbeat is the Lease.`
      : readyApi !== undefined && readyApi !== readyNow
        ? `The Node in the API says Ready=${readyApi}${readyApi === 'Unknown' ? ' (the node lifecycle controller wrote that while it heard nothing from this kubelet)' : ''}, but the kubelet finds its node Ready=${readyNow}. It compares its status with the Node as the API server has it, not with what it last sent, so it PATCHes at once instead of waiting for the ${reportMinutes}m report.`
        : `The kubelet's node status differs from the Node in the API (Ready=${readyNow}), so it PATCHes nodes/${name}/status at once instead of waiting for the ${reportMinutes}m report.`;
    // PatchNodeStatus: a strategic merge patch from the Node it read to the one it computed.
    const patch = createTwoWayMergePatch({ status: original.status }, { status });
    const res = yield* ctx.client.patch(path, patch, {
      why: `${why} The body is a strategic merge patch: only the fields that differ, conditions merged by type, with $setElementOrder/conditions giving their order.`,
      stage: 'synchronization',
      heartbeat: !changed && lastReportMs !== undefined,
    });
    if (res.status === 200) lastReportMs = ctx.sim.nowMs;
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
