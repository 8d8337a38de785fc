import type { KubeObject, OwnerReference } from '../../../api/meta.js';
import type { Process } from '../../../sim/simulation.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { objectKey } from '../../client/informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import { OWNER_UID_INDEX, ownerUidIndexFunc } from '../../client/indexer.js';
import type { Controller, ControllerContext } from '../context.js';

/**
 * The garbage collector (pkg/controller/garbagecollector), cut down to background cascading
 * deletion: when an owner is gone, every object whose ownerReferences point at the owner's uid
 * is deleted. Before deleting it checks with the API server that the owner really is gone (or
 * was replaced by a new object with another uid); a dependent with another live owner stays.
 */
interface Kind {
  readonly kind: string;
  readonly apiVersion: string;
  /** Collection path under a namespace: `/apis/apps/v1/namespaces/<ns>/replicasets`. */
  readonly collection: (namespace: string) => string;
  readonly path: string;
  readonly owner: boolean;
  readonly dependent: boolean;
}

const KINDS: readonly Kind[] = [
  { kind: 'Deployment', apiVersion: 'apps/v1', path: '/apis/apps/v1/deployments', collection: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`, owner: true, dependent: false },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', path: '/apis/apps/v1/replicasets', collection: (ns) => `/apis/apps/v1/namespaces/${ns}/replicasets`, owner: true, dependent: true },
  { kind: 'Service', apiVersion: 'v1', path: '/api/v1/services', collection: (ns) => `/api/v1/namespaces/${ns}/services`, owner: true, dependent: false },
  { kind: 'Pod', apiVersion: 'v1', path: '/api/v1/pods', collection: (ns) => `/api/v1/namespaces/${ns}/pods`, owner: false, dependent: true },
  { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', path: '/apis/discovery.k8s.io/v1/endpointslices', collection: (ns) => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, owner: false, dependent: true },
];

const OWNER_KINDS = new Map(KINDS.filter((k) => k.owner).map((k) => [k.kind, k]));

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  readonly informers = new Map<string, InformerLike>();
  readonly queue: WorkQueue;
  /** absentOwnerCache: owner uids the API server confirmed gone, so later dependents skip the GET. */
  private readonly absentOwners = new Set<string>();
  private synced = false;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.sim, ctx.actor);
    let syncedCount = 0;
    for (const kind of KINDS) {
      const informer: InformerLike = sharedInformer(ctx, kind.kind, {
        path: kind.path,
        why: `The garbage collector watches ${kind.kind}s to keep its graph of owners and dependents: it must notice when an owner disappears and which objects point at it.`,
      }, {
        onAdd: (obj) => this.onDependent(kind, obj),
        onUpdate: (_old, obj) => this.onDependent(kind, obj),
        onDelete: (obj) => this.onOwnerDeleted(kind, obj),
        onSynced: () => {
          if (++syncedCount < KINDS.length) return;
          this.synced = true;
          ctx.sim.spawn(ctx.actor, runWorker(this.queue, (key) => this.attemptToDeleteItem(key)));
          for (const k of KINDS) for (const obj of this.informers.get(k.kind)!.list()) this.onDependent(k, obj);
        },
      });
      // The graph's owner → dependents edges (uidToNode), instead of scanning every object.
      if (kind.dependent) informer.addIndexer(OWNER_UID_INDEX, ownerUidIndexFunc);
      this.informers.set(kind.kind, informer);
    }
  }

  start(): void {
    for (const informer of this.informers.values()) informer.start();
  }

  private ownerInCache(namespace: string | undefined, ref: OwnerReference): boolean {
    const owner = this.informers.get(ref.kind)?.cache.get(`${namespace}/${ref.name}`);
    return owner?.metadata.uid === ref.uid;
  }

  /** A dependent appeared or changed: if one of its owners is not known to exist, check it. */
  private onDependent(kind: Kind, obj: KubeObject): void {
    if (!this.synced || !kind.dependent || obj.metadata.deletionTimestamp) return;
    const refs = (obj.metadata.ownerReferences ?? []).filter((r) => OWNER_KINDS.has(r.kind));
    if (refs.some((r) => !this.ownerInCache(obj.metadata.namespace, r))) this.queue.add(`${kind.kind}|${objectKey(obj)}`);
  }

  /** An owner disappeared: queue every dependent that names its uid. */
  private onOwnerDeleted(kind: Kind, owner: KubeObject): void {
    if (!kind.owner) return;
    const uid = owner.metadata.uid;
    const dependents: string[] = [];
    for (const k of KINDS.filter((x) => x.dependent)) {
      for (const obj of this.informers.get(k.kind)!.byIndex(OWNER_UID_INDEX, uid ?? '')) {
        if (obj.metadata.namespace === owner.metadata.namespace) dependents.push(`${k.kind}|${objectKey(obj)}`);
      }
    }
    if (!dependents.length) return;
    const names = dependents.map((d) => d.replace('|', ' '));
    this.ctx.sim.recorder.record({
      stage: 'synchronization', from: this.name, to: this.name, kind: 'decision',
      summary: `${kind.kind} ${objectKey(owner)} deleted: collect ${dependents.length} dependent(s)`,
      explanation: `${kind.kind} ${objectKey(owner)} (uid ${uid}) is gone. ${names.join(', ')} list it in metadata.ownerReferences, so with background cascading deletion (kubectl's default) the garbage collector deletes them now that their owner is gone; their own dependents follow the same way.`,
    });
    for (const key of dependents) this.queue.add(key);
  }

  /** attemptToDeleteItem: delete the dependent if all its owners are gone; keep it if one is alive. */
  private *attemptToDeleteItem(key: string): Process<void> {
    const [kindName, objKey] = key.split('|');
    const kind = KINDS.find((k) => k.kind === kindName)!;
    const obj = this.informers.get(kindName)!.cache.get(objKey);
    if (!obj || obj.metadata.deletionTimestamp) return;
    const namespace = obj.metadata.namespace ?? '';
    const refs = obj.metadata.ownerReferences ?? [];
    if (!refs.some((r) => OWNER_KINDS.has(r.kind))) return;
    const dangling: OwnerReference[] = [];
    for (const ref of refs) {
      const ownerKind = OWNER_KINDS.get(ref.kind);
      // Owners of kinds this simulator does not collect for are assumed to exist.
      if (!ownerKind) continue;
      if (this.absentOwners.has(ref.uid)) {
        dangling.push(ref);
        continue;
      }
      const res = yield* this.ctx.client.get(`${ownerKind.collection(namespace)}/${ref.name}`, {
        why: `${kindName} ${objKey} names ${ref.kind} ${ref.name} (uid ${ref.uid}) as its owner; before deleting anything the garbage collector asks the API server whether that owner still exists.`,
      });
      const found = res.body as KubeObject | undefined;
      if (res.status === 404 || (res.status === 200 && found?.metadata.uid !== ref.uid)) {
        this.absentOwners.add(ref.uid);
        dangling.push(ref);
      } else if (res.status !== 200) return this.queue.addAfter(key, 1000);
    }
    if (dangling.length < refs.length) {
      if (dangling.length) yield* this.removeDangling(kind, obj, dangling);
      return;
    }
    yield* this.ctx.client.call('DELETE', `${kind.collection(namespace)}/${obj.metadata.name}`, {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: obj.metadata.uid }, propagationPolicy: 'Background' },
      why: `Every owner of ${kindName} ${objKey} is gone (${dangling.map((r) => `${r.kind} ${r.name}`).join(', ')}), so the garbage collector deletes it: this is how deleting a Deployment removes its ReplicaSets and their pods.`,
    });
  }

  /** A dependent with a live owner keeps living; only the references to the dead owners are removed. */
  private *removeDangling(kind: Kind, obj: KubeObject, dangling: readonly OwnerReference[]): Process<void> {
    yield* this.ctx.client.patch(`${kind.collection(obj.metadata.namespace ?? '')}/${obj.metadata.name}`, {
      metadata: { ownerReferences: dangling.map((r) => ({ $patch: 'delete', uid: r.uid })), uid: obj.metadata.uid },
    }, {
      why: `${kind.kind} ${objectKey(obj)} still has a live owner, so the garbage collector keeps it and only removes the references to owners that are gone.`,
    });
  }
}
