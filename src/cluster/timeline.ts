import type { TimelineEvent } from '../scenario/index.js';
import { Actor } from '../sim/simulation.js';
import type { Cluster } from './cluster.js';
import { runKubectlAction } from './kubectl.js';
import { runFailureAction } from './failures.js';
import { runRequestAction } from '../net/request-action.js';

/**
 * The scenario's timeline: each event fires at its `at:` on the virtual clock, and one with a
 * `for:` is undone that long after. The timeline is the scenario author's hand, so it has its own
 * actor that no failure can stop.
 */
export function scheduleTimeline(cluster: Cluster, events: readonly TimelineEvent[]): void {
  const actor = new Actor('timeline');
  for (const event of events) {
    cluster.sim.schedule(actor, event.atMs, () => fire(cluster, event));
  }
}

function fire(cluster: Cluster, event: TimelineEvent): void {
  switch (event.action) {
    case 'apply':
    case 'delete':
    case 'scale':
      runKubectlAction(cluster, event);
      return;
    case 'request':
      runRequestAction(cluster, event);
      return;
    default:
      runFailureAction(cluster, event);
  }
}
