import { EventQueue, type ScheduledEvent } from './event-queue.js';
import { VirtualClock } from './clock.js';
import { Prng } from './prng.js';
import { Recorder, type Step } from './trace.js';

/**
 * An actor is one running thing that can be stopped: a kubelet process, a controller, a whole
 * machine. Everything it scheduled checks `alive` before it runs, so stopping an actor silences
 * its timers, its processes and its callbacks at once, the way killing a process would.
 */
export class Actor {
  alive = true;
  constructor(readonly name: string) {}
  stop(): void {
    this.alive = false;
  }
}

/** What a process waits for. `start` is called once; the process resumes when `resume` is. */
export interface Effect {
  readonly start: (resume: (value: unknown) => void) => void;
}

/**
 * A process is a generator that yields effects. It reads like the sequential Go code of the real
 * component (`res := client.Create(...)`, `time.Sleep(...)`) yet runs synchronously and
 * deterministically on the virtual clock.
 */
export type Process<R = void> = Generator<Effect, R, unknown>;

/** Where `scheduleBatched` keeps the entry that later callbacks may join. */
export interface Batch {
  open: BatchEntry | undefined;
}

interface BatchEntry {
  readonly atMs: number;
  running: boolean;
  readonly actors: Actor[];
  readonly callbacks: (() => void)[];
  event: ScheduledEvent;
}

export class Simulation {
  readonly clock = new VirtualClock();
  readonly queue = new EventQueue();
  readonly recorder: Recorder;
  readonly prng: Prng;

  constructor(readonly seed: number) {
    this.prng = new Prng(seed);
    this.recorder = new Recorder(() => this.clock.nowMs);
  }

  get nowMs(): number {
    return this.clock.nowMs;
  }

  /** Runs `fn` after `delayMs` of virtual time unless `actor` has been stopped by then. */
  schedule(actor: Actor, delayMs: number, fn: () => void): void {
    const atMs = this.clock.nowMs + Math.max(0, Math.floor(delayMs));
    this.queue.push(atMs, actor.name, () => {
      if (actor.alive) fn();
    });
  }

  /**
   * Runs `fn` after `delayMs` unless `actor` has been stopped, exactly as `schedule` would, but
   * joins `batch` when the event it holds was the last one scheduled and is due at the same
   * moment: the batch then runs its callbacks in the order they joined, which is the order
   * separate events would have run in (consecutive sequence numbers, same time). One watch event
   * delivered to thousands of watchers is then one queue entry instead of thousands.
   */
  scheduleBatched(batch: Batch, actor: Actor, delayMs: number, fn: () => void): void {
    const atMs = this.clock.nowMs + Math.max(0, Math.floor(delayMs));
    const open = batch.open;
    if (open && open.atMs === atMs && !open.running && this.queue.last === open.event) {
      open.actors.push(actor);
      open.callbacks.push(fn);
      return;
    }
    const entry: BatchEntry = { atMs, running: false, actors: [actor], callbacks: [fn], event: undefined! };
    entry.event = this.queue.push(atMs, actor.name, () => {
      entry.running = true;
      if (batch.open === entry) batch.open = undefined;
      const { actors, callbacks } = entry;
      for (let i = 0; i < callbacks.length; i++) if (actors[i].alive) callbacks[i]();
    });
    batch.open = entry;
  }

  /** Starts a process for `actor`; it stops advancing when the actor stops. */
  spawn<R>(actor: Actor, process: Process<R>, onDone?: (result: R) => void): void {
    const advance = (input: unknown): void => {
      if (!actor.alive) return;
      const next = process.next(input);
      if (next.done) {
        onDone?.(next.value);
        return;
      }
      let resumed = false;
      next.value.start((value) => {
        if (resumed) return;
        resumed = true;
        advance(value);
      });
    };
    // Start on the queue, not inline, so spawning from inside another process is never re-entrant.
    this.schedule(actor, 0, () => advance(undefined));
  }

  /** Runs the next due event. Returns false when nothing is left to run. */
  runNext(): boolean {
    const event = this.queue.pop();
    if (!event) return false;
    this.clock.nowMs = event.atMs;
    event.run();
    return true;
  }

  /** Runs every event due at or before `untilMs`, then sets the clock to `untilMs`. */
  runUntil(untilMs: number): void {
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.atMs > untilMs) break;
      this.runNext();
    }
    if (this.clock.nowMs < untilMs) this.clock.nowMs = untilMs;
  }

  /**
   * Runs at most `maxEvents` events due at or before `untilMs`, so a caller can run a long
   * scenario in slices and do other work (write output, notice Ctrl-C) between them. Returns
   * true when the run has reached `untilMs` (the clock is then set to it), false when more is due.
   */
  runSlice(untilMs: number, maxEvents: number): boolean {
    for (let n = 0; n < maxEvents; n++) {
      const next = this.queue.peek();
      if (!next || next.atMs > untilMs) {
        if (this.clock.nowMs < untilMs) this.clock.nowMs = untilMs;
        return true;
      }
      this.runNext();
    }
    return false;
  }

  /**
   * Runs events until at least one new step is recorded, or time passes `untilMs`, or nothing is
   * left. Returns the new steps. This is how a UI asks the core for "the next step".
   */
  advance(untilMs: number): readonly Step[] {
    const before = this.recorder.length;
    while (this.recorder.length === before) {
      const next = this.queue.peek();
      if (!next || next.atMs > untilMs) break;
      this.runNext();
    }
    return this.recorder.steps.slice(before, this.recorder.length);
  }
}

/** Effect: wait `ms` of virtual time. */
export function* sleep(sim: Simulation, actor: Actor, ms: number): Process<void> {
  yield { start: (resume) => sim.schedule(actor, ms, () => resume(undefined)) };
}
