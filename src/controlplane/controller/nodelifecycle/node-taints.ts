import { ratio } from '../../../sim/prng.js';
import { createTwoWayMergePatch } from '../../../api/strategic-merge-patch.js';
import { sleep, type Process } from '../../../sim/simulation.js';
import type { ControllerContext } from '../context.js';
import {
  getCondition, matchTaint, taintExists,
  TAINT_DISK_PRESSURE, TAINT_MEMORY_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_NOT_READY, TAINT_PID_PRESSURE, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE,
  type NodeObject, type Taint,
} from './types.js';

/**
 * Taint writes as pkg/controller/controller_utils.go does them (AddOrUpdateTaintOnNode,
 * RemoveTaintOffNode, PatchNodeTaints) and the NoSchedule mapping of doNoScheduleTaintingPass.
 * Each write GETs the Node (first from kube-apiserver's cache, resourceVersion=0), computes the
 * new taint list and PATCHes the whole list with the resourceVersion it read, so a concurrent
 * change gives 409 Conflict and a retry rather than a lost update.
 */

/**
 * PatchNodeTaints: a strategic merge patch from the Node (its resourceVersion cleared) to the
 * Node with the new taints. spec.taints has no merge key, so the list is sent whole, and an
 * empty list, which Go's omitempty leaves out, becomes `taints: null`; the resourceVersion
 * appears in the patch and makes it conditional on the Node not having changed.
 */
export function taintPatch(node: NodeObject, taints: readonly Taint[]): Record<string, unknown> {
  const { resourceVersion: _rv, ...metadata } = node.metadata;
  const spec = { ...(node.spec ?? {}) } as Record<string, unknown>;
  delete spec.taints;
  return createTwoWayMergePatch(
    { metadata, spec: node.spec ?? {} },
    { metadata: node.metadata, spec: taints.length ? { ...spec, taints } : spec },
  );
}
export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };

/** nodeConditionToTaintKeyStatusMap: which condition status puts which NoSchedule taint. */
const CONDITION_TAINTS: Record<string, Partial<Record<string, string>>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
};
const CONDITION_TAINT_KEYS = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_MEMORY_PRESSURE, TAINT_DISK_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_PID_PRESSURE]);

/** The NoSchedule taints to add and remove so they mirror the node's conditions and cordon. */
export function noScheduleTaintDiff(node: NodeObject): { add: Taint[]; remove: Taint[] } {
  const wanted: Taint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[condition.type]?.[condition.status];
    if (key) wanted.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) wanted.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const existing = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
  return {
    add: wanted.filter((w) => !existing.some((e) => matchTaint(e, w))),
    remove: existing.filter((e) => !wanted.some((w) => matchTaint(e, w))),
  };
}

export function readyStatus(node: NodeObject): string | undefined {
  return getCondition(node.status?.conditions, 'Ready')?.status;
}

/** UpdateTaintBackoff: 5 tries, 100ms apart with jitter 1.0. */
const TAINT_RETRIES = 5;
const TAINT_RETRY_MS = 100;

type TaintEdit = (taints: readonly Taint[]) => Taint[] | undefined;

export class NodeTaintWriter {
  constructor(private readonly ctx: ControllerContext) {}

  /** AddOrUpdateTaintOnNode: adds the taints (replacing same key+effect ones that differ). */
  addOrUpdate(nodeName: string, taints: readonly Taint[], why: string): Process<boolean> {
    return this.edit(nodeName, why, (current) => {
      let next = [...current];
      let updated = false;
      for (const taint of taints) {
        const index = next.findIndex((t) => matchTaint(t, taint));
        if (index >= 0 && JSON.stringify(next[index]) === JSON.stringify(taint)) continue;
        next = index >= 0 ? next.map((t, i) => (i === index ? taint : t)) : [...next, taint];
        updated = true;
      }
      return updated ? next : undefined;
    });
  }

  /** RemoveTaintOffNode: skips the API entirely when the cached node has none of the taints. */
  *remove(nodeName: string, cached: NodeObject | undefined, taints: readonly Taint[], why: string): Process<boolean> {
    if (taints.length === 0) return true;
    if (cached && !taints.some((t) => taintExists(cached.spec?.taints, t))) return true;
    return yield* this.edit(nodeName, why, (current) => {
      const next = current.filter((t) => !taints.some((r) => matchTaint(t, r)));
      return next.length === current.length ? undefined : next;
    });
  }

  /** SwapNodeControllerTaint: stamps timeAdded on the new taints, adds them, then removes the others. */
  *swap(node: NodeObject, add: readonly Taint[], remove: readonly Taint[], why: string): Process<boolean> {
    const timeAdded = this.ctx.sim.clock.rfc3339();
    const stamped = add.map((t) => ({ ...t, timeAdded }));
    const name = node.metadata.name ?? '';
    if (stamped.length && !(yield* this.addOrUpdate(name, stamped, why))) return false;
    return yield* this.remove(name, node, remove, why);
  }

  private *edit(nodeName: string, why: string, change: TaintEdit): Process<boolean> {
    for (let attempt = 0; attempt < TAINT_RETRIES; attempt++) {
      if (attempt > 0) yield* sleep(this.ctx.sim, this.ctx.actor, this.ctx.prng.jitterMs(TAINT_RETRY_MS, ratio(1, 1)));
      const got = yield* this.ctx.client.get(`/api/v1/nodes/${nodeName}${attempt === 0 ? '?resourceVersion=0' : ''}`, {
        why: attempt === 0
          ? `Before changing ${nodeName}'s taints the controller reads the Node (from kube-apiserver's cache, resourceVersion=0) to patch against its current taint list.`
          : `The taint write conflicted with another change, so the controller reads ${nodeName} again, this time from etcd.`,
        stage: 'synchronization',
      });
      if (got.status === 404) return true;
      if (got.status !== 200) continue;
      const node = got.body as NodeObject;
      const taints = change(node.spec?.taints ?? []);
      if (!taints) return true;
      const res = yield* this.ctx.client.patch(`/api/v1/nodes/${nodeName}`, taintPatch(node, taints), { why, stage: 'synchronization' });
      if (res.status === 200) return true;
      if (res.status !== 409) return false;
    }
    return false;
  }
}
