import type { KubeObject } from '../../api/meta.js';
import type { KeyValue, Store } from '../etcd/store.js';
import { storageKey, type ResourceInfo } from './resources.js';
import type { Selector } from './selectors.js';

/**
 * How kube-apiserver answers a selective LIST without reading every object of the resource:
 * a `metadata.name=<x>` field selector reads that one key (the registry's MatchesSingle path),
 * and `spec.nodeName=<x>` on pods, what every kubelet lists, reads the pods indexed under that
 * node (the watch cache's spec.nodeName index). The caller still applies the whole selector to
 * what comes back; this only narrows where it looks. Kept current from the store's own watch.
 */
const PODS_PREFIX = '/registry/pods/';

export class ListIndex {
  /** Pod keys by spec.nodeName ('' for unscheduled pods). */
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly nodeOfPod = new Map<string, string>();

  constructor(private readonly store: Store<KubeObject>) {
    for (const kv of store.range(PODS_PREFIX)) this.indexPod(kv.key, kv.value);
    store.watch(PODS_PREFIX, store.revision, (event) => {
      if (event.type === 'DELETE') this.unindexPod(event.key);
      else this.indexPod(event.key, event.kv.value);
    });
  }

  /**
   * The stored objects under `prefix` that can match `selector`, sorted by key as a range
   * returns them, or undefined when no index applies and the caller must range over the prefix.
   */
  candidates(info: ResourceInfo, namespace: string | undefined, prefix: string, selector: Selector): KeyValue<KubeObject>[] | undefined {
    const name = selector.fields.find((r) => r.key === 'metadata.name' && r.op === '=')?.values[0];
    if (name !== undefined && (!info.namespaced || namespace)) {
      const kv = name ? this.store.get(storageKey(info, namespace, name)) : undefined;
      return kv ? [kv] : [];
    }
    if (prefix.startsWith(PODS_PREFIX) && selector.nodeName !== undefined) {
      const out: KeyValue<KubeObject>[] = [];
      for (const key of this.podsByNode.get(selector.nodeName) ?? []) {
        const kv = key.startsWith(prefix) ? this.store.get(key) : undefined;
        if (kv) out.push(kv);
      }
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    return undefined;
  }

  private indexPod(key: string, pod: KubeObject): void {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    const old = this.nodeOfPod.get(key);
    if (old === nodeName) return;
    if (old !== undefined) this.unindexPod(key);
    this.nodeOfPod.set(key, nodeName);
    let keys = this.podsByNode.get(nodeName);
    if (!keys) this.podsByNode.set(nodeName, (keys = new Set()));
    keys.add(key);
  }

  private unindexPod(key: string): void {
    const old = this.nodeOfPod.get(key);
    if (old === undefined) return;
    this.nodeOfPod.delete(key);
    const keys = this.podsByNode.get(old);
    keys?.delete(key);
    if (keys?.size === 0) this.podsByNode.delete(old);
  }
}
