import type { KubeObject } from '../../../api/meta.js';
import { isMirrorPod, podClaimNames, podConfigMapNames, podSecretNames, podServiceAccount } from './node-graph.js';

/**
 * The Node authorizer's graph kept up to date as pods change (plugin/pkg/auth/authorizer/node/
 * graph_populator.go feeds graph.go from informers), so a kubelet's request is answered from a
 * few map lookups instead of a scan of every pod. Edges: a bound pod → its node, and each
 * secret, configmap, PVC and service account a bound non-mirror pod references → that pod.
 * Mirror pods make their node known but grant nothing, as graph.AddPod has it.
 */
export type ReferenceType = 'secret' | 'configmap' | 'pvc' | 'serviceAccount';

interface BoundPod {
  readonly nodeName: string;
  readonly references: readonly string[];
}

export interface GraphPath {
  /** Does any bound pod reference the object (is its vertex in the graph)? */
  readonly known: boolean;
  /** The first pod (by namespace/name, as a list returns them) linking it to the node, if any. */
  readonly via?: string;
}

export class NodeGraphIndex {
  private readonly pods = new Map<string, BoundPod>();
  private readonly podsPerNode = new Map<string, number>();
  /** Reference → node → keys of the pods on that node that reference it. */
  private readonly edges = new Map<string, Map<string, Set<string>>>();

  /** AddPod / UpdatePod: a pod without spec.nodeName is not in the graph. */
  setPod(pod: KubeObject): void {
    const key = podKey(pod);
    this.removePod(key);
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName) return;
    const references = isMirrorPod(pod) ? [] : referencesOf(pod);
    this.pods.set(key, { nodeName, references });
    this.podsPerNode.set(nodeName, (this.podsPerNode.get(nodeName) ?? 0) + 1);
    for (const ref of references) {
      let byNode = this.edges.get(ref);
      if (!byNode) this.edges.set(ref, (byNode = new Map()));
      let keys = byNode.get(nodeName);
      if (!keys) byNode.set(nodeName, (keys = new Set()));
      keys.add(key);
    }
  }

  /** DeletePod, by namespace/name. */
  removePod(key: string): void {
    const old = this.pods.get(key);
    if (!old) return;
    this.pods.delete(key);
    const count = (this.podsPerNode.get(old.nodeName) ?? 1) - 1;
    if (count > 0) this.podsPerNode.set(old.nodeName, count);
    else this.podsPerNode.delete(old.nodeName);
    for (const ref of old.references) {
      const byNode = this.edges.get(ref);
      const keys = byNode?.get(old.nodeName);
      keys?.delete(key);
      if (keys?.size === 0) byNode!.delete(old.nodeName);
      if (byNode?.size === 0) this.edges.delete(ref);
    }
  }

  /** Is the node a vertex: does at least one bound pod (mirror pods too) run there? */
  hasNode(nodeName: string): boolean {
    return this.podsPerNode.has(nodeName);
  }

  /** The node a bound pod runs on, or undefined when no such pod is bound. */
  podNode(namespace: string, name: string): string | undefined {
    return this.pods.get(`${namespace}/${name}`)?.nodeName;
  }

  /** The path from an object a pod references to `nodeName`. */
  path(type: ReferenceType, namespace: string, name: string, nodeName: string): GraphPath {
    const byNode = this.edges.get(referenceKey(type, namespace, name));
    if (!byNode) return { known: false };
    const keys = byNode.get(nodeName);
    if (!keys) return { known: true };
    let via: string | undefined;
    for (const key of keys) if (via === undefined || key < via) via = key;
    return { known: true, via };
  }
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

function referenceKey(type: ReferenceType, namespace: string, name: string): string {
  return `${type}\u0000${namespace}\u0000${name}`;
}

function referencesOf(pod: KubeObject): string[] {
  const ns = pod.metadata.namespace ?? '';
  const out: string[] = [];
  for (const name of podSecretNames(pod)) out.push(referenceKey('secret', ns, name));
  for (const name of podConfigMapNames(pod)) out.push(referenceKey('configmap', ns, name));
  for (const name of podClaimNames(pod)) out.push(referenceKey('pvc', ns, name));
  out.push(referenceKey('serviceAccount', ns, podServiceAccount(pod)));
  return out;
}
