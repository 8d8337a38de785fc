import type { KubeObject } from '../../api/meta.js';
import type { Prng } from '../../sim/prng.js';
import type { Simulation } from '../../sim/simulation.js';
import type { ControllerContext } from '../controller/context.js';
import { Informer, type InformerHandlers, type InformerOptions } from './informer.js';
import type { RestClient } from './rest-client.js';
import type { IndexFunc } from './indexer.js';

/**
 * client-go's SharedInformerFactory as kube-controller-manager uses it: one LIST+WATCH per
 * resource for all controllers, made with the manager's own identity
 * (system:kube-controller-manager); each controller adds its handlers and writes with its own
 * service account. A handler added after the cache filled gets the existing objects as adds.
 */
export interface InformerLike<T extends KubeObject = KubeObject> {
  readonly cache: ReadonlyMap<string, T>;
  readonly synced: boolean;
  list(): T[];
  start(): void;
  /** AddIndexers; shared informers keep one index per name for all their controllers. */
  addIndexer(name: string, fn: IndexFunc<T>): void;
  /** ByIndex: cached objects with index value `value`, in cache order. */
  byIndex(name: string, value: string): T[];
  /** Cached objects with any of `values`, in cache order. */
  byIndexes(name: string, values: readonly string[]): T[];
  /** The position of `key` in cache order (lower first), once an index exists. */
  orderOf(key: string): number | undefined;
}

class SharedInformer<T extends KubeObject> implements InformerLike<T> {
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly inner: Informer<T>;
  private started = false;

  constructor(sim: Simulation, client: RestClient, prng: Prng, options: InformerOptions) {
    this.inner = new Informer<T>(sim, client, prng, options, {
      onAdd: (obj) => this.handlers.forEach((h) => h.onAdd?.(obj)),
      onUpdate: (a, b) => this.handlers.forEach((h) => h.onUpdate?.(a, b)),
      onDelete: (obj) => this.handlers.forEach((h) => h.onDelete?.(obj)),
      onSynced: () => this.handlers.forEach((h) => h.onSynced?.()),
    });
  }

  get cache(): ReadonlyMap<string, T> {
    return this.inner.cache;
  }

  get synced(): boolean {
    return this.inner.synced;
  }

  list(): T[] {
    return this.inner.list();
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.inner.addIndexer(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.inner.byIndex(name, value);
  }

  byIndexes(name: string, values: readonly string[]): T[] {
    return this.inner.byIndexes(name, values);
  }

  orderOf(key: string): number | undefined {
    return this.inner.orderOf(key);
  }

  addHandlers(handlers: InformerHandlers<T>): void {
    this.handlers.push(handlers);
    if (this.inner.synced) {
      for (const obj of this.inner.list()) handlers.onAdd?.(obj);
      handlers.onSynced?.();
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.inner.start();
  }
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();

  constructor(
    private readonly sim: Simulation,
    private readonly client: RestClient,
    private readonly prng: Prng,
  ) {}

  informerFor<T extends KubeObject>(options: InformerOptions, handlers: InformerHandlers<T>): InformerLike<T> {
    const key = `${options.path}|${options.fieldSelector ?? ''}|${options.labelSelector ?? ''}`;
    let informer = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!informer) {
      informer = new SharedInformer<T>(this.sim, this.client, this.prng.fork(key), {
        ...options,
        why: `kube-controller-manager's shared informer lists and watches ${options.path} once for all its controllers; each controller reacts to the events it cares about.`,
      });
      this.informers.set(key, informer as unknown as SharedInformer<KubeObject>);
    }
    informer.addHandlers(handlers);
    return informer;
  }
}

/** An informer for a controller: from the manager's shared factory when there is one, else its own. */
export function sharedInformer<T extends KubeObject>(
  ctx: ControllerContext,
  label: string,
  options: InformerOptions,
  handlers: InformerHandlers<T>,
): InformerLike<T> {
  if (ctx.informers) return ctx.informers.informerFor<T>(options, handlers);
  return new Informer<T>(ctx.sim, ctx.client, ctx.prng.fork(label), options, handlers);
}
