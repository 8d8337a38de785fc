import type { KubeObject } from '../../api/meta.js';
import type { EndpointModel, Protocol, ServicePortModel, TrafficPolicy } from '../proxy/index.js';

/**
 * kube-proxy's change trackers (pkg/proxy/servicechangetracker.go, endpointslicecache.go) as one
 * function: Services with a ClusterIP and the EndpointSlices labelled with their name become one
 * ServicePortModel per Service port, with the endpoints whose slice port has the same name and
 * protocol. Only Services and EndpointSlices are read; kube-proxy never looks at Pods.
 */
type Obj = Record<string, any>;

const SERVICE_NAME = 'kubernetes.io/service-name';

function endpointsFor(portName: string, protocol: string, mine: readonly Obj[], nodeName: string): EndpointModel[] {
  const out = new Map<string, EndpointModel>();
  for (const slice of mine) {
    const port = (slice.ports ?? []).find((p: Obj) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (!port || typeof port.port !== 'number') continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses?.[0] as string | undefined;
      if (!ip) continue;
      // A nil condition means "unknown": ready and serving default to true, terminating to false.
      const ready = ep.conditions?.ready !== false;
      const serving = ep.conditions?.serving ?? ready;
      const terminating = ep.conditions?.terminating === true;
      out.set(`${ip}:${port.port}`, { ip, port: port.port, nodeName: ep.nodeName, ready, serving, terminating, isLocal: ep.nodeName === nodeName });
    }
  }
  return [...out.values()];
}

/** The IPv4 EndpointSlices of each Service, by "namespace/name" (the service-name label), in list order. */
export function slicesByService(slices: readonly KubeObject[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const slice of slices as readonly Obj[]) {
    const name = slice.metadata.labels?.[SERVICE_NAME];
    if (name === undefined || (slice.addressType ?? 'IPv4') !== 'IPv4') continue;
    const key = `${slice.metadata.namespace}/${name}`;
    const list = out.get(key);
    if (list) list.push(slice as KubeObject);
    else out.set(key, [slice as KubeObject]);
  }
  return out;
}

/** The proxier's inputs from its Service and EndpointSlice caches, for the node `nodeName`. */
export function servicePortsFrom(services: readonly KubeObject[], slices: readonly KubeObject[], nodeName: string): ServicePortModel[] {
  const bySvc = slicesByService(slices);
  return (services as readonly Obj[]).flatMap((svc) => servicePortsOf(svc as KubeObject, bySvc.get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? [], nodeName));
}

/** One Service's ports with their endpoints from its own EndpointSlices (see `slicesByService`). */
export function servicePortsOf(service: KubeObject, slices: readonly KubeObject[], nodeName: string): ServicePortModel[] {
  const out: ServicePortModel[] = [];
  const svc = service as Obj;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName' || !spec.clusterIP || spec.clusterIP === 'None') return out;
  for (const port of spec.ports ?? []) {
    const portName = (port.name ?? '') as string;
    const protocol = (port.protocol ?? 'TCP') as Protocol;
    const endpoints = endpointsFor(portName, protocol, slices as readonly Obj[], nodeName);
    const targetPort = typeof port.targetPort === 'number' ? port.targetPort : endpoints[0]?.port ?? port.port;
    out.push({
      namespace: svc.metadata.namespace,
      name: svc.metadata.name,
      portName,
      protocol,
      clusterIP: spec.clusterIP,
      port: port.port,
      ...(port.nodePort ? { nodePort: port.nodePort } : {}),
      targetPort,
      externalTrafficPolicy: (spec.externalTrafficPolicy ?? 'Cluster') as TrafficPolicy,
      internalTrafficPolicy: (spec.internalTrafficPolicy ?? 'Cluster') as TrafficPolicy,
      endpoints,
    });
  }
  return out;
}
