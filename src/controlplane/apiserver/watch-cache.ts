import type { KubeObject, WatchEventType } from '../../api/meta.js';
import { CompactedError, type Store, type StoreEvent, type StoreWatch } from '../etcd/store.js';
import { matchesSelector, type Selector } from './selectors.js';

/**
 * One watch cache per resource, like k8s.io/apiserver's Cacher: a single store watch fans out to
 * every client watch of that resource. Watches pinned to a node (`spec.nodeName=<x>`, what every
 * kubelet asks for) are indexed by node, so a pod write wakes the watchers of its node only,
 * not all of them; watches of one object by name (`metadata.name=<x>`: a kubelet's own Node, a
 * CSR) are indexed by that name, as the Cacher's trigger functions do.
 */
export interface CacheWatcher {
  readonly selector: Selector;
  /** Only keys under this prefix (a namespace, or one object's key). */
  readonly keyPrefix: string;
  readonly onEvent: (type: WatchEventType, object: KubeObject, event: StoreEvent<KubeObject>) => void;
}

export class WatchCache {
  private readonly unindexed = new Set<CacheWatcher>();
  private readonly byNode = new Map<string, Set<CacheWatcher>>();
  private readonly byName = new Map<string, Set<CacheWatcher>>();
  /** Registration order of the unindexed and by-name watchers, which is the order they hear an event in. */
  private readonly order = new WeakMap<CacheWatcher, number>();
  private nextOrder = 0;
  private readonly storeWatch: StoreWatch;
  /**
   * The oldest revision this cache can serve a watch from. A cache built when kube-apiserver
   * (re)starts holds nothing older than the store's revision at that moment, which is why
   * clients see "too old resource version" after an API server restart.
   */
  private readonly startRevision: number;

  constructor(
    private readonly store: Store<KubeObject>,
    private readonly prefix: string,
  ) {
    this.startRevision = store.revision;
    this.storeWatch = store.watch(prefix, store.revision, (event) => this.dispatch(event));
  }

  /** Stops following the store (the API server process went away). */
  close(): void {
    this.storeWatch.cancel();
    this.unindexed.clear();
    this.byNode.clear();
    this.byName.clear();
  }

  /**
   * Registers a watcher and replays history after `afterRevision` to it first, so it sees every
   * later change exactly once and in order. Throws CompactedError for a compacted revision.
   */
  add(watcher: CacheWatcher, afterRevision: number): () => void {
    if (afterRevision < this.startRevision) throw new CompactedError(afterRevision, this.startRevision + 1);
    const backlog = this.store.eventsAfter(watcher.keyPrefix, afterRevision);
    for (const event of backlog) this.deliver(watcher, event);
    const node = watcher.selector.nodeName;
    const name = node === undefined ? pinnedName(watcher.selector) : undefined;
    this.order.set(watcher, this.nextOrder++);
    if (node !== undefined) addTo(this.byNode, node, watcher);
    else if (name !== undefined) addTo(this.byName, name, watcher);
    else this.unindexed.add(watcher);
    return () => {
      if (node !== undefined) this.byNode.get(node)?.delete(watcher);
      else if (name !== undefined) this.byName.get(name)?.delete(watcher);
      else this.unindexed.delete(watcher);
    };
  }

  get watcherCount(): number {
    let count = this.unindexed.size;
    for (const set of this.byNode.values()) count += set.size;
    for (const set of this.byName.values()) count += set.size;
    return count;
  }

  /** The unindexed watchers plus those watching this object by name, in registration order. */
  private watchersOf(event: StoreEvent<KubeObject>): Set<CacheWatcher> {
    const named = this.byName.get(event.kv.value.metadata.name ?? '');
    if (!named?.size) return new Set(this.unindexed);
    const merged = [...this.unindexed, ...named];
    return new Set(merged.sort((a, b) => this.order.get(a)! - this.order.get(b)!));
  }

  private dispatch(event: StoreEvent<KubeObject>): void {
    const targets = this.watchersOf(event);
    const nodes = new Set<string>();
    const cur = event.type === 'PUT' ? nodeNameOf(event.kv.value) : undefined;
    const prev = event.prevKv ? nodeNameOf(event.prevKv.value) : undefined;
    if (cur !== undefined) nodes.add(cur);
    if (prev !== undefined) nodes.add(prev);
    for (const node of nodes) for (const w of this.byNode.get(node) ?? []) targets.add(w);
    for (const watcher of targets) this.deliver(watcher, event);
  }

  private deliver(watcher: CacheWatcher, event: StoreEvent<KubeObject>): void {
    if (!event.key.startsWith(watcher.keyPrefix)) return;
    const converted = convert(watcher.selector, event);
    if (converted) watcher.onEvent(converted.type, converted.object, event);
  }
}

function addTo(index: Map<string, Set<CacheWatcher>>, value: string, watcher: CacheWatcher): void {
  let set = index.get(value);
  if (!set) index.set(value, (set = new Set()));
  set.add(watcher);
}

/** The name a `metadata.name=<x>` field selector pins, if any. */
function pinnedName(selector: Selector): string | undefined {
  return selector.fields.find((r) => r.key === 'metadata.name' && r.op === '=')?.values[0];
}

function nodeNameOf(obj: KubeObject): string {
  const spec = obj.spec as { nodeName?: string } | undefined;
  return spec?.nodeName ?? '';
}

/** The watch event a selector-filtered watcher sees for a store event (ADDED when an object starts to match, DELETED when it stops). */
export function convert(
  selector: Selector,
  event: StoreEvent<KubeObject>,
): { type: WatchEventType; object: KubeObject } | undefined {
  const curObj = event.kv.value;
  if (event.type === 'DELETE') {
    const deleted = withResourceVersion(curObj, event.revision);
    return matchesSelector(selector, curObj) ? { type: 'DELETED', object: deleted } : undefined;
  }
  const curMatch = matchesSelector(selector, curObj);
  const prevMatch = event.prevKv ? matchesSelector(selector, event.prevKv.value) : false;
  if (curMatch && prevMatch) return { type: 'MODIFIED', object: curObj };
  if (curMatch) return { type: 'ADDED', object: curObj };
  if (prevMatch) return { type: 'DELETED', object: curObj };
  return undefined;
}

export function withResourceVersion(obj: KubeObject, revision: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
}
