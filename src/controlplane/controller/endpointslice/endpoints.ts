import { isPodReady } from '../replicaset/active-pods.js';
import { mapSelectorMatches } from '../replicaset/label-selector.js';
import type { Pod } from '../replicaset/types.js';
import { MAX_ENDPOINTS_PER_SLICE, type Endpoint, type EndpointPort, type Service, type ServicePort } from './types.js';

/**
 * What a Service's EndpointSlices should hold (pkg/controller/endpointslice/utils.go and
 * reconciler.go), computed without side effects: one endpoint per selected pod that has an IP,
 * grouped by the ports it resolves to, at most MAX_ENDPOINTS_PER_SLICE per slice.
 */
export interface DesiredSlice {
  readonly ports: EndpointPort[];
  readonly endpoints: Endpoint[];
}

/** podutil.FindPort: a numeric targetPort as is; a named one looked up in the pod's containers. */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  for (const container of pod.spec.containers ?? []) {
    for (const port of container.ports ?? []) if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
  }
  return undefined;
}

export function endpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const svcPort of service.spec.ports ?? []) {
    const port = findPort(pod, svcPort);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: svcPort.name ?? '', port, protocol: svcPort.protocol ?? 'TCP' };
    if (svcPort.appProtocol) ep.appProtocol = svcPort.appProtocol;
    out.push(ep);
  }
  return out;
}

/** ShouldPodBeInEndpoints (terminating pods included): not finished, and has an IP. */
export function shouldPodBeInEndpoints(pod: Pod): boolean {
  const phase = pod.status?.phase;
  const ip = pod.status?.podIP;
  // The slices are addressType IPv4: an IPv6 address would belong in a separate IPv6 slice.
  return phase !== 'Succeeded' && phase !== 'Failed' && Boolean(ip) && !ip!.includes(':');
}

/**
 * podToEndpoint: `serving` follows the pod's Ready condition; `ready` is the same but false while
 * the pod terminates, so proxies stop sending it new connections while it drains.
 */
export function podToEndpoint(service: Service, pod: Pod): Endpoint {
  const publish = Boolean(service.spec.publishNotReadyAddresses);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  const serving = publish || isPodReady(pod);
  const ready = serving && (publish || !terminating);
  const ep: Endpoint = {
    addresses: [pod.status!.podIP!],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  return ep;
}

export function selectedPods(service: Service, pods: readonly Pod[]): Pod[] {
  const selector = service.spec.selector ?? {};
  return pods
    .filter((p) => p.metadata.namespace === service.metadata.namespace && mapSelectorMatches(selector, p.metadata.labels) && shouldPodBeInEndpoints(p))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
}

/** The slices the Service should have; a single empty placeholder when no pod qualifies. */
export function desiredSlices(service: Service, pods: readonly Pod[]): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  for (const pod of selectedPods(service, pods)) {
    const ports = endpointPorts(service, pod);
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    group.endpoints.push(podToEndpoint(service, pod));
    groups.set(key, group);
  }
  const out: DesiredSlice[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      out.push({ ports: group.ports, endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  return out.length ? out : [{ ports: [], endpoints: [] }];
}
