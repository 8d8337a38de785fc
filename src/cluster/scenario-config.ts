import type { Scenario } from '../scenario/index.js';
import { defaultClusterConfig, type ClusterConfig } from './config.js';

/** The ClusterConfig a scenario asks for: its cluster section over Kubernetes' defaults. */
export function configFromScenario(scenario: Scenario): ClusterConfig {
  const c = scenario.spec.cluster;
  return defaultClusterConfig({
    kubernetesVersion: c.kubernetesVersion,
    minorVersion: Number(c.kubernetesVersion.split('.')[1]),
    serviceCIDR: c.serviceCIDR,
    podCIDR: c.podCIDR,
    nodeCIDRMaskSize: c.nodeCIDRMaskSize,
    clusterDomain: c.clusterDomain,
    etcdMembers: c.controlPlane.etcdMembers,
    nodeMonitorGracePeriodMs: c.controlPlane.nodeMonitorGracePeriodMs,
    defaultTolerationSeconds: c.controlPlane.defaultTolerationSeconds,
    clusterSigningDurationMs: c.controlPlane.clusterSigningDurationMs,
    networkPlugin: c.network.plugin,
    networkBackend: c.network.backend,
    kubeProxyMode: c.kubeProxy.mode,
  });
}
