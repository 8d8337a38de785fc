import type { Actor, Process, Simulation } from '../../../sim/simulation.js';

/**
 * TimedWorkerQueue (pkg/controller/tainteviction/timed_workers.go): one timer per pod that runs
 * the deletion when it fires. Work due now runs at once and leaves no cancellable worker. After
 * a deletion succeeds its key stays, empty, so the same pod is not scheduled again; a failed one
 * is forgotten so a later update can retry.
 */
export interface TimedWorker {
  readonly createdAtMs: number;
  readonly fireAtMs: number;
  cancelled: boolean;
}

/** `delayed` is true when the work waited on a timer (a toleration ran out), false when it was due at once. */
export type WorkFunc = (key: string, fireAtMs: number, delayed: boolean) => Process<boolean>;

export class TimedWorkerQueue {
  /** `null`: done, or started at once (nothing left to cancel). */
  private readonly workers = new Map<string, TimedWorker | null>();

  constructor(
    private readonly sim: Simulation,
    private readonly actor: Actor,
    private readonly work: WorkFunc,
  ) {}

  addWork(key: string, createdAtMs: number, fireAtMs: number): void {
    if (this.workers.has(key)) return;
    const delayMs = fireAtMs - createdAtMs;
    if (delayMs <= 0) {
      this.workers.set(key, null);
      this.sim.spawn(this.actor, this.run(key, fireAtMs, null));
      return;
    }
    const worker: TimedWorker = { createdAtMs, fireAtMs, cancelled: false };
    this.workers.set(key, worker);
    this.sim.schedule(this.actor, delayMs, () => {
      if (!worker.cancelled) this.sim.spawn(this.actor, this.run(key, fireAtMs, worker));
    });
  }

  /** Cancels pending work; true only if a timer was actually stopped. */
  cancelWork(key: string): boolean {
    if (!this.workers.has(key)) return false;
    const worker = this.workers.get(key);
    this.workers.delete(key);
    if (!worker) return false;
    worker.cancelled = true;
    return true;
  }

  getWorker(key: string): TimedWorker | null | undefined {
    return this.workers.get(key);
  }

  private *run(key: string, fireAtMs: number, worker: TimedWorker | null): Process<void> {
    const ok = yield* this.work(key, fireAtMs, worker !== null);
    // Only the entry this run belongs to is settled; a newer one (re-added after a cancel) is left alone.
    if (this.workers.get(key) !== worker) return;
    if (ok) this.workers.set(key, null);
    else this.workers.delete(key);
  }
}
