import type { Step } from '../sim/trace.js';
import type { Scenario } from '../scenario/index.js';
import { Cluster } from './cluster.js';

/**
 * A scenario being played: the cluster, and the steps recorded so far. A UI reads `steps` and
 * calls `ensure(n)` when it needs step n; the core runs just far enough to record it. Earlier
 * steps never change, so going back is only a matter of reading an earlier index.
 */
export interface SessionOptions {
  readonly seed?: number;
  readonly untilMs?: number;
}

export class Session {
  readonly cluster: Cluster;
  readonly scenario: Scenario;
  readonly untilMs: number;

  constructor(base: Scenario, options: SessionOptions = {}) {
    this.scenario = options.seed === undefined ? base : { ...base, spec: { ...base.spec, seed: options.seed } };
    this.untilMs = options.untilMs ?? this.scenario.spec.durationMs;
    this.cluster = new Cluster(this.scenario).start();
  }

  get steps(): readonly Step[] {
    return this.cluster.sim.recorder.steps;
  }

  /** Virtual time the simulation has reached (not the time of the step on screen). */
  get nowMs(): number {
    return this.cluster.sim.nowMs;
  }

  /** True when nothing more will be recorded before `untilMs`. */
  get finished(): boolean {
    const next = this.cluster.sim.queue.peek();
    return !next || next.atMs > this.untilMs;
  }

  /** Runs the simulation until at least `count` steps exist or the scenario is over. */
  ensure(count: number): void {
    while (this.steps.length < count && !this.finished) this.cluster.sim.advance(this.untilMs);
  }

  /** The step of timeline action `index` (0-based), once it has fired. */
  actionStep(index: number): number | undefined {
    return this.cluster.timelineSteps.get(index);
  }

  /** Runs to the end (for `G`, or a headless run). */
  runToEnd(): void {
    this.cluster.sim.runUntil(this.untilMs);
  }
}
