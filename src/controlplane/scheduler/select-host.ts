import type { Prng } from '../../sim/prng.js';
import type { LeastAllocatedScore } from './plugins/node-resources-fit.js';

/**
 * selectHost (pkg/scheduler/schedule_one.go). Among nodes with the same top score the real
 * scheduler picks one at random by reservoir sampling; here the draw comes from the scheduler's
 * own seeded stream, so a replay picks the same node.
 */
export interface NodeScore extends LeastAllocatedScore {
  readonly name: string;
}

export interface Selection {
  readonly name: string;
  /** Other nodes that had the same top score. */
  readonly tied: readonly string[];
}

export function selectHost(scores: readonly NodeScore[], prng: Prng): Selection {
  let selected = scores[0];
  let countOfMaxScore = 1;
  const tied: string[] = [selected.name];
  for (const candidate of scores.slice(1)) {
    if (candidate.score > selected.score) {
      selected = candidate;
      countOfMaxScore = 1;
      tied.length = 0;
      tied.push(candidate.name);
    } else if (candidate.score === selected.score) {
      countOfMaxScore++;
      tied.push(candidate.name);
      if (prng.intInclusive(0, countOfMaxScore - 1) === 0) selected = candidate;
    }
  }
  return { name: selected.name, tied: tied.filter((n) => n !== selected.name) };
}
