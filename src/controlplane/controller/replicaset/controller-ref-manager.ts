import type { KubeObject, OwnerReference } from '../../../api/meta.js';
import type { Process } from '../../../sim/simulation.js';
import type { ControllerContext } from '../context.js';
import { controllerOf } from './types.js';

/**
 * ClaimObjects (pkg/controller/controller_ref_manager.go): decides which objects a controller
 * owns. Objects whose controller reference points at it and that still match its selector are
 * its own; matching orphans are adopted and owned objects that stopped matching are released,
 * each with a strategic-merge PATCH of metadata.ownerReferences.
 */
export interface ClaimTarget<T extends KubeObject> {
  readonly ctx: ControllerContext;
  readonly owner: KubeObject;
  readonly ownerRef: OwnerReference;
  /** Does the selector of the owner still select `obj`? */
  readonly matches: (obj: T) => boolean;
  /** REST path of `obj`, for the adopt/release PATCH. */
  readonly path: (obj: T) => string;
  /** Told before each adopt/release PATCH is sent. */
  readonly onPatch?: () => void;
}

/** NewControllerRef: how every controller points at the object it is owned by. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export function* claimObjects<T extends KubeObject>(target: ClaimTarget<T>, candidates: readonly T[]): Process<T[]> {
  const claimed: T[] = [];
  const ownerName = `${target.ownerRef.kind} ${target.owner.metadata.name}`;
  const ownerDeleting = Boolean(target.owner.metadata.deletionTimestamp);
  const name = (obj: T): string => `${obj.kind} ${obj.metadata.name}`;
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    if (ref) {
      if (ref.uid !== target.ownerRef.uid) continue;
      if (target.matches(obj)) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      target.onPatch?.();
      yield* target.ctx.client.patch(target.path(obj), { metadata: { ownerReferences: [{ $patch: 'delete', uid: target.ownerRef.uid }], uid: obj.metadata.uid } }, {
        why: `${name(obj)} no longer matches the selector of ${ownerName}, so its controller releases it by removing its ownerReference; it keeps running as an orphan.`,
      });
      continue;
    }
    if (ownerDeleting || obj.metadata.deletionTimestamp || !target.matches(obj)) continue;
    target.onPatch?.();
    const res = yield* target.ctx.client.patch(target.path(obj), { metadata: { ownerReferences: [target.ownerRef], uid: obj.metadata.uid } }, {
      why: `${name(obj)} matches the selector of ${ownerName} but has no controller, so the controller adopts it by adding an ownerReference with controller=true instead of creating a new one.`,
    });
    if (res.status === 200) claimed.push(res.body as T);
  }
  return claimed;
}
