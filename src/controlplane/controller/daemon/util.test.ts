import { describe, expect, it } from 'vitest';
import type { SchedulingNode, Taint } from '../../scheduler/types.js';
import { nodeShouldRunDaemonPod, pinnedAffinity, targetNodeName, withDaemonTolerations, type DaemonSet } from './util.js';

function ds(spec: Record<string, unknown>): DaemonSet {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent' }], ...spec } } } };
}

function node(taints: Taint[] = [], labels: Record<string, string> = { 'kubernetes.io/os': 'linux' }): SchedulingNode {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1', labels }, spec: { taints } };
}

describe('DaemonSet pod helpers', () => {
  it('adds the daemon tolerations, network-unavailable only for hostNetwork pods, and keeps the template\'s own', () => {
    const keys = (spec: Record<string, unknown>) => withDaemonTolerations(spec).map((t) => `${t.key ?? '*'}:${t.effect ?? '*'}`);
    expect(keys({})).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(keys({ hostNetwork: true, tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }] })).toEqual([
      '*:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
      'node.kubernetes.io/network-unavailable:NoSchedule',
    ]);
    expect(withDaemonTolerations({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] })).toHaveLength(6);
  });

  it('pins a pod to its node, replacing required terms but keeping preferred ones', () => {
    const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }];
    const affinity = pinnedAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] }, preferredDuringSchedulingIgnoredDuringExecution: preferred } }, 'worker-3');
    expect(affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-3'] }] }] }, preferredDuringSchedulingIgnoredDuringExecution: preferred } });
    expect(targetNodeName({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { affinity } })).toBe('worker-3');
    expect(targetNodeName({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { nodeName: 'worker-1', affinity } })).toBe('worker-1');
  });

  it('runs on a NotReady, tainted node only what tolerates its taints', () => {
    const notReady = node([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    // The daemon tolerations cover not-ready NoExecute, not NoSchedule: the template has to tolerate that itself.
    expect(nodeShouldRunDaemonPod(notReady, ds({}))).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(notReady, ds({ tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }] }))).toEqual({ shouldRun: true, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node([{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }]), ds({}))).toEqual({ shouldRun: true, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node([{ key: 'dedicated', effect: 'NoExecute' }]), ds({}))).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node([], { 'kubernetes.io/os': 'windows' }), ds({ nodeSelector: { 'kubernetes.io/os': 'linux' } }))).toEqual({ shouldRun: false, shouldContinueRunning: false });
  });
});
