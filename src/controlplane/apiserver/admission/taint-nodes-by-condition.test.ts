import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { taintNodesByCondition } from './taint-nodes-by-condition.js';
import type { AdmissionRequest, AdmissionResult } from './types.js';

const user = { name: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] };

function node(taints?: unknown[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' }, spec: { ...(taints ? { taints } : {}) } };
}

const taintsOf = (result: AdmissionResult) => ((result.allowed && result.object?.spec) as { taints?: unknown[] } | undefined)?.taints;
const admit = (object: KubeObject, more: Partial<AdmissionRequest> = {}) =>
  taintNodesByCondition().admit({ operation: 'CREATE', resource: 'nodes', object, user, ...more });

describe('TaintNodesByCondition', () => {
  it('creates every Node with node.kubernetes.io/not-ready:NoSchedule, without touching the input', () => {
    const input = node();
    expect(taintsOf(admit(input))).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    expect(input).toEqual(node());
  });

  it('keeps the taints from --register-with-taints and adds its own after them', () => {
    const own = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    expect(taintsOf(admit(node([own])))).toEqual([own, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
  });

  it('adds nothing when a taint with the same key and effect is there already', () => {
    expect(admit(node([{ key: 'node.kubernetes.io/not-ready', value: 'x', effect: 'NoSchedule' }]))).toEqual({ allowed: true });
    expect(taintsOf(admit(node([{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }])))).toHaveLength(2);
  });

  it('acts only on creating Nodes, not on updates, nodes/status or other resources', () => {
    expect(admit(node(), { operation: 'UPDATE', oldObject: node() })).toEqual({ allowed: true });
    expect(admit(node(), { subresource: 'status' })).toEqual({ allowed: true });
    expect(admit({ ...node(), kind: 'Pod' }, { resource: 'pods', namespace: 'default' })).toEqual({ allowed: true });
  });
});
