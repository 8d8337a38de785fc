import type { KubeList, KubeObject, Status } from '../../api/meta.js';
import type { Stage } from '../../sim/trace.js';
import { ratio } from '../../sim/prng.js';
import type { Prng } from '../../sim/prng.js';
import { sleep, type Simulation } from '../../sim/simulation.js';
import type { RestClient } from './rest-client.js';
import type { OpenWatch } from './transport.js';
import { Indexer, type IndexFunc } from './indexer.js';

/**
 * client-go's reflector + informer (tools/cache): LIST, then WATCH from the list's
 * resourceVersion, keeping a local cache and calling handlers on each change. When the watch
 * ends it re-watches from the last seen revision; when that revision is too old (410) or the
 * connection failed, it lists again, backing off as the reflector does.
 */
export interface InformerHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
  /** Called once the first LIST has filled the cache. */
  onSynced?(): void;
}

export interface InformerOptions {
  /** The collection path: `/api/v1/pods` or `/api/v1/namespaces/kube-node-lease/...`. */
  readonly path: string;
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
  readonly why: string;
  readonly stage?: Stage;
  /** Mark the watch events as heartbeats (lease renewals). */
  readonly heartbeat?: boolean;
}

export function objectKey(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name ?? '';
}

const INITIAL_BACKOFF_MS = 800;
const MAX_BACKOFF_MS = 30_000;

export class Informer<T extends KubeObject = KubeObject> {
  /** The local cache (client-go's Indexer): objects by namespace/name, plus the indexes controllers add. */
  readonly cache = new Indexer<T>();
  synced = false;
  private lastRevision = '0';
  private watch: OpenWatch | undefined;
  private backoffMs = INITIAL_BACKOFF_MS;
  private watchCount = 0;
  private expired = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: RestClient,
    private readonly prng: Prng,
    private readonly options: InformerOptions,
    private readonly handlers: InformerHandlers<T>,
  ) {}

  start(): void {
    this.sim.spawn(this.client.actor, this.listAndWatch());
  }

  stop(): void {
    this.watch?.cancel();
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  /** AddIndexers: keep objects findable by `fn`'s values (see Indexer). */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndexer(name, fn);
  }

  /** ByIndex: the cached objects with index value `value`, in cache order. */
  byIndex(name: string, value: string): T[] {
    return this.cache.byIndex(name, value);
  }

  /** The cached objects with any of `values`, in cache order. */
  byIndexes(name: string, values: readonly string[]): T[] {
    return this.cache.byIndexes(name, values);
  }

  /** The cache order of `key` (see Indexer.orderOf). */
  orderOf(key: string): number | undefined {
    return this.cache.orderOf(key);
  }

  private query(extra: string): string {
    const parts: string[] = [];
    if (this.options.fieldSelector) parts.push(`fieldSelector=${encodeURIComponent(this.options.fieldSelector)}`);
    if (this.options.labelSelector) parts.push(`labelSelector=${encodeURIComponent(this.options.labelSelector)}`);
    if (extra) parts.push(extra);
    return parts.length ? `${this.options.path}?${parts.join('&')}` : this.options.path;
  }

  private *listAndWatch(): Generator<import('../../sim/simulation.js').Effect, void, unknown> {
    for (;;) {
      const res = yield* this.client.get(this.query(''), {
        why: this.synced
          ? `${this.client.name}'s watch cannot resume from resourceVersion ${this.lastRevision} (410 Expired), so it lists ${this.options.path} again to rebuild its cache.`
          : this.options.why,
        stage: this.options.stage,
      });
      if (res.status !== 200) {
        yield* sleep(this.sim, this.client.actor, this.nextBackoff());
        continue;
      }
      this.backoffMs = INITIAL_BACKOFF_MS;
      this.replace(res.body as KubeList<T>);
      // Watch until the server says the revision is gone; other failures re-watch with backoff.
      for (;;) {
        const reason = (yield { start: (resume) => this.openWatch(resume) }) as string;
        if (reason === 'too old resource version') break;
        yield* sleep(this.sim, this.client.actor, this.nextBackoff());
      }
    }
  }

  /**
   * One watch from the last revision seen. Resolves with why it ended; a server-side timeout
   * (timeoutSeconds) ends it quietly and the reflector simply watches again.
   */
  private openWatch(done: (reason: string) => void): void {
    const timeoutMs = this.prng.intInclusive(300_000, 600_000);
    let opened = false;
    this.watch = this.client.watch(
      this.query(`watch=true&allowWatchBookmarks=true&resourceVersion=${this.lastRevision}&timeoutSeconds=${Math.floor(timeoutMs / 1000)}`),
      {
        why: opened || this.watchCount === 0
          ? `${this.client.name} watches ${this.options.path} from resourceVersion ${this.lastRevision}, so every later change reaches it as an event.`
          : `${this.client.name} opens its watch again from resourceVersion ${this.lastRevision}, the last change it saw, so it misses nothing.`,
        stage: this.options.stage,
        heartbeat: this.synced && this.watchCount > 0,
      },
      {
        onOpen: (res) => {
          if (res.status !== 200) done(res.status === 0 ? 'connection failed' : `status ${res.status}`);
          else {
            opened = true;
            this.backoffMs = INITIAL_BACKOFF_MS;
          }
        },
        onEvent: (type, object) => {
          if (type === 'ERROR' && (object as Status).code === 410) this.expired = true;
          this.apply(type, object);
        },
        onClose: (reason) => {
          if (this.expired) {
            this.expired = false;
            done('too old resource version');
          } else if (reason === 'watch timeout') this.openWatch(done);
          else done(reason);
        },
      },
      timeoutMs,
    );
    this.watchCount++;
  }

  private nextBackoff(): number {
    const delay = this.prng.jitterMs(this.backoffMs, ratio(1, 1));
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    return Math.min(delay, MAX_BACKOFF_MS);
  }

  private replace(list: KubeList<T>): void {
    this.lastRevision = list.metadata.resourceVersion;
    const seen = new Set<string>();
    for (const item of list.items) {
      const key = objectKey(item);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, item);
      if (old) {
        if (old.metadata.resourceVersion !== item.metadata.resourceVersion) this.handlers.onUpdate?.(old, item);
      } else this.handlers.onAdd?.(item);
    }
    for (const [key, old] of [...this.cache]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.handlers.onDelete?.(old);
      }
    }
    if (!this.synced) {
      this.synced = true;
      this.handlers.onSynced?.();
    }
  }

  private apply(type: string, object: KubeObject | Status): void {
    if (type === 'ERROR' || type === 'BOOKMARK') {
      if (type === 'BOOKMARK') this.lastRevision = (object as KubeObject).metadata.resourceVersion ?? this.lastRevision;
      return;
    }
    const obj = object as T;
    this.lastRevision = obj.metadata.resourceVersion ?? this.lastRevision;
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (type === 'DELETED') {
      this.cache.delete(key);
      this.handlers.onDelete?.(old ?? obj);
      return;
    }
    this.cache.set(key, obj);
    if (old) this.handlers.onUpdate?.(old, obj);
    else this.handlers.onAdd?.(obj);
  }
}
