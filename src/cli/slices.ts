import { performance } from 'node:perf_hooks';
import type { Simulation } from '../sim/simulation.js';

/**
 * Runs a simulation to `untilMs` in short slices and gives the event loop a turn between them,
 * so a long headless run writes its output as it goes (waiting while a pipe is full) and stops
 * within a slice when the user presses Ctrl-C. The core stays synchronous and never reads the
 * wall clock: only the size of a slice, in events, is tuned here from how long the last took.
 */
export interface SliceOptions {
  /** Aborted on SIGINT/SIGTERM: the run stops after the slice it is in. */
  readonly signal?: AbortSignal;
  /** Called after each slice, before the next; a returned promise is awaited (output backpressure). */
  readonly afterSlice?: () => void | Promise<void>;
}

/** Wall time one slice aims for: short enough that Ctrl-C is answered well within 200 ms. */
export const SLICE_TARGET_MS = 40;
const MIN_EVENTS = 16;
const MAX_EVENTS = 1 << 16;

/** Returns true when the run reached `untilMs`, false when it was interrupted first. */
export async function runInSlices(sim: Simulation, untilMs: number, options: SliceOptions = {}): Promise<boolean> {
  let events = 256;
  for (;;) {
    if (options.signal?.aborted) return false;
    const started = performance.now();
    const done = sim.runSlice(untilMs, events);
    const elapsed = performance.now() - started;
    if (elapsed < SLICE_TARGET_MS / 2) events = Math.min(MAX_EVENTS, events * 2);
    else if (elapsed > SLICE_TARGET_MS) events = Math.max(MIN_EVENTS, Math.floor(events / 2));
    await options.afterSlice?.();
    if (done) return true;
    // setImmediate runs after the poll phase, where signal handlers and 'drain' are delivered.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A writable that can say when its buffer has drained (process.stdout, a file stream). */
interface Drainable {
  write(text: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  off?(event: 'drain', listener: () => void): unknown;
}

/**
 * Collects text and writes it once per slice; when the stream's buffer is full (a slow pipe),
 * waits for it to drain before the simulation runs on, so output never piles up in memory.
 * An interrupt ends the wait: what was written stays written.
 */
export class ChunkedWriter {
  private pending: string[] = [];
  private size = 0;
  /** A write returned false: the stream's buffer is full until it emits 'drain'. */
  private blocked = false;

  constructor(
    private readonly out: Drainable,
    private readonly signal?: AbortSignal,
  ) {}

  write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    // A slice that prints a great deal is flushed as it goes, not held to the end of the slice.
    if (this.size > 1 << 20) this.writeOut();
  }

  /** Writes what was collected; resolves once the stream can take more. */
  async flush(): Promise<void> {
    this.writeOut();
    if (!this.blocked || typeof this.out.once !== 'function' || this.signal?.aborted) return;
    this.blocked = false;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.out.off?.('drain', done);
        this.signal?.removeEventListener('abort', done);
        resolve();
      };
      this.out.once!('drain', done);
      this.signal?.addEventListener('abort', done, { once: true });
    });
  }

  private writeOut(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!this.out.write(text)) this.blocked = true;
  }
}

let cooperating = 0;

/**
 * Marks a command that answers `io.signal` itself (stops between slices, writes what it has,
 * returns 130) while `body` runs. Outside such a command a signal ends the process at once.
 */
export async function interruptible<T>(body: () => Promise<T>): Promise<T> {
  cooperating++;
  try {
    return await body();
  } finally {
    cooperating--;
  }
}

/** True while a command that stops on its own after a signal is running. */
export function stopsOnSignal(): boolean {
  return cooperating > 0;
}
