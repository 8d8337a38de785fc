import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { omitEmptyLists } from './omitempty.js';

type Obj = Record<string, any>;
const pod = (spec: Obj, status: Obj = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec, status }) as KubeObject;

describe('omitEmptyLists: empty omitempty lists are dropped, as a decode and re-encode by kube-apiserver would', () => {
  it('drops empty lists at any depth, keeps the lists without omitempty, and returns an untouched object as is', () => {
    const obj = pod({ containers: [], tolerations: [], volumes: [{ name: 'v', items: [] }] }, { conditions: [] });
    expect(omitEmptyLists(obj)).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [], volumes: [{ name: 'v' }] }, status: {} });
    expect(obj.spec).toEqual({ containers: [], tolerations: [], volumes: [{ name: 'v', items: [] }] });
    const clean = pod({ containers: [{ name: 'app' }] });
    expect(omitEmptyLists(clean)).toBe(clean);
  });

  it('strips a new write that shares parts with an object already written', () => {
    const first = omitEmptyLists(pod({ containers: [{ name: 'app' }] }, { phase: 'Pending' }));
    const update = { ...first, status: { phase: 'Running', conditions: [] } } as KubeObject;
    expect(omitEmptyLists(update)).toEqual({ ...first, status: { phase: 'Running' } });
    const spec = { ...(first.spec as Obj), tolerations: [] };
    expect((omitEmptyLists({ ...first, spec } as KubeObject).spec as Obj).tolerations).toBeUndefined();
  });

  it('keeps a list only where its kind has no omitempty: the same part elsewhere loses it', () => {
    const spec = { containers: [] };
    expect((omitEmptyLists(pod(spec)).spec as Obj).containers).toEqual([]);
    const job = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec } as KubeObject;
    expect((omitEmptyLists(job).spec as Obj).containers).toBeUndefined();
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, endpoints: [{ addresses: [], conditions: {} }], ports: [] } as unknown as KubeObject;
    expect(omitEmptyLists(slice)).toBe(slice);
  });
});
