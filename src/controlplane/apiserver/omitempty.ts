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

/** The kept paths of one kind as a tree of field names; a list's items share their list's node. */
interface KeptNode {
  kept: boolean;
  readonly children: Map<string, KeptNode>;
}

function keptTree(paths: readonly string[]): KeptNode {
  const root: KeptNode = { kept: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const part of path.split('.')) {
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = { kept: false, children: new Map() }));
      node = child;
    }
    node.kept = true;
  }
  return root;
}

const NOTHING_KEPT = keptTree([]);
const KEPT_TREES = new Map(Object.entries(KEPT).map(([kind, paths]) => [kind, keptTree(paths)]));

export function omitEmptyLists<T extends KubeObject>(obj: T): T {
  return strip(obj as unknown as Obj, KEPT_TREES.get(obj.kind ?? '') ?? NOTHING_KEPT) as unknown as T;
}

function strip(value: Obj, kept: KeptNode | undefined): Obj {
  let out: Obj | undefined;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const child = value[key];
    if (typeof child !== 'object' || child === null) continue;
    const childKept = kept?.children.get(key);
    let next: unknown;
    if (Array.isArray(child)) {
      next = child.length === 0 ? (childKept?.kept ? child : undefined) : stripList(child, childKept);
    } else {
      next = strip(child as Obj, childKept);
    }
    if (next !== child) {
      out ??= { ...value };
      if (next === undefined) delete out[key];
      else out[key] = next;
    }
  }
  return out ?? value;
}

function stripList(list: unknown[], kept: KeptNode | undefined): unknown[] {
  let next: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const stripped = strip(item as Obj, kept);
    if (stripped !== item) (next ??= list.slice())[i] = stripped;
  }
  return next ?? list;
}
