import type { KubeObject } from '../../api/meta.js';
import type { Store } from '../etcd/store.js';
import { NodeGraphIndex } from './authorization/node-graph-index.js';
import type { ObjectLookup } from './authorization/types.js';
import type { Registry } from './registry.js';
import { RESOURCES, type ResourceInfo } from './resources.js';
import { compileSelector } from './selectors.js';

/**
 * What the API server's authorizers and admission plugins read (their informers, in the real
 * kube-apiserver): objects by key straight from storage, and the Node authorizer's graph, kept
 * up to date from the store's watch of pods so it never has to scan them.
 */
const PODS_PREFIX = '/registry/pods/';

export function storeLookup(registry: Registry, store: Store<KubeObject>): ObjectLookup {
  const byResource = new Map<string, ResourceInfo>();
  for (const info of RESOURCES) if (!byResource.has(info.resource)) byResource.set(info.resource, info);
  const nodeGraph = new NodeGraphIndex();
  for (const kv of store.range(PODS_PREFIX)) nodeGraph.setPod(kv.value);
  store.watch(PODS_PREFIX, store.revision, (event) => {
    if (event.type === 'DELETE') nodeGraph.removePod(event.key.slice(PODS_PREFIX.length));
    else nodeGraph.setPod(event.kv.value);
  });
  return {
    get: (resource, namespace, name) => {
      const info = byResource.get(resource);
      return info ? registry.get(info, namespace, name) : undefined;
    },
    list: (resource, namespace) => {
      const info = byResource.get(resource);
      return info ? registry.list(info, namespace, compileSelector()).items : [];
    },
    nodeGraph,
  };
}
