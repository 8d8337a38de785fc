import { performance } from 'node:perf_hooks';
import type { StepSource } from '../view/step-source.js';

/** Steps asked of the simulation at a time between two looks at the clock. */
const CHUNK = 8;

/**
 * A view of `source` whose `ensure` simulates only until `deadline` (performance.now() ms), so
 * a key that needs steps far ahead (`G` in a 24-hour scenario) cannot hold the event loop: once
 * over time, `ensure` returns early and `exhausted` says so, and whatever was worked out from the
 * incomplete list is thrown away and tried again on the next turn of the event loop. Each call
 * simulates at least one chunk, so every attempt gets further. The steps themselves are those of
 * `source`: what is recorded does not depend on how the work is cut up.
 */
export interface BoundedSource extends StepSource {
  /** True when some `ensure` stopped at the deadline before it had what was asked. */
  readonly exhausted: boolean;
}

export function boundedSource(source: StepSource, deadline: number): BoundedSource {
  let exhausted = false;
  let worked = false;
  return {
    get scenario() {
      return source.scenario;
    },
    get steps() {
      return source.steps;
    },
    get finished() {
      return source.finished;
    },
    get nowMs() {
      return source.nowMs;
    },
    get exhausted() {
      return exhausted;
    },
    actionStep: source.actionStep ? (index) => source.actionStep!(index) : undefined,
    ensure(count) {
      while (!exhausted && source.steps.length < count && !source.finished) {
        if (worked && performance.now() >= deadline) {
          exhausted = true;
          return;
        }
        source.ensure(Math.min(count, source.steps.length + CHUNK));
        worked = true;
      }
    },
  };
}
