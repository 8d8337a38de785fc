import type { Actor, Simulation } from '../../sim/simulation.js';

/**
 * client-go's BoundedFrequencyRunner (pkg/util/async) as kube-proxy uses it: `run()` asks for a
 * sync; syncs happen at most once per `minIntervalMs` (with a burst of `burst` back to back, a
 * token bucket), and at least once per `maxIntervalMs` even if nobody asks, so rules drift back to
 * what they should be. Requests made while a sync is pending fold into it.
 */
export class BoundedFrequencyRunner {
  /** The bucket, in ms of credit: one sync costs minIntervalMs, and it holds at most burst of them. */
  private creditMs: number;
  private lastRefillMs: number;
  private pendingAtMs: number | undefined;
  private periodicToken = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly actor: Actor,
    private readonly fn: (periodic: boolean) => void,
    readonly minIntervalMs: number,
    readonly maxIntervalMs: number,
    readonly burst = 2,
  ) {
    this.creditMs = burst * minIntervalMs;
    this.lastRefillMs = sim.nowMs;
  }

  /** Asks for a sync as soon as the rate limit allows. */
  run(): void {
    this.refill();
    if (this.pendingAtMs !== undefined) return;
    const waitMs = Math.max(0, this.minIntervalMs - this.creditMs);
    this.pendingAtMs = this.sim.nowMs + waitMs;
    this.sim.schedule(this.actor, waitMs, () => this.fire(false));
  }

  private refill(): void {
    const now = this.sim.nowMs;
    this.creditMs = Math.min(this.burst * this.minIntervalMs, this.creditMs + (now - this.lastRefillMs));
    this.lastRefillMs = now;
  }

  private fire(periodic: boolean): void {
    this.pendingAtMs = undefined;
    this.refill();
    this.creditMs = Math.max(0, this.creditMs - this.minIntervalMs);
    this.fn(periodic);
    // Restart the max-interval timer: the next periodic sync is maxIntervalMs after this one.
    const token = ++this.periodicToken;
    this.sim.schedule(this.actor, this.maxIntervalMs, () => {
      if (token === this.periodicToken && this.pendingAtMs === undefined) this.fire(true);
    });
  }
}
