/**
 * Small shared pieces of core/v1 (k8s.io/api/core/v1/types.go) as JSON: taints, tolerations and
 * conditions, read by the scheduler, the node lifecycle and taint-eviction controllers, the
 * ReplicaSet controller and admission. Each component types the rest of the objects it reads
 * itself; these are the parts they share.
 */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  /** Set by the node lifecycle controller when it adds a taint; only meaningful for NoExecute. */
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  /** `Equal` (the default when empty) compares values; `Exists` matches any value. */
  operator?: 'Exists' | 'Equal';
  value?: string;
  /** Empty matches every effect. */
  effect?: string;
  tolerationSeconds?: number;
}

export interface NodeCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface PodCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}
