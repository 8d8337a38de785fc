import type { KubeObject, Status } from '../../api/meta.js';
import type { Prng } from '../../sim/prng.js';
import type { Store, KeyValue } from '../etcd/store.js';
import { apiVersionOf, storageKey, type ResourceInfo } from './resources.js';
import * as errors from './status.js';
import { matchesSelector, type Selector } from './selectors.js';
import { ListIndex } from './list-index.js';
import { jsonEqual, mergePatch, strategicMergePatch } from './patch.js';
import { omitEmptyLists } from './omitempty.js';
import { mergeForSubresource, prepareForCreate, validateUpdate, type StrategyContext } from './strategy.js';

/**
 * Generic storage for every resource (k8s.io/apiserver/pkg/registry/generic/registry/store.go):
 * objects keyed by the real etcd layout, resourceVersion = mod revision, optimistic concurrency
 * on update. Results carry what a step records: the key, the revision, the object before and after.
 */
export interface WriteResult {
  readonly status: number;
  readonly body: KubeObject | Status;
  readonly key?: string;
  readonly revision?: number;
  readonly before?: KubeObject;
  /** The stored object after the write; null when the key was removed. */
  readonly after?: KubeObject | null;
}

/** Admission, run on the final object before it is stored; returns a replacement object or a 403 Status. */
export type Admit = (operation: 'CREATE' | 'UPDATE' | 'DELETE', object: KubeObject | undefined, old: KubeObject | undefined) => KubeObject | Status | undefined;

export type PatchType = 'merge' | 'strategic' | 'json';

type Obj = Record<string, any>;

function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as Status).kind === 'Status';
}

export class Registry {
  private readonly listIndex: ListIndex;

  constructor(
    private readonly store: Store<KubeObject>,
    private readonly prng: Prng,
  ) {
    this.listIndex = new ListIndex(store);
  }

  uid(): string {
    const b = this.prng.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  get(info: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(storageKey(info, namespace, name))?.value;
  }

  list(info: ResourceInfo, namespace: string | undefined, selector: Selector): { items: KubeObject[]; revision: number } {
    const prefix = info.namespaced && namespace ? `${info.etcdPrefix}${namespace}/` : info.etcdPrefix;
    const items = (this.listIndex.candidates(info, namespace, prefix, selector) ?? this.store.range(prefix))
      .map((kv: KeyValue<KubeObject>) => kv.value)
      .filter((obj) => matchesSelector(selector, obj));
    return { items, revision: this.store.revision };
  }

  create(info: ResourceInfo, namespace: string | undefined, body: KubeObject, ctx: StrategyContext, admit: Admit): WriteResult {
    const meta = body.metadata ?? {};
    let name = meta.name;
    if (!name && meta.generateName) name = `${meta.generateName}${this.prng.string(5)}`;
    if (!name) {
      return { status: 422, body: errors.invalid(info.kind, info.group, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]) };
    }
    if (info.namespaced && namespace && meta.namespace && meta.namespace !== namespace) {
      return { status: 400, body: errors.badRequest('the namespace of the provided object does not match the namespace sent on the request') };
    }
    const key = storageKey(info, namespace, name);
    if (this.store.get(key)) return { status: 409, body: errors.alreadyExists(info, name) };
    const nextRevision = this.store.revision + 1;
    let obj: KubeObject = prepareForCreate(info, { ...body, apiVersion: apiVersionOf(info), kind: info.kind }, ctx);
    obj = {
      ...obj,
      metadata: {
        ...meta,
        // Annotations the strategy adds on create (a DaemonSet's templateGeneration).
        ...(obj.metadata?.annotations && obj.metadata.annotations !== meta.annotations ? { annotations: obj.metadata.annotations } : {}),
        name,
        ...(info.namespaced ? { namespace } : {}),
        uid: this.uid(),
        resourceVersion: String(nextRevision),
        ...(info.tracksGeneration ? { generation: 1 } : {}),
        creationTimestamp: ctx.now,
      },
    };
    const admitted = admit('CREATE', obj, undefined);
    if (isStatus(admitted)) return { status: admitted.code, body: admitted };
    if (admitted) obj = admitted;
    return this.commit(key, obj, undefined, 201);
  }

  update(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    subresource: string | undefined,
    admit: Admit,
  ): WriteResult {
    const key = storageKey(info, namespace, name);
    const current = this.store.get(key);
    if (!current) return { status: 404, body: errors.notFound(info, name) };
    const requested = body.metadata?.resourceVersion;
    if (requested && requested !== String(current.modRevision)) {
      return { status: 409, body: errors.conflict(info, name, errors.STALE_OBJECT) };
    }
    return this.replace(info, key, current, body, subresource, admit);
  }

