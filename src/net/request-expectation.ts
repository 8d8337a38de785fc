import type { Cluster } from '../cluster/cluster.js';
import type { Expectation } from '../scenario/index.js';
import { formatVirtualTime } from '../sim/clock.js';
import { walkRequest, type RequestOutcome } from './packet-walk.js';
import { requestOutcomes } from './requests.js';

/**
 * `request:` / `result:` expectations. `at: T` looks at the request the timeline made at T;
 * `by: T` passes if any request made up to T had the expected result. When the timeline made no
 * such request and the clock is still at or before T, a quiet probe (recording nothing, drawing
 * from its own stream) is walked now.
 */
type RequestExpectation = Extract<Expectation, { kind: 'request' }>;

/** The verdict on one `request:` expectation. */
export interface RequestExpectationResult {
  readonly pass: boolean;
  /** What was seen, for the report: "success: connected to default/web-... on worker-2". */
  readonly detail: string;
  readonly outcome?: RequestOutcome;
}

const describe = (o: RequestOutcome): string => `${o.result} at ${formatVirtualTime(o.atMs)}: ${o.reason}`;

/** Decides a `request:` / `result:` expectation for `cluster` (the `test` command calls this). */
export function evaluateRequestExpectation(cluster: Cluster, expectation: RequestExpectation): RequestExpectationResult {
  const { from, to } = expectation.request;
  const made = requestOutcomes(cluster).filter((o) => o.from === from && o.to === to && o.atMs <= expectation.timeMs);
  const relevant = expectation.when === 'at' ? made.filter((o) => o.atMs === expectation.timeMs) : made;
  const hit = relevant.find((o) => o.result === expectation.result);
  if (hit) return { pass: true, detail: describe(hit), outcome: hit };
  const last = relevant.at(-1);
  if (last) return { pass: false, detail: describe(last), outcome: last };
  if (cluster.sim.nowMs <= expectation.timeMs) {
    const prng = cluster.sim.prng.fork(`request-probe:${from}->${to}@${cluster.sim.nowMs}`);
    const probe = walkRequest(cluster, from, to, { prng, record: false });
    return { pass: probe.result === expectation.result, detail: `${describe(probe)} (probe)`, outcome: probe };
  }
  return { pass: false, detail: `no request from ${from} to ${to} was made ${expectation.when} ${formatVirtualTime(expectation.timeMs)}` };
}
