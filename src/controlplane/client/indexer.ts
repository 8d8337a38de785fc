import type { KubeObject } from '../../api/meta.js';

/**
 * client-go's cache.Indexer (tools/cache/thread_safe_store.go): the informer's local cache plus
 * indexes kept up to date on every add, update and delete, so a controller asks for "the pods
 * of this owner" or "the pods on this node" without scanning every object. It is a Map from
 * namespace/name to object, and `byIndex` returns objects in the Map's own iteration order
 * (the order they were first added), exactly the order a filter over `list()` would give.
 */
export type IndexFunc<T> = (obj: T) => readonly string[];

interface Bucket<T> {
  items: Map<string, T>;
  /** The highest insertion number in the bucket; an older key joining means re-sorting before a read. */
  maxSeq: number;
  sorted: boolean;
}

interface Index<T> {
  readonly fn: IndexFunc<T>;
  readonly buckets: Map<string, Bucket<T>>;
}

export class Indexer<T> extends Map<string, T> {
  /**
   * Each key's insertion number, kept only once an index exists (a cache without indexes, such
   * as each kube-proxy's Services and EndpointSlices, needs none): the Map's own order is the
   * insertion order, so numbering the keys when the first index is added gives the same order.
   */
  private readonly seqs = new Map<string, number>();
  private readonly indexes = new Map<string, Index<T>>();
  private nextSeq = 0;

  /** AddIndexers: indexes the objects already cached, then keeps the index current. Adding a name twice keeps the first. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) return;
    if (this.indexes.size === 0) for (const key of super.keys()) this.seqs.set(key, this.nextSeq++);
    const index: Index<T> = { fn, buckets: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of super.entries()) for (const value of fn(obj)) this.enter(index, value, key, obj);
  }

  /** ByIndex: the objects whose index function returned `value`, in cache order. */
  byIndex(name: string, value: string): T[] {
    const bucket = this.indexOf(name).buckets.get(value);
    return bucket ? [...this.ordered(bucket).values()] : [];
  }

  /** The union of several index values, in cache order (each object once). */
  byIndexes(name: string, values: readonly string[]): T[] {
    const index = this.indexOf(name);
    const buckets = [...new Set(values)].map((value) => index.buckets.get(value)).filter((b) => b !== undefined);
    if (buckets.length === 0) return [];
    if (buckets.length === 1) return [...this.ordered(buckets[0]).values()];
    // An object with several index values sits in several buckets: keep it once.
    const entries = [...new Map(buckets.flatMap((bucket) => [...bucket.items]))];
    return entries.sort((a, b) => this.seqs.get(a[0])! - this.seqs.get(b[0])!).map(([, obj]) => obj);
  }

  /** The cache order of `key` (lower first), as byIndex and byIndexes sort by; undefined without an index or for a key not cached. */
  orderOf(key: string): number | undefined {
    return this.seqs.get(key);
  }

  override set(key: string, obj: T): this {
    if (this.indexes.size === 0) return super.set(key, obj);
    const old = super.get(key);
    const existed = old !== undefined || super.has(key);
    if (!existed) this.seqs.set(key, this.nextSeq++);
    super.set(key, obj);
    for (const index of this.indexes.values()) {
      const before = existed ? index.fn(old as T) : [];
      const after = index.fn(obj);
      for (const value of before) if (!after.includes(value)) this.leave(index, value, key);
      for (const value of after) this.enter(index, value, key, obj);
    }
    return this;
  }

  override delete(key: string): boolean {
    if (this.indexes.size === 0) return super.delete(key);
    if (!super.has(key)) return false;
    const old = super.get(key) as T;
    for (const index of this.indexes.values()) for (const value of index.fn(old)) this.leave(index, value, key);
    this.seqs.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    for (const index of this.indexes.values()) index.buckets.clear();
    this.seqs.clear();
    super.clear();
  }

