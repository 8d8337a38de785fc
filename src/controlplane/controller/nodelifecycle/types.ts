import type { NodeCondition, PodCondition, Taint, Toleration } from '../../../api/core.js';
import type { KubeObject } from '../../../api/meta.js';

/**
 * The parts of Nodes, Leases and Pods (k8s.io/api/core/v1, coordination/v1) that the node
 * lifecycle and taint eviction controllers read and write. Everything else on the objects passes
 * through untouched.
 */
export type { ConditionStatus, NodeCondition, PodCondition, Taint, TaintEffect, Toleration } from '../../../api/core.js';

export interface NodeObject extends KubeObject {
  spec?: { podCIDR?: string; podCIDRs?: string[]; taints?: Taint[]; unschedulable?: boolean; [field: string]: unknown };
  status?: { conditions?: NodeCondition[]; [field: string]: unknown };
}

export interface LeaseObject extends KubeObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string };
}

export interface PodObject extends KubeObject {
  spec: { nodeName?: string; tolerations?: Toleration[]; [field: string]: unknown };
  status?: { conditions?: PodCondition[]; [field: string]: unknown };
}

/** The well-known taint keys (staging/src/k8s.io/api/core/v1/well_known_taints.go). */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

export function getCondition<C extends { type: string }>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

/** Taints are the same taint when key and effect match (Taint.MatchTaint). */
export function matchTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[] | undefined, taint: Taint): boolean {
  return (taints ?? []).some((t) => matchTaint(t, taint));
}

export function taintText(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}
