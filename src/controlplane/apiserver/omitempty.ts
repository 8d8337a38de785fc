import type { KubeObject } from '../../api/meta.js';

/**
 * What an object looks like after kube-apiserver has decoded it into its Go type and encoded
 * it again: a list field tagged `json:",omitempty"` that is empty is left out (conditions,
 * taints, podIPs, ownerReferences, finalizers, ...). The few list fields without omitempty keep
 * their place (a Pod's containers, an EndpointSlice's endpoints, ports and each endpoint's
 * addresses, a Role's rules). Returns the object itself when nothing is empty; never mutates it.
 */
const KEPT: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec.containers'],
  Deployment: ['spec.template.spec.containers'],
  ReplicaSet: ['spec.template.spec.containers'],
  DaemonSet: ['spec.template.spec.containers'],
  StatefulSet: ['spec.template.spec.containers'],
  Job: ['spec.template.spec.containers'],
  EndpointSlice: ['endpoints', 'endpoints.addresses', 'ports'],
  Role: ['rules'],
  ClusterRole: ['rules'],
};

type Obj = Record<string, unknown>;

export function omitEmptyLists<T extends KubeObject>(obj: T): T {
  const kept = new Set(KEPT[obj.kind ?? ''] ?? []);
  return strip(obj as unknown as Obj, '', kept) as unknown as T;
}

function strip(value: Obj, path: string, kept: ReadonlySet<string>): Obj {
  let out: Obj | undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    let next: unknown = child;
    if (Array.isArray(child)) {
      if (child.length === 0 && !kept.has(childPath)) next = undefined;
      else next = stripList(child, childPath, kept);
    } else if (typeof child === 'object' && child !== null) {
      next = strip(child as Obj, childPath, kept);
    }
    if (next !== child) {
      out ??= { ...value };
      if (next === undefined) delete out[key];
      else out[key] = next;
    }
  }
  return out ?? value;
}

function stripList(list: unknown[], path: string, kept: ReadonlySet<string>): unknown[] {
  let changed = false;
  const next = list.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const stripped = strip(item as Obj, path, kept);
    if (stripped !== item) changed = true;
    return stripped;
  });
  return changed ? next : list;
}