  private indexOf(name: string): Index<T> {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`Index with name ${name} does not exist`);
    return index;
  }

  private enter(index: Index<T>, value: string, key: string, obj: T): void {
    let bucket = index.buckets.get(value);
    if (!bucket) index.buckets.set(value, (bucket = { items: new Map(), maxSeq: -1, sorted: true }));
    const seq = this.seqs.get(key)!;
    if (!bucket.items.has(key)) {
      if (seq < bucket.maxSeq) bucket.sorted = false;
      else bucket.maxSeq = seq;
    }
    bucket.items.set(key, obj);
  }

  private leave(index: Index<T>, value: string, key: string): void {
    const bucket = index.buckets.get(value);
    if (!bucket) return;
    bucket.items.delete(key);
    if (bucket.items.size === 0) index.buckets.delete(value);
  }

  private ordered(bucket: Bucket<T>): Map<string, T> {
    if (!bucket.sorted) {
      const entries = [...bucket.items].sort((a, b) => this.seqs.get(a[0])! - this.seqs.get(b[0])!);
      bucket.items = new Map(entries);
      bucket.sorted = true;
    }
    return bucket.items;
  }
}

/** The indexes the controllers share, named as in client-go where it has one. */
export const NAMESPACE_INDEX = 'namespace';
/** `<namespace>/<controller uid>`, or `<namespace>/` for an object with no controller (an orphan). */
export const CONTROLLER_INDEX = 'controller';
export const NODE_NAME_INDEX = 'spec.nodeName';
/** Every owner uid in metadata.ownerReferences (the garbage collector's owner → dependents edges). */
export const OWNER_UID_INDEX = 'ownerReferences.uid';
/** `<namespace>/<kubernetes.io/service-name label>` of an EndpointSlice. */
export const SERVICE_NAME_INDEX = 'kubernetes.io/service-name';

/** `<namespace>/<key>=<value>` for each label of an object: a selector's pods are in the bucket of any one of its pairs. */
export const LABEL_INDEX = 'metadata.labels';
/** `<namespace>/<key>=<value>` for each pair of a Service's spec.selector; `<namespace>/` for an empty one (it matches every pod). */
export const SELECTOR_INDEX = 'spec.selector';

export function labelIndexFunc(obj: KubeObject): readonly string[] {
  const ns = obj.metadata.namespace ?? '';
  return Object.entries(obj.metadata.labels ?? {}).map(([k, v]) => `${ns}/${k}=${v}`);
}

/** Services by the pairs of their selector; a Service without a selector is not indexed. */
export function selectorIndexFunc(obj: KubeObject): readonly string[] {
  const selector = (obj.spec as { selector?: Record<string, string> } | undefined)?.selector;
  if (!selector) return [];
  const ns = obj.metadata.namespace ?? '';
  const pairs = Object.entries(selector).map(([k, v]) => `${ns}/${k}=${v}`);
  return pairs.length ? pairs : [`${ns}/`];
}

/** MetaNamespaceIndexFunc. */
export function namespaceIndexFunc(obj: KubeObject): readonly string[] {
  return [obj.metadata.namespace ?? ''];
}

/** Objects by the uid of their controller (the owner reference with controller=true); orphans share one value per namespace. */
export function controllerIndexFunc(obj: KubeObject): readonly string[] {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  return [`${obj.metadata.namespace ?? ''}/${ref?.uid ?? ''}`];
}

/** Pods by the node they are bound to; unbound pods are not indexed. */
export function nodeNameIndexFunc(obj: KubeObject): readonly string[] {
  const nodeName = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
  return nodeName ? [nodeName] : [];
}

export function ownerUidIndexFunc(obj: KubeObject): readonly string[] {
  return [...new Set((obj.metadata.ownerReferences ?? []).map((r) => r.uid ?? ''))];
}

export function serviceNameIndexFunc(obj: KubeObject): readonly string[] {
  const service = obj.metadata.labels?.['kubernetes.io/service-name'];
  return service === undefined ? [] : [`${obj.metadata.namespace ?? ''}/${service}`];
}

/** The controller-index value of `owner`'s dependents and of the orphans in its namespace. */
export function controllerIndexValues(owner: KubeObject): string[] {
  const ns = owner.metadata.namespace ?? '';
  return [`${ns}/${owner.metadata.uid ?? ''}`, `${ns}/`];
}
