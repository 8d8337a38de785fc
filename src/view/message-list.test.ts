import { describe, expect, it } from 'vitest';
import { MessageIndex, foldLabel, messageLine } from './message-list.js';
import { fixtureSteps, manySteps } from '../../test/tui/fixtures.js';

const steps = fixtureSteps();

describe('MessageIndex', () => {
  it('folds a run of heartbeats into one row with its steps, and ends the list at the current step', () => {
    const list = new MessageIndex(() => steps);
    const rows = list.rowsEndingAt(11, 100);
    expect(rows.map((r) => (r.kind === 'step' ? r.step : `fold ${r.first}-${r.last} (${r.count})`))).toEqual([1, 2, 3, 4, 5, 6, 'fold 7-10 (4)', 11]);
  });

  it('cuts a fold at the current step, and shows a lone heartbeat as a plain row', () => {
    const list = new MessageIndex(() => steps);
    expect(list.rowsEndingAt(9, 2)).toEqual([{ kind: 'step', step: 6 }, { kind: 'fold', first: 7, last: 9, count: 3, senders: ['kubelet/worker-1'] }]);
    expect(list.rowsEndingAt(7, 2)).toEqual([{ kind: 'step', step: 6 }, { kind: 'step', step: 7 }]);
  });

  it('unfolds one run by its first step, or all of them', () => {
    const list = new MessageIndex(() => steps);
    const numbers = (rows: ReturnType<MessageIndex['rowsEndingAt']>) => rows.map((r) => (r.kind === 'step' ? r.step : 'fold'));
    expect(numbers(list.rowsEndingAt(11, 3, new Set([7])))).toEqual([9, 10, 11]);
    expect(numbers(list.rowsEndingAt(11, 3, new Set(), true))).toEqual([9, 10, 11]);
    expect(numbers(list.rowsEndingAt(11, 3, new Set([99])))).toEqual([6, 'fold', 11]);
  });

  it('lists only the steps a filter keeps', () => {
    const list = new MessageIndex(() => steps, (s) => s.from === 'kube-scheduler' || s.to === 'kube-scheduler');
    expect(list.rowsEndingAt(19, 10)).toEqual([{ kind: 'step', step: 12 }, { kind: 'step', step: 13 }]);
    expect(list.lastKeptAtOrBefore(12)).toBe(12);
    expect(list.lastKeptAtOrBefore(11)).toBeUndefined();
  });

  it('picks up steps recorded after it was built', () => {
    const growing = steps.slice(0, 3);
    const list = new MessageIndex(() => growing);
    expect(list.rowsEndingAt(5, 10)).toHaveLength(3);
    growing.push(...steps.slice(3, 6));
    expect(list.rowsEndingAt(5, 10)).toHaveLength(5);
  });

  it('folds a long steady state into a handful of rows', () => {
    const many = manySteps(10_000);
    const list = new MessageIndex(() => many);
    const rows = list.rowsEndingAt(10_000, 5);
    expect(rows).toHaveLength(5);
    expect(rows[rows.length - 1]).toEqual({ kind: 'step', step: 10_000 });
    const fold = rows[rows.length - 2];
    expect(fold.kind === 'fold' && fold.count).toBe(49);
  });
});

describe('messageLine', () => {
  it('prints a request as from → to, method and path, and status', () => {
    expect(messageLine(steps[3])).toMatchObject({ number: '4', time: '00:00.030', route: 'kubelet/worker-1 → kube-apiserver', text: 'POST /api/v1/nodes', status: '201', tone: 'ok' });
    expect(messageLine(steps[17])).toMatchObject({ status: 'refused', tone: 'error' });
  });

  it('prints other steps by their summary, a step inside one component once, and failures by their banner', () => {
    expect(messageLine(steps[11])).toMatchObject({ route: 'kube-scheduler', text: 'bind default/web-1 to worker-1', status: '' });
    expect(messageLine(steps[15])).toMatchObject({ text: '✖ worker-1 loses power', tone: 'failure' });
  });

  it('labels a fold with its count, range and senders', () => {
    expect(foldLabel({ kind: 'fold', first: 7, last: 9, count: 3, senders: ['kubelet/worker-1'] })).toBe('3 heartbeats  steps 7–9  from kubelet/worker-1');
    expect(foldLabel({ kind: 'fold', first: 1, last: 9, count: 9, senders: ['a', 'b', 'c', 'd'] })).toBe('9 heartbeats  steps 1–9  from a, b +2');
  });
});
