import type { Actor, Effect, Process, Simulation } from '../../sim/simulation.js';

/**
 * client-go's workqueue (util/workqueue/queue.go): a de-duplicating FIFO of keys. A key added
 * while it is being processed is queued again once, so no change is ever lost and no key is
 * processed by two workers at once.
 */
export class WorkQueue {
  /** The FIFO: keys from `head` on are waiting. Taking a key moves `head` instead of shifting the array. */
  private queue: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private waiter: ((key: string) => void) | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly actor: Actor,
  ) {}

  add(key: string): void {
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.wake();
  }

  /** Adds `key` after `delayMs` (AddAfter), for periodic resyncs and retries. */
  addAfter(key: string, delayMs: number): void {
    this.sim.schedule(this.actor, delayMs, () => this.add(key));
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  /** Effect: the next key to process. */
  *get(): Process<string> {
    const key = (yield {
      start: (resume) => {
        const next = this.take();
        if (next !== undefined) resume(next);
        else this.waiter = (k) => resume(k);
      },
    } satisfies Effect) as string;
    return key;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.wake();
    }
  }

  private take(): string | undefined {
    if (this.head === this.queue.length) return undefined;
    const key = this.queue[this.head++];
    // Drop the taken prefix once it is most of the array, so memory stays proportional to what waits.
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    const key = this.take();
    if (key === undefined) return;
    this.waiter = undefined;
    // Resume on the queue so adding a key from a handler never runs the worker re-entrantly.
    this.sim.schedule(this.actor, 0, () => waiter(key));
  }
}

/** Runs `sync(key)` for every key the queue hands out, forever (a controller's worker). */
export function* runWorker(queue: WorkQueue, sync: (key: string) => Process<void>): Process<void> {
  for (;;) {
    const key = yield* queue.get();
    try {
      yield* sync(key);
    } finally {
      queue.done(key);
    }
  }
}
