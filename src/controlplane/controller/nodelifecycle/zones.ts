import type { ClusterConfig } from '../../../cluster/config.js';
import { RateLimitedTimedQueue, TokenBucket, EVICTION_BURST } from './rate-limited-queue.js';
import type { NodeCondition, NodeObject } from './types.js';

/**
 * Zones and disruption (node_lifecycle_controller.go `handleDisruption`, `ComputeZoneState`,
 * `setLimiterInZone`). Nodes are grouped by topology zone; each zone has its own NoExecute
 * tainter. A zone where most nodes are not Ready slows down or stops tainting, and if every zone
 * is fully disrupted the controller assumes the problem is its own (or the network's), not the
 * nodes', and stops tainting altogether.
 */
export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

export type ZoneSettings = Pick<ClusterConfig, 'nodeEvictionRatePerSecond' | 'secondaryNodeEvictionRatePerSecond' | 'largeClusterSizeThreshold' | 'unhealthyZoneThreshold'>;

/** Nodes with this label do not count towards zone health (labelNodeDisruptionExclusion). */
export const EXCLUDE_DISRUPTION_LABEL = 'node.kubernetes.io/exclude-disruption';

/** nodetopology.GetZoneKey: region and zone from the (beta, then GA) topology labels; '' if none. */
export function zoneKey(node: NodeObject): string {
  const labels = node.metadata.labels ?? {};
  const zone = labels['failure-domain.beta.kubernetes.io/zone'] ?? labels['topology.kubernetes.io/zone'] ?? '';
  const region = labels['failure-domain.beta.kubernetes.io/region'] ?? labels['topology.kubernetes.io/region'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

/** A zone key as a learner reads it. */
export function zoneName(key: string): string {
  if (key === '') return 'the default zone (no topology.kubernetes.io/zone label)';
  const [region, zone] = key.split(':\x00:');
  return `zone ${region ? `${region}/` : ''}${zone}`;
}

/** ComputeZoneState: a node without a Ready condition counts as not ready. */
export function computeZoneState(ready: readonly (NodeCondition | undefined)[], unhealthyZoneThreshold: number): { unhealthy: number; state: ZoneState } {
  const readyNodes = ready.filter((c) => c?.status === 'True').length;
  const notReady = ready.length - readyNodes;
  if (readyNodes === 0 && notReady > 0) return { unhealthy: notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / ready.length >= unhealthyZoneThreshold) return { unhealthy: notReady, state: 'PartialDisruption' };
  return { unhealthy: notReady, state: 'Normal' };
}

export interface ZoneChange {
  readonly zone: string;
  readonly from: ZoneState;
  readonly to: ZoneState;
  readonly size: number;
  readonly unhealthy: number;
  /** The zone's new tainting rate (nodes per second). */
  readonly qps: number;
}

export type DisruptionOutcome =
  | { readonly kind: 'enter-full-disruption'; readonly zones: readonly string[] }
  | { readonly kind: 'exit-full-disruption'; readonly changes: readonly ZoneChange[] }
  | { readonly kind: 'zones'; readonly changes: readonly ZoneChange[] };

export class ZoneTainters {
  readonly states = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, RateLimitedTimedQueue>();

  constructor(private readonly settings: ZoneSettings) {}

  /** addPodEvictorForNewZone: a zone seen for the first time starts Initial, at the normal rate. */
  addZone(zone: string, nowMs: number): void {
    if (this.states.has(zone)) return;
    this.states.set(zone, 'Initial');
    this.tainters.set(zone, new RateLimitedTimedQueue(new TokenBucket(this.settings.nodeEvictionRatePerSecond, EVICTION_BURST, nowMs)));
  }

  tainter(zone: string): RateLimitedTimedQueue | undefined {
    return this.tainters.get(zone);
  }

  /** Zones with a tainter, in a stable order. */
  zones(): string[] {
    return [...this.tainters.keys()].sort();
  }

  /** The rate a zone in `state` with `size` nodes taints at (setLimiterInZone). */
  qpsFor(state: ZoneState, size: number): number {
    if (state === 'PartialDisruption') return size > this.settings.largeClusterSizeThreshold ? this.settings.secondaryNodeEvictionRatePerSecond : 0;
    return this.settings.nodeEvictionRatePerSecond;
  }

  handleDisruption(zoneConditions: ReadonlyMap<string, readonly (NodeCondition | undefined)[]>, nowMs: number): DisruptionOutcome {
    const next = new Map<string, { state: ZoneState; unhealthy: number; size: number }>();
    let allAreFullyDisrupted = true;
    for (const [zone, ready] of zoneConditions) {
      const { unhealthy, state } = computeZoneState(ready, this.settings.unhealthyZoneThreshold);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      next.set(zone, { state, unhealthy, size: ready.length });
      if (!this.states.has(zone)) this.states.set(zone, 'Initial');
    }
    for (const zone of [...this.states.keys()]) if (!zoneConditions.has(zone)) this.states.delete(zone);
    const allWasFullyDisrupted = [...this.states.values()].every((s) => s === 'FullDisruption');
    if (allAreFullyDisrupted && allWasFullyDisrupted) return { kind: 'zones', changes: [] };
    if (allAreFullyDisrupted) {
      const zones = [...this.states.keys()].sort();
      for (const zone of zones) {
        this.tainters.get(zone)?.swapLimiter(0, nowMs);
        this.states.set(zone, 'FullDisruption');
      }
      return { kind: 'enter-full-disruption', zones };
    }
    const changes: ZoneChange[] = [];
    for (const zone of [...this.states.keys()].sort()) {
      const from = this.states.get(zone)!;
      const to = next.get(zone)!;
      if (!allWasFullyDisrupted && from === to.state) continue;
      const qps = this.qpsFor(to.state, to.size);
      this.tainters.get(zone)?.swapLimiter(qps, nowMs);
      this.states.set(zone, to.state);
      changes.push({ zone, from, to: to.state, size: to.size, unhealthy: to.unhealthy, qps });
    }
    return allWasFullyDisrupted ? { kind: 'exit-full-disruption', changes } : { kind: 'zones', changes };
  }
}
