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

/**
 * The resources the RBAC authorizer lists on every request. Their lists are kept between
 * requests, as the authorizer's listers keep theirs, and dropped on any write under the
 * resource's prefix, so a list never outlives the objects it was made from.
 */
const CACHED_LISTS = ['clusterrolebindings', 'rolebindings'];

export function storeLookup(registry: Registry, store: Store<KubeObject>): ObjectLookup {
  const byResource = new Map<string, ResourceInfo>();
  for (const info of RESOURCES) if (!byResource.has(info.resource)) byResource.set(info.resource, info);
  const nodeGraph = new NodeGraphIndex();
  for (const kv of store.range(PODS_PREFIX)) nodeGraph.setPod(kv.value);
  store.watch(PODS_PREFIX, store.revision, (event) => {
    if (event.type === 'DELETE') nodeGraph.removePod(event.key.slice(PODS_PREFIX.length));
    else nodeGraph.setPod(event.kv.value);
  });
  const cached = new Map<string, Map<string, readonly KubeObject[]>>();
  for (const resource of CACHED_LISTS) {
    const info = byResource.get(resource);
    if (!info) continue;
    const lists = new Map<string, readonly KubeObject[]>();
    cached.set(resource, lists);
    // Registered before any watch cache, so a write drops the lists before anyone hears of it.
    store.watch(info.etcdPrefix, store.revision, () => lists.clear());
  }
  const everything = compileSelector();
  return {
    get: (resource, namespace, name) => {
      const info = byResource.get(resource);
      return info ? registry.get(info, namespace, name) : undefined;
    },
    list: (resource, namespace) => {
      const info = byResource.get(resource);
      if (!info) return [];
      const lists = cached.get(resource);
      if (!lists) return registry.list(info, namespace, everything).items;
      const key = namespace ?? '';
      let items = lists.get(key);
      if (!items) lists.set(key, (items = registry.list(info, namespace, everything).items));
      return items;
    },
    nodeGraph,
  };
}
