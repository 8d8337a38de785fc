import type { Goal, GoalStatus } from './goals.js';
import { goalCounts } from './goals.js';
import { wrap } from './text.js';

/**
 * The goals list's rows: a mark (✓ met, ✗ missed, ○ waiting), the goal, and what the mark rests
 * on ("held at 02:50.003"), on the goal's line when it fits, else under it.
 */
export interface GoalRow {
  /** '✓', '✗', '○' on a goal's first row; '' on its continuation rows and on notes. */
  readonly mark: string;
  readonly text: string;
  /** Dim text after the goal ("held at ..."), or a whole dim row. */
  readonly detail: string;
  readonly status?: GoalStatus;
}

export const GOAL_MARK: Readonly<Record<GoalStatus, string>> = { met: '✓', missed: '✗', waiting: '○' };

const HOW =
  'by: met once it has held at some step up to that time. at: judged on the cluster as it stood at that moment. kube-learn test checks the same goals.';

/** The rows for `goals`, `width` wide (a mark's two cells included) and at most `height` long; a "+N more" row when they do not fit. */
export function goalRows(goals: readonly Goal[], width: number, height: number): GoalRow[] {
  const inner = Math.max(1, width - 2);
  // Details line up in a column when every goal fits on one row that way.
  const column = Math.max(0, ...goals.map((g) => [...g.text].length)) + 2;
  const aligned = goals.every((g) => column + [...g.detail].length <= inner);
  const rows: GoalRow[] = [];
  let shown = 0;
  for (const goal of goals) {
    const own = rowsOf(goal, inner, aligned ? column : undefined);
    // Keep a row for "+N more" unless this is the last goal.
    const room = height - rows.length - (shown + 1 < goals.length ? 1 : 0);
    if (own.length > room) break;
    rows.push(...own);
    shown++;
  }
  if (shown < goals.length) rows.push({ mark: '', text: '', detail: `+${goals.length - shown} more (a taller terminal shows them all)` });
  const how = wrap(HOW, inner);
  if (shown === goals.length && height - rows.length >= how.length + 1) rows.push({ mark: '', text: '', detail: '' }, ...how.map((line) => ({ mark: '', text: '', detail: line })));
  return rows.slice(0, Math.max(0, height));
}

/** One goal's rows, `inner` wide after the mark; its detail at `column` when given. */
function rowsOf(goal: Goal, inner: number, column: number | undefined): GoalRow[] {
  const status = goal.status;
  const mark = GOAL_MARK[status];
  if (column !== undefined) return [{ mark, text: goal.text.padEnd(column), detail: goal.detail, status }];
  if ([...goal.text].length + 2 + [...goal.detail].length <= inner) return [{ mark, text: goal.text, detail: `  ${goal.detail}`, status }];
  const text = wrap(goal.text, inner);
  return [
    ...text.map((line, i) => ({ mark: i === 0 ? mark : '', text: line, detail: '', status })),
    { mark: '', text: '', detail: goal.detail, status },
  ];
}

/** `goals 2/5 met` (with `, 1 missed`): the one-line summary shown while the list is closed. */
export function goalSummary(goals: readonly Goal[]): string {
  const { met, missed, total } = goalCounts(goals);
  return `goals ${met}/${total} met${missed ? `, ${missed} missed` : ''}`;
}
