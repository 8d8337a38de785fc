import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import type { AdmissionRequest, AdmissionResult } from './types.js';

const user = { name: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:authenticated'] };

function pod(tolerations?: unknown[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default' }, spec: { containers: [{ name: 'app' }], ...(tolerations ? { tolerations } : {}) } };
}

const tolerationsOf = (result: AdmissionResult) => ((result.allowed && result.object?.spec) as { tolerations?: unknown[] } | undefined)?.tolerations;
const create = (object: KubeObject, plugin = defaultTolerationSeconds(), more: Partial<AdmissionRequest> = {}) =>
  plugin.admit({ operation: 'CREATE', resource: 'pods', namespace: 'default', object, user, ...more });

describe('DefaultTolerationSeconds', () => {
  it('gives a new pod 300s tolerations for not-ready and unreachable, without touching the input', () => {
    const input = pod();
    const result = create(input);
    expect(tolerationsOf(result)).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(input).toEqual(pod());
  });

  it('keeps a toleration the pod already has and does not add a duplicate', () => {
    const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    expect(tolerationsOf(create(pod([own])))).toEqual([
      own,
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const once = create(pod());
    const twice = create(once.allowed && once.object ? once.object : pod());
    expect(twice).toEqual({ allowed: true });
  });

  it('treats an empty key or effect as matching, but not a NoSchedule toleration', () => {
    expect(create(pod([{ operator: 'Exists' }]))).toEqual({ allowed: true });
    const noSchedule = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' };
    expect(tolerationsOf(create(pod([noSchedule])))).toHaveLength(3);
  });

  it('uses the configured seconds', () => {
    const plugin = defaultTolerationSeconds({ notReadySeconds: 60, unreachableSeconds: 120 });
    const seconds = (tolerationsOf(create(pod(), plugin)) as { tolerationSeconds: number }[]).map((t) => t.tolerationSeconds);
    expect(seconds).toEqual([60, 120]);
  });

  it('acts only on creating pods proper', () => {
    expect(create(pod(), undefined, { operation: 'UPDATE', oldObject: pod() })).toEqual({ allowed: true });
    expect(create(pod(), undefined, { subresource: 'status' })).toEqual({ allowed: true });
    expect(create({ ...pod(), kind: 'Node' }, undefined, { resource: 'nodes' })).toEqual({ allowed: true });
  });
});
