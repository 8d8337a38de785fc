import { virtualMs } from '../../../sim/clock.js';
import { getCondition, type LeaseObject, type NodeCondition, type NodeObject } from './types.js';

/**
 * The pure half of `tryUpdateNodeHealth` (node_lifecycle_controller.go). The controller never
 * trusts timestamps written by kubelets (their clocks may be skewed): it remembers what it last
 * saw of each node, the Ready condition's lastHeartbeatTime and the Lease's renewTime, and notes
 * on its OWN clock when either changed (the probe timestamp). A node whose probe timestamp is
 * older than the grace period gets its conditions set to Unknown.
 */
export interface NodeHealth {
  /** Controller time (virtual ms) when a heartbeat was last seen to change. */
  probeTimestampMs: number;
  readyTransitionTimestampMs: number;
  /** The Ready condition as last seen. */
  ready: NodeCondition | undefined;
  /** The Lease renewTime as last seen. */
  leaseRenewTime: string | undefined;
}

export interface GracePeriods {
  readonly nodeMonitorGracePeriodMs: number;
  readonly nodeStartupGracePeriodMs: number;
}

export interface HealthEvaluation {
  readonly gracePeriodMs: number;
  /** The Ready condition the node had (a made-up Unknown one if it never posted status). */
  readonly observed: NodeCondition;
  /** The Ready condition after this evaluation; undefined while a new node has not posted yet. */
  readonly current: NodeCondition | undefined;
  /** What to remember if no status write is needed (or it fails). */
  readonly health: NodeHealth;
  /** Set when the grace period ran out: the node with its conditions turned Unknown, to PUT. */
  readonly update?: { readonly node: NodeObject; readonly neverPosted: boolean };
}

/** Conditions the controller sets to Unknown; NetworkUnavailable belongs to the network plugin. */
export const UNKNOWN_CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

function renewedAfter(saved: string | undefined, observed: string | undefined): boolean {
  if (!observed) return false;
  if (!saved) return true;
  return Date.parse(saved) < Date.parse(observed);
}

function freshHealth(nowMs: number, ready: NodeCondition | undefined, lease: string | undefined): NodeHealth {
  return { probeTimestampMs: nowMs, readyTransitionTimestampMs: nowMs, ready, leaseRenewTime: lease };
}

/** Updates the remembered health from what the node and its Lease show now. */
function observe(node: NodeObject, saved: NodeHealth | undefined, current: NodeCondition | undefined, nowMs: number): NodeHealth {
  if (!current) {
    // Never posted: count from the node's creation, with the longer startup grace period.
    if (saved) return { ...saved, ready: undefined };
    const created = node.metadata.creationTimestamp ? virtualMs(node.metadata.creationTimestamp) : nowMs;
    return { probeTimestampMs: created, readyTransitionTimestampMs: created, ready: undefined, leaseRenewTime: undefined };
  }
  if (!saved || !saved.ready) return freshHealth(nowMs, current, saved?.leaseRenewTime);
  if (saved.ready.lastHeartbeatTime !== current.lastHeartbeatTime) {
    const transitioned = saved.ready.lastTransitionTime !== current.lastTransitionTime;
    return { ...saved, probeTimestampMs: nowMs, readyTransitionTimestampMs: transitioned ? nowMs : saved.readyTransitionTimestampMs, ready: current };
  }
  return saved;
}

export function evaluateNodeHealth(
  node: NodeObject,
  saved: NodeHealth | undefined,
  lease: LeaseObject | undefined,
  nowMs: number,
  nowText: string,
  grace: GracePeriods,
): HealthEvaluation {
  const conditions = node.status?.conditions ?? [];
  const current = getCondition(conditions, 'Ready');
  const observed: NodeCondition = current ?? {
    type: 'Ready',
    status: 'Unknown',
    lastHeartbeatTime: node.metadata.creationTimestamp,
    lastTransitionTime: node.metadata.creationTimestamp,
  };
  const gracePeriodMs = current ? grace.nodeMonitorGracePeriodMs : grace.nodeStartupGracePeriodMs;
  let health = observe(node, saved, current, nowMs);
  // Always refresh the probe time when the Lease was renewed: the cheap, frequent heartbeat.
  const renewTime = lease?.spec?.renewTime;
  if (renewedAfter(saved?.leaseRenewTime, renewTime)) health = { ...health, probeTimestampMs: nowMs, leaseRenewTime: renewTime };
  if (!(nowMs > health.probeTimestampMs + gracePeriodMs)) return { gracePeriodMs, observed, current, health };

  const updated: NodeCondition[] = conditions.map((c) =>
    (UNKNOWN_CONDITION_TYPES as readonly string[]).includes(c.type) && c.status !== 'Unknown'
      ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowText }
      : c,
  );
  for (const type of UNKNOWN_CONDITION_TYPES) {
    if (getCondition(conditions, type)) continue;
    updated.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: nowText });
  }
  const ready = getCondition(updated, 'Ready');
  const changed = JSON.stringify(ready) !== JSON.stringify(observed);
  if (!changed) return { gracePeriodMs, observed, current: ready, health };
  return {
    gracePeriodMs,
    observed,
    current: ready,
    health,
    update: { node: { ...node, status: { ...node.status, conditions: updated } }, neverPosted: !current },
  };
}
