import type { Process } from '../../../sim/simulation.js';
import { sharedInformer, type InformerLike } from '../../client/shared-informer.js';
import { objectKey } from '../../client/informer.js';
import { WorkQueue, runWorker } from '../../client/workqueue.js';
import { LABEL_INDEX, NAMESPACE_INDEX, SELECTOR_INDEX, SERVICE_NAME_INDEX, labelIndexFunc, namespaceIndexFunc, selectorIndexFunc, serviceNameIndexFunc } from '../../client/indexer.js';
import { jsonEqual } from '../../apiserver/patch.js';
import type { Controller, ControllerContext } from '../context.js';
import { newControllerRef } from '../replicaset/controller-ref-manager.js';
import { mapSelectorMatches } from '../replicaset/label-selector.js';
import type { Pod } from '../replicaset/types.js';
import { desiredSlices, type DesiredSlice } from './endpoints.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, type EndpointSlice, type Service } from './types.js';

/**
 * The EndpointSlice controller (pkg/controller/endpointslice): for every Service with a selector
 * it keeps EndpointSlices listing the selected pods' IPs, ports and readiness. kube-proxy on each
 * node watches these slices, not pods, to know where a Service's traffic may go. Slices are only
 * written when their content changes.
 */
const SLICES_PATH = '/apis/discovery.k8s.io/v1';

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice-controller';
  readonly services: InformerLike<Service>;
  readonly pods: InformerLike<Pod>;
  readonly slices: InformerLike<EndpointSlice>;
  readonly queue: WorkQueue;
  /** endpointSliceTracker: the resourceVersion of each slice this controller wrote, or 'deleted'. */
  private readonly written = new Map<string, Map<string, number | 'deleted'>>();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.sim, ctx.actor);
    let synced = 0;
    const onSynced = (): void => {
      if (++synced === 3) ctx.sim.spawn(ctx.actor, runWorker(this.queue, (key) => this.syncService(key)));
    };
    const stage = 'networking' as const;
    const enqueueService = (svc: Service): void => this.queue.add(objectKey(svc));
    this.services = sharedInformer<Service>(ctx, 'services', {
      path: '/api/v1/services', stage,
      why: 'endpointslice-controller lists and watches Services: each one with a selector needs EndpointSlices naming its pods.',
    }, { onAdd: enqueueService, onUpdate: (_o, svc) => enqueueService(svc), onDelete: enqueueService, onSynced });
    this.pods = sharedInformer<Pod>(ctx, 'pods', {
      path: '/api/v1/pods', stage,
      why: "endpointslice-controller lists and watches pods: their labels, IPs and readiness decide which addresses each Service's slices list.",
    }, { onAdd: (p) => this.onPod(p), onUpdate: (old, p) => this.onPod(p, old), onDelete: (p) => this.onPod(p), onSynced });
    const enqueueOwner = (slice: EndpointSlice): void => {
      const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc) this.queue.add(`${slice.metadata.namespace}/${svc}`);
    };
    this.slices = sharedInformer<EndpointSlice>(ctx, 'endpointslices', {
      path: `${SLICES_PATH}/endpointslices`, stage, labelSelector: `${MANAGED_BY_LABEL}=${CONTROLLER_NAME}`,
      why: 'endpointslice-controller lists and watches the EndpointSlices it manages, to notice when one is changed or deleted behind its back.',
    }, { onAdd: enqueueOwner, onUpdate: (_o, s) => enqueueOwner(s), onDelete: enqueueOwner, onSynced });
    // The listers' indexes: services and pods by namespace, slices by the Service they belong to.
    this.services.addIndexer(NAMESPACE_INDEX, namespaceIndexFunc);
    this.pods.addIndexer(NAMESPACE_INDEX, namespaceIndexFunc);
    this.slices.addIndexer(SERVICE_NAME_INDEX, serviceNameIndexFunc);
    // Lookups by label, so a pod event reads the Services that may select it and a Service's sync
    // the pods that carry one of its labels, not every object in the namespace.
    this.services.addIndexer(SELECTOR_INDEX, selectorIndexFunc);
    this.pods.addIndexer(LABEL_INDEX, labelIndexFunc);
  }

  start(): void {
    this.services.start();
    this.pods.start();
    this.slices.start();
  }

  /** getPodServiceMemberships: every Service whose selector matches the pod now or before this change. */
  private onPod(pod: Pod, old?: Pod): void {
    const ns = pod.metadata.namespace ?? '';
    const pairs = [`${ns}/`, ...labelIndexFunc(pod), ...(old ? labelIndexFunc(old) : [])];
    for (const svc of this.services.byIndexes(SELECTOR_INDEX, pairs)) {
      if (!svc.spec.selector) continue;
      if (mapSelectorMatches(svc.spec.selector, pod.metadata.labels) || (old && mapSelectorMatches(svc.spec.selector, old.metadata.labels))) this.queue.add(objectKey(svc));
    }
  }

  /** StaleSlices: the cache has not yet caught up with this controller's own writes. */
  private stale(key: string, existing: readonly EndpointSlice[]): boolean {
    const written = this.written.get(key);
    if (!written) return false;
    const byName = new Map(existing.map((s) => [s.metadata.name ?? '', s]));
    for (const [name, rv] of [...written]) {
      const cached = byName.get(name);
      const caughtUp = rv === 'deleted' ? !cached : cached !== undefined && Number(cached.metadata.resourceVersion) >= rv;
      if (!caughtUp) return true;
      written.delete(name);
    }
    return false;
  }

  private *syncService(key: string): Process<void> {
    const svc = this.services.cache.get(key);
    // A deleted Service's slices are removed by the garbage collector through their ownerReferences.
    if (!svc) return void this.written.delete(key);
    if (!svc.spec.selector || !Object.keys(svc.spec.selector).length || svc.spec.type === 'ExternalName') return;
    const existing = this.slices.byIndex(SERVICE_NAME_INDEX, `${svc.metadata.namespace ?? ''}/${svc.metadata.name}`);
    if (this.stale(key, existing)) return this.queue.addAfter(key, 1000);
    const desired = desiredSlices(svc, this.selectable(svc));
    const labels = sliceLabels(svc);
    const pool = new Map<string, EndpointSlice[]>();
    const foreign: EndpointSlice[] = [];
    for (const slice of [...existing].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))) {
      // A slice left over from an earlier Service with the same name belongs to nobody now.
      if (!slice.metadata.ownerReferences?.some((r) => r.uid === svc.metadata.uid)) foreign.push(slice);
      else pool.set(JSON.stringify(slice.ports ?? []), [...(pool.get(JSON.stringify(slice.ports ?? [])) ?? []), slice]);
    }
    const writes: Process<void>[] = [];
    for (const want of desired) {
      const slice = pool.get(JSON.stringify(want.ports))?.shift();
      if (!slice) writes.push(this.create(svc, want, labels));
      else if (!jsonEqual(slice.endpoints ?? [], want.endpoints) || !jsonEqual(slice.metadata.labels, labels)) writes.push(this.update(svc, slice, want, labels));
    }
    for (const slice of [...foreign, ...[...pool.values()].flat()]) writes.push(this.remove(svc, slice));
    if (!writes.length) return;
    this.describe(svc, desired);
    for (const write of writes) yield* write;
  }

  /** The pods that may match the Service's selector: those with its rarest label pair (the rest are filtered by desiredSlices). */
  private selectable(svc: Service): readonly Pod[] {
    const buckets = selectorIndexFunc(svc).map((pair) => this.pods.byIndex(LABEL_INDEX, pair));
    return buckets.reduce((a, b) => (b.length < a.length ? b : a));
  }

  private track(svc: Service, name: string, rv: number | 'deleted'): void {
    const key = objectKey(svc);
    const map = this.written.get(key) ?? new Map<string, number | 'deleted'>();
    map.set(name, rv);
    this.written.set(key, map);
  }

  private *create(svc: Service, want: DesiredSlice, labels: Record<string, string>): Process<void> {
    const { name, namespace } = svc.metadata;
    const body = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [newControllerRef(svc, 'v1', 'Service')] },
      addressType: 'IPv4',
      endpoints: want.endpoints,
      ports: want.ports,
    };
    const res = yield* this.ctx.client.create(`${SLICES_PATH}/namespaces/${namespace}/endpointslices`, body, {
      stage: 'networking',
      why: `Service ${namespace}/${name} needs an EndpointSlice for ${want.endpoints.length} endpoint(s), so endpointslice-controller creates one (generateName "${name}-"), labelled with the Service's name and owned by the Service.`,
    });
    if (res.status === 201) this.track(svc, (res.body as EndpointSlice).metadata.name ?? '', Number((res.body as EndpointSlice).metadata.resourceVersion));
    else this.queue.addAfter(objectKey(svc), 1000);
  }

  private *update(svc: Service, slice: EndpointSlice, want: DesiredSlice, labels: Record<string, string>): Process<void> {
    const { name, namespace } = slice.metadata;
    const res = yield* this.ctx.client.update(`${SLICES_PATH}/namespaces/${namespace}/endpointslices/${name}`, { ...slice, metadata: { ...slice.metadata, labels }, endpoints: want.endpoints, ports: want.ports }, {
      stage: 'networking',
      why: `The pods behind Service ${namespace}/${svc.metadata.name} changed (added, removed, or their readiness flipped), so endpointslice-controller rewrites EndpointSlice ${name}; kube-proxy on every node sees the new list through its watch.`,
    });
    if (res.status === 200) this.track(svc, name ?? '', Number((res.body as EndpointSlice).metadata.resourceVersion));
    else this.queue.addAfter(objectKey(svc), 1000);
  }

  private *remove(svc: Service, slice: EndpointSlice): Process<void> {
    const { name, namespace } = slice.metadata;
    const res = yield* this.ctx.client.delete(`${SLICES_PATH}/namespaces/${namespace}/endpointslices/${name}`, {
      stage: 'networking',
      why: `Service ${namespace}/${svc.metadata.name} no longer needs EndpointSlice ${name}, so endpointslice-controller deletes it.`,
    });
    if (res.status === 200) this.track(svc, name ?? '', 'deleted');
  }

  private describe(svc: Service, desired: readonly DesiredSlice[]): void {
    const endpoints = desired.flatMap((d) => d.endpoints);
    const list = endpoints.map((e) => `${e.addresses[0]} (${e.targetRef.name}, ${e.conditions.terminating ? 'terminating: not ready, ' + (e.conditions.serving ? 'still serving' : 'not serving') : e.conditions.ready ? 'ready' : 'not ready'})`);
    const ready = endpoints.filter((e) => e.conditions.ready).length;
    this.ctx.sim.recorder.record({
      stage: 'networking', from: this.name, to: this.name, kind: 'decision',
      summary: `${objectKey(svc)}: ${endpoints.length} endpoint(s), ${ready} ready`,
      explanation: endpoints.length
        ? `Service ${objectKey(svc)} selects ${endpoints.length} pod(s) with an IP: ${list.join(', ')}. kube-proxy sends new connections to ready endpoints, and to terminating-but-serving ones only when none is ready.`
        : `Service ${objectKey(svc)} selects no pod with an IP yet, so its EndpointSlice is an empty placeholder and the Service has nowhere to send traffic.`,
    });
  }
}

/** setEndpointSliceLabels: the Service's own labels plus the two the controller owns. */
function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL) labels[k] = v;
  if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}
