import type { KubeObject } from '../api/meta.js';
import { Actor, type Process } from '../sim/simulation.js';
import type { ApiResponse } from '../api/request.js';
import { RestClient } from '../controlplane/client/rest-client.js';
import { resourceForKind, resourcePath } from '../controlplane/apiserver/resources.js';
import type { Cluster } from './cluster.js';
import { KIND_WORDS } from '../scenario/kinds.js';

/**
 * The scenario's manifests, applied at 0s as `kubectl apply` would: a POST per object, as the
 * cluster admin (kubernetes-admin in group system:masters, from admin.conf).
 */
export function adminClient(cluster: Cluster): RestClient {
  const actor = new Actor('kubectl');
  return new RestClient(cluster.transport, actor, 'admin-workstation', 'kubectl', {
    clientCertificate: cluster.pki.clientCertificate('kubernetes-admin', ['system:masters']),
  });
}

export function applyResources(cluster: Cluster, objects: readonly KubeObject[]): void {
  if (objects.length === 0) return;
  const client = adminClient(cluster);
  cluster.sim.spawn(client.actor, (function* () {
    for (const obj of objects) {
      const info = resourceForKind(obj.kind);
      if (!info) continue;
      yield* client.create(resourcePath(info, obj.metadata.namespace), obj, {
        why: `kubectl apply sends the scenario's ${obj.kind} ${obj.metadata.name} to kube-apiserver; from here on, controllers turn it into running pods.`,
        stage: obj.kind === 'Service' || obj.kind === 'EndpointSlice' ? 'networking' : 'synchronization',
      });
    }
  })());
}

type Obj = Record<string, any>;
type KubectlEvent =
  | { action: 'apply'; manifest: Record<string, unknown> }
  | { action: 'delete'; target: string }
  | { action: 'scale'; target: string; replicas: number };


/** `kind/name` or `kind/namespace/name` as the timeline's `target:` writes it. */
export function parseTarget(target: string): { kind: string; namespace: string; name: string } {
  const parts = target.split('/');
  const kind = KIND_WORDS[parts[0].toLowerCase()] ?? parts[0];
  return parts.length === 3 ? { kind, namespace: parts[1], name: parts[2] } : { kind, namespace: 'default', name: parts[1] ?? '' };
}

/**
 * The timeline's `apply`, `delete` and `scale` as kubectl sends them. `onSent` gets the step of
 * the last request kubectl made (the write, or the read that found nothing to write), once its
 * answer is back.
 */
export function runKubectlAction(cluster: Cluster, event: KubectlEvent, onSent?: (step: number | undefined) => void): void {
  const client = adminClient(cluster);
  cluster.sim.spawn(client.actor, (function* () {
    const res = yield* kubectl(client, event);
    onSent?.(res?.step);
  })());
}

function* kubectl(client: RestClient, event: KubectlEvent): Process<ApiResponse | undefined> {
  if (event.action === 'apply') {
    const obj = event.manifest as unknown as KubeObject;
    const info = resourceForKind(obj.kind);
    if (!info) return undefined;
    const ns = info.namespaced ? obj.metadata.namespace ?? 'default' : undefined;
    const existing = yield* client.get(resourcePath(info, ns, obj.metadata.name), { why: `kubectl apply first reads ${obj.kind} ${obj.metadata.name} to decide between create and update.` });
    if (existing.status === 404) {
      return yield* client.create(resourcePath(info, ns), obj, { why: `kubectl apply creates ${obj.kind} ${obj.metadata.name}, as the scenario's timeline says.` });
    } else if (existing.status === 200) {
      return yield* client.patch(resourcePath(info, ns, obj.metadata.name), obj, { why: `kubectl apply sends the changes to ${obj.kind} ${obj.metadata.name} as a patch; the controllers reconcile the difference.` });
    }
    return existing;
  }
  const target = parseTarget(event.target);
  const info = resourceForKind(target.kind);
  if (!info) return undefined;
  const ns = info.namespaced ? target.namespace : undefined;
  if (event.action === 'delete') {
    return yield* client.delete(resourcePath(info, ns, target.name), { why: `kubectl delete ${target.kind.toLowerCase()}/${target.name}: the API server marks or removes it, and controllers and kubelets react through their watches.` });
  }
  return yield* client.patch(`${resourcePath(info, ns, target.name)}/scale`, { spec: { replicas: event.replicas } } as Obj, {
    why: `kubectl scale patches the scale subresource of ${target.kind.toLowerCase()}/${target.name} to spec.replicas=${event.replicas}; the API server writes it to the ${target.kind}'s spec.replicas, and the controllers create or delete pods to match.`,
  }, 'application/merge-patch+json');
}
