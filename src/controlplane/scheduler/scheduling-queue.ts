import type { Actor, Process, Simulation } from '../../sim/simulation.js';
import { WorkQueue } from '../client/workqueue.js';

/**
 * kube-scheduler's PriorityQueue (pkg/scheduler/backend/queue), cut down: an active queue of
 * pods to try, an unschedulable set of pods that failed and wait for a cluster change, and
 * per-pod backoff (1s doubling to 10s) so a pod that keeps failing is not retried in a hot loop.
 * A pod left unschedulable for 5 minutes is retried anyway, as the real queue's flush does.
 */
export const POD_INITIAL_BACKOFF_MS = 1_000;
export const POD_MAX_BACKOFF_MS = 10_000;
export const POD_MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;

interface PodQueueInfo {
  attempts: number;
  lastAttemptMs: number;
  /** The move-request counter when the attempt started (see `moveRequestCycle`). */
  cycle: number;
}

export class SchedulingQueue {
  private readonly active: WorkQueue;
  private readonly info = new Map<string, PodQueueInfo>();
  private readonly unschedulable = new Set<string>();
  /** Bumped on every cluster event that moves pods; an attempt that overlapped one retries after backoff. */
  private moveRequestCycle = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly actor: Actor,
  ) {
    this.active = new WorkQueue(sim, actor);
  }

  /** A new or changed pending pod: try it now. */
  add(key: string): void {
    this.unschedulable.delete(key);
    this.active.add(key);
  }

  isUnschedulable(key: string): boolean {
    return this.unschedulable.has(key);
  }

  *pop(): Process<string> {
    const key = yield* this.active.get();
    const info = this.info.get(key) ?? { attempts: 0, lastAttemptMs: 0, cycle: 0 };
    info.attempts += 1;
    info.lastAttemptMs = this.sim.nowMs;
    info.cycle = this.moveRequestCycle;
    this.info.set(key, info);
    return key;
  }

  done(key: string): void {
    this.active.done(key);
  }

  attempts(key: string): number {
    return this.info.get(key)?.attempts ?? 0;
  }

  /** calculateBackoffDuration: 1s after the first failure, doubling, at most 10s. */
  backoffMs(key: string): number {
    let duration = POD_INITIAL_BACKOFF_MS;
    for (let i = 1; i < this.attempts(key); i++) {
      duration *= 2;
      if (duration > POD_MAX_BACKOFF_MS) return POD_MAX_BACKOFF_MS;
    }
    return duration;
  }

  /** The attempt found no node. If the cluster changed meanwhile, retry after backoff instead of parking. */
  addUnschedulable(key: string): void {
    const info = this.info.get(key);
    if (info && this.moveRequestCycle > info.cycle) {
      this.addBackoff(key);
      return;
    }
    this.unschedulable.add(key);
    const attempts = this.attempts(key);
    this.sim.schedule(this.actor, POD_MAX_IN_UNSCHEDULABLE_MS, () => {
      if (this.unschedulable.has(key) && this.attempts(key) === attempts) this.moveToActiveOrBackoff(key);
    });
  }

  /** An error (a failed Binding, no nodes at all): retry once the pod's backoff has run out. */
  addBackoff(key: string): void {
    this.unschedulable.delete(key);
    const info = this.info.get(key);
    const remainingMs = info ? info.lastAttemptMs + this.backoffMs(key) - this.sim.nowMs : 0;
    if (remainingMs > 0) this.active.addAfter(key, remainingMs);
    else this.active.add(key);
  }

  /** MoveAllToActiveOrBackoffQueue: a node appeared or changed, or a bound pod went away. */
  moveAllToActiveOrBackoff(): number {
    this.moveRequestCycle += 1;
    const keys = [...this.unschedulable];
    for (const key of keys) this.moveToActiveOrBackoff(key);
    return keys.length;
  }

  private moveToActiveOrBackoff(key: string): void {
    this.unschedulable.delete(key);
    this.addBackoff(key);
  }

  /** The pod was bound or deleted: drop everything the queue remembers about it. */
  forget(key: string): void {
    this.unschedulable.delete(key);
    this.info.delete(key);
  }
}
