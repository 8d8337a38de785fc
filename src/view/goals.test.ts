import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { Cluster } from '../cluster/cluster.js';
import { packetWalkCheck } from '../cli/scenario-test.js';
import { ExpectationTracker } from '../cluster/expectations.js';
import type { Expectation } from '../scenario/index.js';
import { builtin, SCENARIOS } from '../../test/helpers.js';
import { fixtureSteps } from '../../test/tui/fixtures.js';
import { GoalIndex, goalCounts } from './goals.js';

const steps = fixtureSteps();
const goals = (expect: Expectation[], finished = true) => new GoalIndex(() => steps, () => finished, expect);
const wait = (when: 'by' | 'at', timeMs: number, target: string, forWhat: string): Expectation => ({ kind: 'wait', when, timeMs, wait: target, for: forWhat });

describe('goals judged from the recorded steps', () => {
  it('a by: goal is met from the step it first held at, and stays met', () => {
    // worker-1 turns Ready at step 6 (t=1.04s).
    const index = goals([wait('by', 30_000, 'node/worker-1', 'condition=Ready')]);
    expect(index.at(5)[0]).toMatchObject({ status: 'waiting', detail: 'until 30s', text: 'by 30s: node/worker-1 condition=Ready' });
    expect(index.at(6)[0]).toMatchObject({ status: 'met', detail: 'held at 00:01.040' });
    expect(index.at(19)[0].status).toBe('met');
  });

  it('a by: goal that never held is missed once a step after its deadline is on screen', () => {
    // The pod turns Running at step 15 (t=42s), after the 41s deadline; step 10 is at 41.04s.
    const index = goals([wait('by', 41_000, 'pod/web-1', 'jsonpath={.status.phase}=Running')]);
    expect(index.at(9)[0]).toMatchObject({ status: 'waiting' });
    expect(index.at(10)[0]).toMatchObject({ status: 'missed', detail: 'last seen not found' });
    expect(index.at(19)[0]).toMatchObject({ status: 'missed', detail: 'last seen not found' });
    const late = goals([wait('by', 41_500, 'pod/web-1', 'jsonpath={.status.phase}=Running')]);
    expect(late.at(19)[0]).toMatchObject({ status: 'missed', detail: 'last seen Pending' });
  });

  it('an at: goal is judged on the state at its moment, once the step on screen reaches it', () => {
    // At 41.2s the pod exists but is not bound; at 42s it is Running.
    const index = goals([wait('at', 41_250, 'pod/web-1', 'jsonpath={.spec.nodeName}=worker-1'), wait('at', 45_000, 'pod/web-1', 'jsonpath={.status.phase}=Running')]);
    expect(index.at(11).map((g) => g.status)).toEqual(['waiting', 'waiting']);
    expect(index.at(12)[0]).toMatchObject({ status: 'missed', detail: 'last seen <none>' });
    expect(index.at(13)[0]).toMatchObject({ status: 'missed' });
    expect(index.at(14)[1]).toMatchObject({ status: 'waiting', detail: 'checked at 45s' });
    expect(index.at(15)[1]).toMatchObject({ status: 'met', detail: 'held at 00:45.000' });
    // Stepping back shows it as it was.
    expect(index.at(3).map((g) => g.status)).toEqual(['waiting', 'waiting']);
    expect(goalCounts(index.at(15))).toEqual({ met: 1, missed: 1, total: 2 });
  });

  it('an at: goal after the last step is judged on the final state once the run is over', () => {
    const expectations = [wait('at', 100_000, 'node/worker-1', 'condition=Ready')];
    expect(goals(expectations, false).at(19)[0].status).toBe('waiting');
    expect(goals(expectations, true).at(19)[0]).toMatchObject({ status: 'met', detail: 'held at 01:40.000' });
  });

  it('a request goal reads the walk’s result; without one it says so', () => {
    const request: Expectation = { kind: 'request', when: 'at', timeMs: 30_000, request: { from: 'pod/client', to: 'http://web' }, result: 'success' };
    expect(goals([request]).at(19)[0]).toMatchObject({ status: 'missed', detail: 'last seen no request made at 30s', text: 'at 30s: request pod/client → http://web is success' });
  });
});

describe('the goals at the last step agree with kube-learn test, for every built-in scenario', () => {
  const names = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
  it.each(names)('%s', (name) => {
    const scenario = builtin(name);
    // As `kube-learn test` runs it: the tracker follows the live store; the goals read only the steps.
    const cluster = new Cluster(scenario).start();
    const tracker = new ExpectationTracker(cluster, scenario.spec.expect, packetWalkCheck(cluster));
    cluster.runToEnd();
    const run = { results: tracker.results() };
    const recorded = cluster.sim.recorder.steps;
    const index = new GoalIndex(() => recorded, () => true, scenario.spec.expect);
    const shown = index.at(recorded.length);
    expect(shown.map((g) => g.status)).toEqual(run.results.map((r) => (r.pass ? 'met' : 'missed')));
    expect(shown.map((g) => (g.status === 'met' ? g.detail : ''))).toEqual(
      run.results.map((r) => (r.pass ? `held at ${formatMs(r.heldAtMs ?? 0)}` : '')),
    );
  });
});

function formatMs(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}
