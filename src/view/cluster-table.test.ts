import { describe, expect, it } from 'vitest';
import { componentLines, fitList, nodeTable, podTable, shortTaint } from './cluster-table.js';
import { elideMiddle } from './text.js';
import type { ComponentCell, NodeRow, PodRow } from './cluster-panel.js';

const text = (cells: readonly { text: string }[]) => cells.map((c) => c.text).join('');

describe('taints', () => {
  it('drop the well-known prefix but keep the key and the effect', () => {
    expect(shortTaint('node.kubernetes.io/unreachable:NoExecute')).toBe('unreachable:NoExecute');
    expect(shortTaint('node-role.kubernetes.io/control-plane:NoSchedule')).toBe('node-role.kubernetes.io/control-plane:NoSchedule');
  });

  it('are listed whole, the rest counted, and an effect is never cut', () => {
    expect(fitList(['unreachable:NoSchedule', 'unreachable:NoExecute'], 30)).toBe('unreachable:NoSchedule +1');
    expect(fitList(['a:NoSchedule', 'b:NoExecute'], 40)).toBe('a:NoSchedule, b:NoExecute');
    expect(fitList(['unreachable:NoSchedule,NoExecute'], 24)).toBe('u…e:NoSchedule,NoExecute');
    expect(fitList([], 10)).toBe('—');
  });

  it('of one key group their effects in the node table', () => {
    const node: NodeRow = { name: 'worker-2', registered: true, ready: 'Unknown', leaseAgeMs: 63_000, podCIDR: '10.244.1.0/24', taints: ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'], stopped: [], fault: 'partitioned', mark: 'cut off' };
    const table = nodeTable([node], 80);
    expect(table.header).toMatch(/^NODE +READY +LEASE +FAULT +TAINTS$/);
    expect(text(table.rows[0])).toBe('worker-2  Unknown  1m03s  cut off  unreachable:NoSchedule,NoExecute');
  });
});

describe('pod names', () => {
  it('lose their middle, never their ends, and stay unique', () => {
    expect(elideMiddle('coredns-86c58dbc8c-jbknl', 16)).toBe('coredns…8c-jbknl');
    expect(elideMiddle('web-1', 16)).toBe('web-1');
    const pods: PodRow[] = ['coredns-86c58dbc8c-jbknl', 'coredns-86c58dbc8c-mvd6s'].map((name) => ({ namespace: 'kube-system', name, phase: 'Running', ready: '1/1', node: 'worker-3', ip: '10.244.2.3' }));
    const table = podTable(pods, 62);
    const rows = table.rows.map(text);
    expect(new Set(rows.map((r) => r.split(/\s+/)[1])).size).toBe(2);
    for (const row of rows) expect([...row].length).toBeLessThanOrEqual(62);
    expect(table.header).toMatch(/^NAMESPACE +POD +READY +PHASE +NODE +IP$/);
  });
});

describe('the component line', () => {
  const cells: ComponentCell[] = [
    { name: 'etcd', up: false, health: 'down', note: '1/3 members, no quorum' },
    { name: 'kube-apiserver', up: true, health: 'up' },
    { name: 'kube-controller-manager', up: false, health: 'down', note: 'lost leader lease' },
    { name: 'kube-scheduler', up: false, health: 'down', note: 'lost leader lease' },
  ];

  it('shortens names, then takes a second line, rather than cutting a note', () => {
    const lines = componentLines(cells, 69).map(text);
    expect(lines).toEqual(['○ etcd 1/3 members, no quorum ● apiserver', '○ controller-manager lost leader lease ○ scheduler lost leader lease']);
    expect(componentLines(cells.map((c) => ({ ...c, up: true, health: 'up' as const, note: undefined })), 66).map(text)).toEqual(['● etcd ● kube-apiserver ● kube-controller-manager ● kube-scheduler']);
  });
});
