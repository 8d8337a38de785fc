import type { Simulation } from '../sim/simulation.js';
import { systemClock, type WallTimer } from '../cli/wall-clock.js';

/**
 * Runs the simulation against the wall clock, in short slices on the Node event loop, so an
 * HTTPS server in the same process keeps answering: virtual time advances `speed` times as fast
 * as real time (1 = real time, so a watch on Leases sees a renewal every 10 s). A slice runs the
 * events that are due for at most `sliceMs` of wall time, then yields; when it falls behind it
 * catches up slice by slice instead of blocking.
 */
export interface PacerOptions {
  readonly speed: number;
  /** Virtual ms at which the clock stops (the server keeps serving); none by default. */
  readonly untilMs?: number;
  readonly sliceMs?: number;
  /** An event that threw: reported, and the simulation goes on with the next one. */
  readonly onError?: (error: unknown) => void;
  /** Wall clock, for tests. */
  readonly now?: () => number;
}

export class Pacer {
  private timer: WallTimer | undefined;
  private running = false;
  private anchorWallMs = 0;
  private anchorVirtualMs = 0;
  private readonly now: () => number;

  constructor(
    private readonly sim: Simulation,
    private readonly options: PacerOptions,
  ) {
    this.now = options.now ?? systemClock.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.anchorWallMs = this.now();
    this.anchorVirtualMs = this.sim.nowMs;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) systemClock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  get stopped(): boolean {
    return !this.running;
  }

  /** The virtual time the wall clock says the simulation should have reached. */
  targetMs(): number {
    const target = this.anchorVirtualMs + (this.now() - this.anchorWallMs) * this.options.speed;
    return Math.floor(this.options.untilMs === undefined ? target : Math.min(target, this.options.untilMs));
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = systemClock.setTimeout(() => this.slice(), delayMs);
  }

  /** Runs one slice; exposed so tests can drive it. */
  slice(): void {
    if (!this.running) return;
    const target = this.targetMs();
    const sliceEnd = this.now() + (this.options.sliceMs ?? 20);
    let behind = false;
    for (;;) {
      const next = this.sim.queue.peek();
      if (!next || next.atMs > target) break;
      if (this.now() >= sliceEnd) {
        behind = true;
        break;
      }
      try {
        this.sim.runNext();
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    if (!behind && this.sim.clock.nowMs < target) this.sim.clock.nowMs = target;
    if (behind) {
      this.schedule(0);
      return;
    }
    const next = this.sim.queue.peek();
    const untilNext = next ? (next.atMs - target) / this.options.speed : Infinity;
    // Wake for the next event, and at least every 50 ms so the clock requests see stays current.
    this.schedule(Math.max(1, Math.min(50, untilNext)));
  }
}
