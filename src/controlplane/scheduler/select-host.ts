import type { Prng } from '../../sim/prng.js';
import type { FilterStatus, NodeInfo } from './plugins/framework.js';
import type { LeastAllocatedScore } from './plugins/node-resources-fit.js';

/**
 * selectHost (pkg/scheduler/schedule_one.go) and the words a learner reads about a decision. Among
 * nodes with the same top score the real scheduler picks one at random by reservoir sampling;
 * here the draw comes from the scheduler's own seeded stream, so a replay picks the same node.
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

/** "Filters: worker-3 rejected by TaintToleration (...). worker-1, worker-2 fit." */
export function describeFilters(nodeInfos: readonly NodeInfo[], statuses: ReadonlyMap<string, FilterStatus>): string {
  const rejected = nodeInfos
    .filter((info) => statuses.has(info.name))
    .map((info) => {
      const s = statuses.get(info.name)!;
      return `${info.name} rejected by ${s.plugin} (${s.reasons.join(', ')})`;
    });
  const fit = nodeInfos.filter((info) => !statuses.has(info.name)).map((info) => info.name);
  const parts = [`Filters over ${nodeInfos.length} node(s) (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit):`];
  if (rejected.length) parts.push(`${rejected.join('; ')}.`);
  parts.push(fit.length ? `${fit.join(', ')} fit.` : 'none fit.');
  return parts.join(' ');
}

/** "worker-2 scored 87 (least allocated) over worker-1 (75)." */
export function describeScores(chosen: Selection, scores: readonly NodeScore[]): string {
  if (scores.length === 0) return `Only ${chosen.name} passed the filters, so scoring is skipped.`;
  const winner = scores.find((s) => s.name === chosen.name)!;
  const others = scores
    .filter((s) => s.name !== chosen.name)
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1))
    .map((s) => `${s.name} (${s.score})`);
  let text = `${chosen.name} scored ${winner.score} (least allocated: cpu ${winner.cpu}, memory ${winner.memory}, averaged) over ${others.join(', ')}.`;
  if (chosen.tied.length) {
    text += ` ${[chosen.name, ...chosen.tied].join(' and ')} tied at the top, and kube-scheduler picked ${chosen.name} at random among them, as the real one does.`;
  }
  return text;
}
