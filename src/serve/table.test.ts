import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.js';
import { humanDuration, toTable, wantsTable } from './table.js';

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each([
    [-5_000, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 60_000, '3h1m'],
    [9 * 3600_000, '9h'],
    [50 * 3600_000, '2d2h'],
    [10 * 86400_000, '10d'],
    [3 * 365 * 86400_000 + 86400_000, '3y1d'],
  ])('%i ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('toTable', () => {
  const now = Date.parse('2026-01-01T09:01:00Z');
  const pod = (containerStatuses: unknown[], extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2026-01-01T09:00:00Z', ...extra },
    spec: { nodeName: 'worker-1', containers: [{ name: 'web', image: 'nginx' }] },
    status: { phase: 'Running', podIP: '10.244.0.5', containerStatuses },
  });

  it('prints pods as printPod does: a waiting reason wins, ready counts only running containers', () => {
    const running = toTable('pods', [pod([{ name: 'web', ready: true, restartCount: 2, state: { running: {} } }])], '7', { nowEpochMs: now }) as any;
    expect(running.rows[0].cells.slice(0, 5)).toEqual(['web-1', '1/1', 'Running', '2', '60s']);
    expect(running.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'web-1' }) });
    const waiting = toTable('pods', [pod([{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }])], '7', { nowEpochMs: now }) as any;
    expect(waiting.rows[0].cells.slice(1, 3)).toEqual(['0/1', 'ContainerCreating']);
    const deleting = toTable('pods', [pod([], { deletionTimestamp: '2026-01-01T09:00:30Z' })], '7', { nowEpochMs: now }) as any;
    expect(deleting.rows[0].cells[2]).toBe('Terminating');
  });

  it('names the columns kubectl prints, wide ones at priority 1', () => {
    const table = toTable('nodes', [], '1', { nowEpochMs: now }) as any;
    expect(table.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(toTable('leases', [], '1', { nowEpochMs: now, noHeaders: true })).toMatchObject({ columnDefinitions: [] });
  });

  it('recognises kubectl get\'s Accept header', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
  });
});
