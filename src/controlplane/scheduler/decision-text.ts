import type { FilterResult } from './find-nodes.js';
import { MIN_FEASIBLE_NODES_TO_FIND } from './find-nodes.js';
import type { FilterStatus, NodeInfo } from './plugins/framework.js';
import type { NodeScore, Selection } from './select-host.js';

/**
 * The words a learner reads about a scheduling decision, and its inspector detail. Up to 100
 * nodes every node is named. In bigger clusters each list names the first few nodes and counts
 * the rest, so a decision stays readable and its step small however many nodes were checked.
 */
export const DESCRIBED_NODES_LIMIT = 10;

/** How many nodes each list of a decision names, for a cluster of `numAllNodes`. */
export function describedNodesLimit(numAllNodes: number): number {
  return numAllNodes > MIN_FEASIBLE_NODES_TO_FIND ? DESCRIBED_NODES_LIMIT : Infinity;
}

/** "Filters: worker-3 rejected by TaintToleration (...). worker-1, worker-2 fit." */
export function describeFilters(nodeInfos: readonly NodeInfo[], statuses: ReadonlyMap<string, FilterStatus>, limit = Infinity): string {
  const rejectedNodes = nodeInfos.filter((info) => statuses.has(info.name));
  const rejected = rejectedNodes.slice(0, limit).map((info) => {
    const s = statuses.get(info.name)!;
    return `${info.name} rejected by ${s.plugin} (${s.reasons.join(', ')})`;
  });
  const fit = nodeInfos.filter((info) => !statuses.has(info.name)).map((info) => info.name);
  const parts = [`Filters over ${nodeInfos.length} node(s) (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit):`];
  if (rejectedNodes.length > limit) parts.push(`${rejected.join('; ')}; and ${rejectedNodes.length - limit} more rejected (${pluginCounts(rejectedNodes.slice(limit), statuses)}).`);
  else if (rejected.length) parts.push(`${rejected.join('; ')}.`);
  if (fit.length > limit) parts.push(`${fit.slice(0, limit).join(', ')} and ${fit.length - limit} more fit.`);
  else parts.push(fit.length ? `${fit.join(', ')} fit.` : 'none fit.');
  return parts.join(' ');
}

function pluginCounts(nodes: readonly NodeInfo[], statuses: ReadonlyMap<string, FilterStatus>): string {
  const counts = new Map<string, number>();
  for (const info of nodes) {
    const plugin = statuses.get(info.name)!.plugin;
    counts.set(plugin, (counts.get(plugin) ?? 0) + 1);
  }
  return [...counts].map(([plugin, count]) => `${count} by ${plugin}`).join(', ');
}

/**
 * Says how far the search for feasible nodes went when it stopped early (big clusters only);
 * empty when every node was checked, so small clusters read exactly as before.
 */
export function describeSearch(search: FilterResult, numAllNodes: number): string {
  const checked = search.evaluated.length;
  if (checked === numAllNodes) return '';
  const first = search.evaluated[0]?.name;
  const last = search.evaluated[checked - 1]?.name;
  return ` kube-scheduler checked ${checked} of ${numAllNodes} nodes, from ${first} to ${last}: it stops once ${search.numNodesToFind} fit (percentageOfNodesToScore, by default 50% minus 1% per 125 nodes, at least 5% and at least 100 nodes), and the next pod's search starts after ${last}, so every node gets its turn.`;
}

const byScore = (a: NodeScore, b: NodeScore): number => b.score - a.score || (a.name < b.name ? -1 : 1);

/** The `limit` best scores in `byScore` order, without sorting them all. */
function best(scores: readonly NodeScore[], limit: number): NodeScore[] {
  if (scores.length <= limit) return [...scores].sort(byScore);
  const top: NodeScore[] = [];
  for (const s of scores) {
    if (top.length === limit && byScore(s, top[limit - 1]) >= 0) continue;
    let i = top.length;
    while (i > 0 && byScore(s, top[i - 1]) < 0) i--;
    top.splice(i, 0, s);
    if (top.length > limit) top.pop();
  }
  return top;
}

/** "worker-2 scored 87 (least allocated) over worker-1 (75)." */
export function describeScores(chosen: Selection, scores: readonly NodeScore[], limit = Infinity): string {
  if (scores.length === 0) return `Only ${chosen.name} passed the filters, so scoring is skipped.`;
  const winner = scores.find((s) => s.name === chosen.name)!;
  const rest = scores.filter((s) => s.name !== chosen.name);
  const shown = best(rest, limit);
  let over = shown.map((s) => `${s.name} (${s.score})`).join(', ');
  if (rest.length > shown.length) {
    const lowest = rest.reduce((min, s) => Math.min(min, s.score), Infinity);
    const highest = shown[shown.length - 1].score;
    over += ` and ${rest.length - shown.length} more node(s) ${lowest === highest ? `also scoring ${lowest}` : `scoring ${lowest} to ${highest}`}`;
  }
  let text = `${chosen.name} scored ${winner.score} (least allocated: cpu ${winner.cpu}, memory ${winner.memory}, averaged) over ${over}.`;
  if (chosen.tied.length >= limit) {
    text += ` ${chosen.name} and ${chosen.tied.length} other node(s) tied at the top, and kube-scheduler picked ${chosen.name} at random among them, as the real one does.`;
  } else if (chosen.tied.length) {
    text += ` ${[chosen.name, ...chosen.tied].join(' and ')} tied at the top, and kube-scheduler picked ${chosen.name} at random among them, as the real one does.`;
  }
  return text;
}

/** The decision's inspector detail: every filter status and score, or in a big cluster the first few and how many there were. */
export function decisionDetail(statuses: ReadonlyMap<string, FilterStatus>, scores: readonly NodeScore[], chosen: Selection, limit = Infinity): Record<string, unknown> {
  const entries = [...statuses].slice(0, limit).map(([n, s]) => [n, { plugin: s.plugin, reasons: s.reasons }]);
  const detail: Record<string, unknown> = { filters: Object.fromEntries(entries), scores };
  if (statuses.size > limit) detail.rejectedNodes = statuses.size;
  if (scores.length > limit) {
    const winner = scores.find((s) => s.name === chosen.name)!;
    detail.scores = [winner, ...best(scores.filter((s) => s !== winner), limit - 1)];
    detail.scoredNodes = scores.length;
  }
  return detail;
}
