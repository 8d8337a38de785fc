/**
 * The resolved settings every component reads: the scenario's cluster section with Kubernetes'
 * defaults applied. Names follow the real flags (`--node-monitor-grace-period` becomes
 * `nodeMonitorGracePeriodMs`).
 */
export interface ClusterConfig {
  readonly kubernetesVersion: string;
  /** Minor version as a number (1.32 -> 32), for version-dependent defaults. */
  readonly minorVersion: number;
  readonly serviceCIDR: string;
  readonly podCIDR: string;
  readonly nodeCIDRMaskSize: number;
  readonly clusterDomain: string;
  readonly etcdMembers: number;
  /** --node-monitor-period: how often the node lifecycle controller checks node health. */
  readonly nodeMonitorPeriodMs: number;
  /** --node-monitor-grace-period: 50s from 1.32, 40s before. Must exceed the lease renew interval. */
  readonly nodeMonitorGracePeriodMs: number;
  /** --node-startup-grace-period: for nodes that never posted status. */
  readonly nodeStartupGracePeriodMs: number;
  /** kube-apiserver --default-not-ready/unreachable-toleration-seconds. */
  readonly defaultTolerationSeconds: number;
  /** --node-eviction-rate (nodes per second) and the secondary rate, as ratios per 1000 s. */
  readonly nodeEvictionRatePerSecond: number;
  readonly secondaryNodeEvictionRatePerSecond: number;
  readonly largeClusterSizeThreshold: number;
  readonly unhealthyZoneThreshold: number;
  /** --cluster-signing-duration: lifetime of certificates csrsigning issues (default 8760h). */
  readonly clusterSigningDurationMs: number;
  readonly networkPlugin: 'flannel' | 'calico' | 'weave' | 'bridge';
  readonly networkBackend: string;
  readonly kubeProxyMode: 'iptables' | 'ipvs' | 'nftables';
  /** Kubelet: nodeLeaseDurationSeconds (40) and the renew interval (a quarter of it). */
  readonly nodeLeaseDurationSeconds: number;
  readonly nodeStatusUpdateFrequencyMs: number;
  readonly nodeStatusReportFrequencyMs: number;
}

export function defaultClusterConfig(overrides: Partial<ClusterConfig> = {}): ClusterConfig {
  const kubernetesVersion = overrides.kubernetesVersion ?? '1.32';
  const minorVersion = Number(kubernetesVersion.split('.')[1] ?? 32);
  return {
    kubernetesVersion,
    minorVersion,
    serviceCIDR: '10.96.0.0/12',
    podCIDR: '10.244.0.0/16',
    nodeCIDRMaskSize: 24,
    clusterDomain: 'cluster.local',
    etcdMembers: 1,
    nodeMonitorPeriodMs: 5_000,
    nodeMonitorGracePeriodMs: minorVersion >= 32 ? 50_000 : 40_000,
    nodeStartupGracePeriodMs: 60_000,
    defaultTolerationSeconds: 300,
    nodeEvictionRatePerSecond: 0.1,
    secondaryNodeEvictionRatePerSecond: 0.01,
    largeClusterSizeThreshold: 50,
    unhealthyZoneThreshold: 0.55,
    clusterSigningDurationMs: 8760 * 3600 * 1000,
    networkPlugin: 'flannel',
    networkBackend: 'vxlan',
    kubeProxyMode: 'iptables',
    nodeLeaseDurationSeconds: 40,
    nodeStatusUpdateFrequencyMs: 10_000,
    nodeStatusReportFrequencyMs: 5 * 60_000,
    ...overrides,
  };
}
