import type { Step } from '../sim/trace.js';

/** A step that reports a failure: a failure step, or a request refused, timed out or answered with an error. */
export function failed(step: Step): boolean {
  return step.kind === 'failure' || (step.kind === 'request' && (step.status === 0 || (step.status ?? 0) >= 400));
}

/**
 * Whether a step folds into a heartbeat run: a routine repeat that worked. A failing repeat
 * (a Lease renewal refused, a 401, a timeout) is news and always gets its own row.
 */
export function isHeartbeat(step: Step): boolean {
  return step.heartbeat === true && !failed(step);
}
