import type { TimelineEvent } from '../scenario/index.js';
import { Actor } from '../sim/simulation.js';
import type { Cluster } from './cluster.js';
import { runKubectlAction } from './kubectl.js';
import { runFailureAction } from './failures.js';
import { runRequestAction } from '../net/request-action.js';

/**
 * The scenario's timeline: each event fires at its `at:` on the virtual clock, and one with a
 * `for:` is undone that long after. The timeline is the scenario author's hand, so it has its own
 * actor that no failure can stop. Each action's step is noted in `cluster.timelineSteps`, so a
 * checkpoint can be placed right after it.
 */
export function scheduleTimeline(cluster: Cluster, events: readonly TimelineEvent[]): void {
  const actor = new Actor('timeline');
  events.forEach((event, index) => {
    cluster.sim.schedule(actor, event.atMs, () => fire(cluster, event, (step) => {
      if (step !== undefined) cluster.timelineSteps.set(index, step);
    }));
  });
}

/**
 * Runs one action. Its step, handed to `done`: a failure's banner, the last hop of a packet walk
 * (its result), kubectl's last request (the write) once its answer is back.
 */
function fire(cluster: Cluster, event: TimelineEvent, done: (step: number | undefined) => void): void {
  const recorder = cluster.sim.recorder;
  const before = recorder.length;
  const recorded = () => (recorder.length > before ? recorder.length : undefined);
  const banner = () => recorder.steps.slice(before).find((step) => step.kind === 'failure')?.step;
  switch (event.action) {
    case 'apply':
    case 'delete':
    case 'scale':
      runKubectlAction(cluster, event, done);
      return;
    case 'request':
      runRequestAction(cluster, event);
      return done(recorded());
    default:
      runFailureAction(cluster, event);
      return done(banner());
  }
}
