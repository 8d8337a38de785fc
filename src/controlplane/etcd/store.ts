/**
 * An etcd-like key-value store: one global revision counter, per-key create/mod revision and
 * version, compare-and-swap on mod revision, prefix watches that replay history from a revision,
 * and compaction. kube-apiserver is its only client, as in a real cluster.
 *
 * Values are stored by reference and never mutated (callers hand in fresh objects), so a
 * revision's value stays valid for as long as anything holds it.
 */
export interface KeyValue<V = unknown> {
  readonly key: string;
  readonly value: V;
  readonly createRevision: number;
  readonly modRevision: number;
  /** How many times the key has been written since it was created (1 after the create). */
  readonly version: number;
}

export interface StoreEvent<V = unknown> {
  readonly type: 'PUT' | 'DELETE';
  readonly key: string;
  /** The key after the event; for a DELETE the last value, with modRevision = the delete's revision. */
  readonly kv: KeyValue<V>;
  readonly prevKv?: KeyValue<V>;
  readonly revision: number;
}

export type TxnResult<V> =
  | { readonly ok: true; readonly kv: KeyValue<V>; readonly prevKv?: KeyValue<V> }
  | { readonly ok: false; readonly reason: 'exists' | 'not-found' | 'conflict' | 'unavailable'; readonly current?: KeyValue<V> };

export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface StoreWatch {
  cancel(): void;
}

interface Watcher<V> {
  readonly prefix: string;
  readonly onEvent: (event: StoreEvent<V>) => void;
  cancelled: boolean;
}

export class Store<V = unknown> {
  private readonly data = new Map<string, KeyValue<V>>();
  /**
   * The keys grouped by "directory" (everything up to the last `/`: `/registry/pods/default/`),
   * so a range over one resource or namespace visits its own keys only, as etcd's ordered key
   * index does, not every key in the store.
   */
  private readonly dirs = new Map<string, Map<string, KeyValue<V>>>();
  /** Every event since the compacted revision, in revision order. */
  private readonly history: StoreEvent<V>[] = [];
  private readonly watchers: Watcher<V>[] = [];
  private rev = 1;
  private compacted = 0;
  /** False while the store has lost quorum: reads that need quorum and every write fail. */
  available = true;

  /** The current revision: the mod revision of the newest write. */
  get revision(): number {
    return this.rev;
  }

  /** Events with revisions at or below this have been compacted away. */
  get compactedRevision(): number {
    return this.compacted;
  }

  get size(): number {
    return this.data.size;
  }

  get(key: string): KeyValue<V> | undefined {
    return this.data.get(key);
  }

  /** All keys under `prefix`, sorted as etcd returns them. */
  range(prefix: string): KeyValue<V>[] {
    const out: KeyValue<V>[] = [];
    for (const [dir, keys] of this.dirs) {
      if (dir.startsWith(prefix)) for (const kv of keys.values()) out.push(kv);
      else if (prefix.startsWith(dir)) for (const [key, kv] of keys) if (key.startsWith(prefix)) out.push(kv);
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out;
  }

  /** Creates `key`; fails with `exists` if it is already there. */
  create(key: string, value: V): TxnResult<V> {
    if (!this.available) return { ok: false, reason: 'unavailable' };
    const current = this.data.get(key);
    if (current) return { ok: false, reason: 'exists', current };
    return this.put(key, value, undefined);
  }

  /**
   * Replaces `key` if its mod revision is `expectedModRevision` (or unconditionally when that is
   * undefined): the transaction kube-apiserver's GuaranteedUpdate runs.
   */
  update(key: string, value: V, expectedModRevision?: number): TxnResult<V> {
    if (!this.available) return { ok: false, reason: 'unavailable' };
    const current = this.data.get(key);
    if (!current) return { ok: false, reason: 'not-found' };
    if (expectedModRevision !== undefined && current.modRevision !== expectedModRevision) {
      return { ok: false, reason: 'conflict', current };
    }
    return this.put(key, value, current);
  }

  delete(key: string, expectedModRevision?: number): TxnResult<V> {
    if (!this.available) return { ok: false, reason: 'unavailable' };
    const current = this.data.get(key);
    if (!current) return { ok: false, reason: 'not-found' };
    if (expectedModRevision !== undefined && current.modRevision !== expectedModRevision) {
      return { ok: false, reason: 'conflict', current };
    }
    this.rev++;
    this.data.delete(key);
    const dir = dirOf(key);
    const keys = this.dirs.get(dir);
    keys?.delete(key);
    if (keys?.size === 0) this.dirs.delete(dir);
    const kv: KeyValue<V> = { ...current, modRevision: this.rev };
    this.emit({ type: 'DELETE', key, kv, prevKv: current, revision: this.rev });
    return { ok: true, kv, prevKv: current };
  }

  /**
   * Watches every key under `prefix`, delivering each event with a revision above
   * `afterRevision` exactly once and in order: first the history, then live events.
   * Throws CompactedError when the history needed has been compacted.
   */
  watch(prefix: string, afterRevision: number, onEvent: (event: StoreEvent<V>) => void): StoreWatch {
    if (afterRevision < this.compacted) throw new CompactedError(afterRevision, this.compacted + 1);
    const watcher: Watcher<V> = { prefix, onEvent, cancelled: false };
    for (let i = this.firstIndexAfter(afterRevision); i < this.history.length; i++) {
      const event = this.history[i];
      if (event.key.startsWith(prefix)) onEvent(event);
    }
    this.watchers.push(watcher);
    return {
      cancel: () => {
        watcher.cancelled = true;
        const index = this.watchers.indexOf(watcher);
        if (index >= 0) this.watchers.splice(index, 1);
      },
    };
  }

  /** The history under `prefix` after `afterRevision`; throws CompactedError when compacted. */
  eventsAfter(prefix: string, afterRevision: number): StoreEvent<V>[] {
    if (afterRevision < this.compacted) throw new CompactedError(afterRevision, this.compacted + 1);
    const out: StoreEvent<V>[] = [];
    for (let i = this.firstIndexAfter(afterRevision); i < this.history.length; i++) {
      if (this.history[i].key.startsWith(prefix)) out.push(this.history[i]);
    }
    return out;
  }

  /** Forgets history at or below `revision`, as kube-apiserver's periodic compaction does. */
  compact(revision: number): void {
    const target = Math.min(revision, this.rev);
    if (target <= this.compacted) return;
    this.history.splice(0, this.firstIndexAfter(target));
    this.compacted = target;
  }

  private put(key: string, value: V, current: KeyValue<V> | undefined): TxnResult<V> {
    this.rev++;
    const kv: KeyValue<V> = {
      key,
      value,
      createRevision: current ? current.createRevision : this.rev,
      modRevision: this.rev,
      version: current ? current.version + 1 : 1,
    };
    this.data.set(key, kv);
    const dir = dirOf(key);
    let keys = this.dirs.get(dir);
    if (!keys) this.dirs.set(dir, (keys = new Map()));
    keys.set(key, kv);
    this.emit({ type: 'PUT', key, kv, prevKv: current, revision: this.rev });
    return { ok: true, kv, prevKv: current };
  }

  private emit(event: StoreEvent<V>): void {
    this.history.push(event);
    for (const watcher of this.watchers.slice()) {
      if (!watcher.cancelled && event.key.startsWith(watcher.prefix)) watcher.onEvent(event);
    }
  }

  /** Index of the first history event with a revision above `revision` (binary search). */
  private firstIndexAfter(revision: number): number {
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** `/registry/pods/default/web` → `/registry/pods/default/`. */
function dirOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}