  patch(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    subresource: string | undefined,
    admit: Admit,
  ): WriteResult {
    const key = storageKey(info, namespace, name);
    const current = this.store.get(key);
    if (!current) return { status: 404, body: errors.notFound(info, name) };
    const apply = patchType === 'strategic' ? strategicMergePatch : mergePatch;
    const patched = apply(current.value, patch) as KubeObject;
    const requested = (patch as Obj)?.metadata?.resourceVersion;
    if (requested && requested !== String(current.modRevision)) {
      return { status: 409, body: errors.conflict(info, name, errors.STALE_OBJECT) };
    }
    // A uid in the patch is a precondition (the kubelet's pod status patches carry one).
    const uid = (patch as Obj)?.metadata?.uid;
    if (uid && uid !== current.value.metadata.uid) {
      return { status: 409, body: errors.conflict(info, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.value.metadata.uid}`) };
    }
    return this.replace(info, key, current, patched, subresource, admit);
  }

  private replace(
    info: ResourceInfo,
    key: string,
    current: KeyValue<KubeObject>,
    body: KubeObject,
    subresource: string | undefined,
    admit: Admit,
  ): WriteResult {
    const old = current.value;
    let obj = mergeForSubresource(info, subresource, old, { ...body, apiVersion: old.apiVersion, kind: old.kind });
    // Identity fields never change through an update.
    obj = { ...obj, metadata: { ...obj.metadata, name: old.metadata.name, namespace: old.metadata.namespace, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, resourceVersion: old.metadata.resourceVersion } };
    if (info.tracksGeneration) {
      const generation = (old.metadata.generation ?? 1) + (jsonEqual((old as Obj).spec, (obj as Obj).spec) ? 0 : 1);
      obj = { ...obj, metadata: { ...obj.metadata, generation } };
    }
    const invalid = validateUpdate(info, old, obj);
    if (invalid.length) return { status: 422, body: errors.invalid(info.kind, info.group, old.metadata.name ?? '', invalid) };
    const admitted = admit('UPDATE', obj, old);
    if (isStatus(admitted)) return { status: admitted.code, body: admitted };
    if (admitted) obj = admitted;
    obj = omitEmptyLists(obj);
    // A write that changes nothing is not written: etcd keeps its revision (GuaranteedUpdate's no-op path).
    if (jsonEqual(obj, old)) return { status: 200, body: old, key, revision: current.modRevision, before: old, after: old };
    return this.commit(key, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.store.revision + 1) } }, current, 200);
  }

  /**
   * DELETE. A pod bound to a node is deleted gracefully: it gets a deletionTimestamp and stays
   * until its kubelet has stopped it and deletes it with grace period 0.
   */
  delete(
    info: ResourceInfo,
    namespace: string | undefined,
    name: string,
    options: { gracePeriodSeconds?: number; now: string; nowMs: number; formatTime: (ms: number) => string },
    admit: Admit,
  ): WriteResult {
    const key = storageKey(info, namespace, name);
    const current = this.store.get(key);
    if (!current) return { status: 404, body: errors.notFound(info, name) };
    const old = current.value as Obj;
    const admitted = admit('DELETE', undefined, current.value);
    if (isStatus(admitted)) return { status: admitted.code, body: admitted };
    if (info.kind === 'Pod' && old.spec?.nodeName && options.gracePeriodSeconds !== 0) {
      if (old.metadata.deletionTimestamp) return { status: 200, body: current.value, key, revision: current.modRevision, before: current.value, after: current.value };
      const grace = options.gracePeriodSeconds ?? old.spec.terminationGracePeriodSeconds ?? 30;
      const next = {
        ...old,
        metadata: {
          ...old.metadata,
          deletionTimestamp: options.formatTime(options.nowMs + grace * 1000),
          deletionGracePeriodSeconds: grace,
          resourceVersion: String(this.store.revision + 1),
        },
      } as KubeObject;
      return this.commit(key, next, current, 200);
    }
    const result = this.store.delete(key, current.modRevision);
    if (!result.ok) return { status: 500, body: errors.internalError('etcdserver: request timed out') };
    const deleted = { ...current.value, metadata: { ...current.value.metadata, resourceVersion: String(result.kv.modRevision) } };
    return { status: 200, body: deleted, key, revision: result.kv.modRevision, before: current.value, after: null };
  }

  private commit(key: string, written: KubeObject, current: KeyValue<KubeObject> | undefined, code: number): WriteResult {
    const obj = omitEmptyLists(written);
    const result = current ? this.store.update(key, obj, current.modRevision) : this.store.create(key, obj);
    if (!result.ok) {
      return { status: 500, body: errors.internalError('etcdserver: request timed out') };
    }
    return { status: code, body: obj, key, revision: result.kv.modRevision, before: current?.value, after: obj };
  }
}
