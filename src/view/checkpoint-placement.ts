import type { Checkpoint, Scenario, TimelineEvent } from '../scenario/index.js';
import { formatDuration } from '../scenario/duration.js';
import type { Stage } from '../sim/trace.js';
import { stageLabel } from './stage-progress.js';

/**
 * Where each checkpoint goes among the steps, the same for `kube-learn run` and the player:
 * after step N; after the last step of a stage that is not a heartbeat (known once the run has
 * ended); at the first step at or after a virtual time; right after a timeline action's step.
 */

/** What placing a checkpoint needs to know about a run, recorded so far. */
export interface CheckpointRun {
  /** Steps recorded so far. */
  readonly count: number;
  /** True when nothing more will be recorded. */
  readonly finished: boolean;
  /** Virtual time of step n (1-based, n <= count); steps are in time order. */
  timeOf(step: number): number;
  /** The last step of a stage that is not a heartbeat, among those recorded. */
  lastOfStage(stage: Stage): number | undefined;
  /** The step of timeline action `index` (0-based), once it has been recorded. */
  actionStep(index: number): number | undefined;
}

/** The step after which a checkpoint appears, or undefined while that is not known (or never happens). */
export function checkpointStep(checkpoint: Checkpoint, run: CheckpointRun): number | undefined {
  const after = checkpoint.after;
  if ('step' in after) return after.step;
  if ('stage' in after) return run.finished ? run.lastOfStage(after.stage) : undefined;
  if ('action' in after) return run.actionStep(after.action);
  return firstAtOrAfter(run, after.atMs);
}

/** The first recorded step at or after `ms`, by binary search; undefined when none is yet. */
export function firstAtOrAfter(run: Pick<CheckpointRun, 'count' | 'timeOf'>, ms: number): number | undefined {
  let lo = 1;
  let hi = run.count + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (run.timeOf(mid) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo <= run.count ? lo : undefined;
}

/** A timeline action in a few words: `partition worker-2`, `scale deployment/web to 3`, `stop-etcd-member 2`. */
export function describeAction(event: TimelineEvent): string {
  if ('node' in event && event.node) return `${event.action} ${event.node}`;
  if ('member' in event) return `${event.action} ${event.member}`;
  if ('replicas' in event) return `${event.action} ${event.target} to ${event.replicas}`;
  if ('target' in event) return `${event.action} ${event.target}`;
  if ('manifest' in event) return `${event.action} ${event.manifest.kind.toLowerCase()}/${event.manifest.metadata.name}`;
  if ('from' in event) return `${event.action} ${event.from} → ${event.to}`;
  return event.action;
}

/**
 * Where a checkpoint sits, in words: "after Authentication", "after step 42", "at 2m55s",
 * "after partition worker-2 at 2m". `stage` writes a stage name as the UI or the transcript does.
 */
export function checkpointPlace(checkpoint: Checkpoint, timeline: Scenario['spec']['timeline'], stage: (s: Stage) => string = stageLabel): string {
  const after = checkpoint.after;
  if ('step' in after) return `after step ${after.step}`;
  if ('stage' in after) return `after ${stage(after.stage)}`;
  if ('atMs' in after) return `at ${formatDuration(after.atMs)}`;
  const event = timeline[after.action];
  return event ? `after ${describeAction(event)} at ${formatDuration(event.atMs)}` : `after timeline action ${after.action}`;
}
