import type { Scenario } from '../scenario/index.js';
import type { Step } from '../sim/trace.js';

/**
 * What the UI reads: the recorded steps, and a way to ask the core for more. `Session` from
 * src/cluster satisfies it as is; tests can hand in a fixed list. The UI never changes the
 * simulation, it only asks for steps that would have been recorded anyway.
 */
export interface StepSource {
  /** Steps recorded so far, 1-based by `step.step` (index i holds step i + 1). */
  readonly steps: readonly Step[];
  /** True when nothing more will be recorded. */
  readonly finished: boolean;
  readonly scenario: Scenario;
  /** Runs the simulation until at least `count` steps exist or the scenario is over. */
  ensure(count: number): void;
  /** The step of timeline action `index` (0-based) once it has fired: where `after: { action }` checkpoints go. */
  actionStep?(index: number): number | undefined;
  /** Virtual time the simulation has reached (ahead of the step on screen), when there is a simulation. */
  readonly nowMs?: number;
}

/** The step with 1-based number `n`, simulating up to it if needed; undefined past the end. */
export function stepAt(source: StepSource, n: number): Step | undefined {
  if (n < 1) return undefined;
  if (source.steps.length < n) source.ensure(n);
  return source.steps[n - 1];
}

/**
 * A StepSource that builds the real one (a Session: keys, certificates, the whole cluster) only
 * when a step is first asked for, so a screen that needs only the scenario (the intro) is drawn
 * before that work starts.
 */
export function deferredSource(scenario: Scenario, create: () => StepSource): StepSource {
  let source: StepSource | undefined;
  const get = () => (source ??= create());
  return {
    scenario,
    get steps() {
      return get().steps;
    },
    get finished() {
      return get().finished;
    },
    // Read without building the session: before it exists, the simulation has not started.
    get nowMs() {
      return source?.nowMs;
    },
    ensure: (count) => get().ensure(count),
    actionStep: (index) => get().actionStep?.(index),
  };
}
