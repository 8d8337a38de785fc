/**
 * Which endpoints a Service port's rules use, following `proxy.CategorizeEndpoints`
 * (`pkg/proxy/topology.go`) without topology hints: ready endpoints first, falling back to
 * serving-and-terminating ones so connections drain during a rollout; Local traffic policies
 * use only this node's endpoints.
 */
import { compareStrings, endpointString, type EndpointModel, type ServicePortModel } from './types.js';

export interface CategorizedEndpoints {
  /** Endpoints for the KUBE-SVC (Cluster policy) chain. */
  readonly clusterEndpoints: readonly EndpointModel[];
  /** Endpoints for the KUBE-SVL (Local policy) chain. */
  readonly localEndpoints: readonly EndpointModel[];
  /** Every endpoint some chain may jump to: each gets a KUBE-SEP chain. */
  readonly allReachableEndpoints: readonly EndpointModel[];
  /** False when no endpoint anywhere can serve: the filter table then REJECTs. */
  readonly hasAnyEndpoints: boolean;
}

/** `ServicePort.ExternallyAccessible()` in this model: only NodePorts are external here. */
export function externallyAccessible(svc: ServicePortModel): boolean {
  return (svc.nodePort ?? 0) !== 0;
}

export function externalPolicyLocal(svc: ServicePortModel): boolean {
  return externallyAccessible(svc) && svc.externalTrafficPolicy === 'Local';
}

export function internalPolicyLocal(svc: ServicePortModel): boolean {
  return svc.internalTrafficPolicy === 'Local';
}

export function usesClusterEndpoints(svc: ServicePortModel): boolean {
  return !internalPolicyLocal(svc) || (externallyAccessible(svc) && !externalPolicyLocal(svc));
}

export function usesLocalEndpoints(svc: ServicePortModel): boolean {
  return internalPolicyLocal(svc) || externalPolicyLocal(svc);
}

/**
 * The endpoints the proxier sees: de-duplicated by "ip:port" (a non-terminating copy wins)
 * and sorted by that string, as `endpointsMapFromEndpointInfo` does.
 */
export function normalizeEndpoints(endpoints: readonly EndpointModel[]): EndpointModel[] {
  const byKey = new Map<string, EndpointModel>();
  for (const ep of endpoints) {
    const key = endpointString(ep);
    if (!byKey.has(key) || !ep.terminating) byKey.set(key, ep);
  }
  return [...byKey.values()].sort((a, b) => compareStrings(endpointString(a), endpointString(b)));
}

export function categorizeEndpoints(svc: ServicePortModel): CategorizedEndpoints {
  const endpoints = normalizeEndpoints(svc.endpoints);
  let clusterEndpoints: EndpointModel[] = [];
  let hasAnyEndpoints = false;
  if (usesClusterEndpoints(svc)) {
    clusterEndpoints = endpoints.filter((ep) => ep.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    hasAnyEndpoints = clusterEndpoints.length > 0;
  }
  if (!usesLocalEndpoints(svc)) {
    return { clusterEndpoints, localEndpoints: [], allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalReady = true;
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalServingTerminating = true;
    }
  }
  let localEndpoints: EndpointModel[] = [];
  if (hasLocalReady) localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  else if (hasLocalServingTerminating) {
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  }
  if (!usesClusterEndpoints(svc)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  // The real code merges through a Go map (random order); sorting keeps the simulator stable.
  const merged = new Map<string, EndpointModel>();
  for (const ep of [...clusterEndpoints, ...localEndpoints]) merged.set(endpointString(ep), ep);
  const allReachableEndpoints = [...merged.values()].sort((a, b) =>
    compareStrings(endpointString(a), endpointString(b)),
  );
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}
