/** `kube-learn test` against one scenario: a headless run with its expect: entries judged as it goes. */
import { Cluster } from '../cluster/cluster.js';
import { ExpectationTracker, type ExpectationResult } from '../cluster/expectations.js';
import { evaluateRequestExpectation } from '../net/request-expectation.js';
import type { Expectation, Scenario } from '../scenario/index.js';
import { runInSlices } from './slices.js';

type RequestExpectation = Extract<Expectation, { kind: 'request' }>;
type RequestCheck = (expectation: RequestExpectation) => { pass: boolean; seen: string };
/** Builds the request check for one cluster: how `request:` expectations are decided. */
export type RequestCheckFactory = (cluster: Cluster) => RequestCheck;

/** What one headless run found: a result per expectation, and the error that stopped the run, if any. */
export interface ScenarioTestRun {
  readonly results: readonly ExpectationResult[];
  readonly error?: string;
  /** Steps the run recorded. */
  readonly steps?: number;
  /** Ctrl-C stopped the run before its end: its expectations were not decided. */
  readonly interrupted?: boolean;
  readonly nowMs?: number;
}

/**
 * Runs a scenario headless to its end and evaluates its `expect` entries as the run goes. A
 * run that throws is reported, not rethrown: the other scenarios still get tested. The
 * simulation runs in slices, so an abort of `signal` (Ctrl-C) stops it with the results so far.
 */
export async function testScenario(scenario: Scenario, requestCheck?: RequestCheckFactory, signal?: AbortSignal): Promise<ScenarioTestRun> {
  const cluster = new Cluster(scenario);
  // Expectations watch the cluster as it runs; nothing reads the steps afterwards.
  cluster.sim.recorder.release();
  let tracker: ExpectationTracker | undefined;
  try {
    // After start(), which only schedules: at the same virtual time, the timeline's events (a
    // request at 2m) come before the check of an expectation at that time.
    cluster.start();
    tracker = new ExpectationTracker(cluster, scenario.spec.expect, requestCheck?.(cluster));
    const done = await runInSlices(cluster.sim, scenario.spec.durationMs, { signal });
    return { results: done ? tracker.results() : [], steps: cluster.sim.recorder.length, interrupted: !done, nowMs: cluster.sim.nowMs };
  } catch (error) {
    return { results: tracker?.results() ?? [], error: error instanceof Error ? error.message : String(error) };
  }
}

/** Request expectations are decided by the networking stage's packet walk (src/net/request-expectation.ts). */
export const packetWalkCheck: RequestCheckFactory = (cluster) => (expectation) => {
  const outcome = evaluateRequestExpectation(cluster, expectation);
  return { pass: outcome.pass, seen: outcome.detail };
};
