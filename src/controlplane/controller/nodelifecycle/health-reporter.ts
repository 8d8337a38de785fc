import { formatVirtualTime } from '../../../sim/clock.js';
import type { StepInput } from '../../../sim/trace.js';
import type { ControllerContext } from '../context.js';
import type { HealthEvaluation } from './node-health.js';
import { taintText, type NodeCondition, type NodeObject, type Taint } from './types.js';
import { zoneName, type DisruptionOutcome } from './zones.js';

/**
 * The node lifecycle controller's explanations: the steps a learner reads when a grace period
 * runs out, a node stops being Ready, NoSchedule taints follow conditions, or zone disruption
 * changes how fast nodes are tainted. Routine passes that change nothing record nothing.
 */
export class HealthReporter {
  constructor(private readonly ctx: ControllerContext) {}

  private record(step: Omit<StepInput, 'stage' | 'from' | 'to'>): void {
    this.ctx.sim.recorder.record({ stage: 'synchronization', from: this.ctx.client.name, to: this.ctx.client.name, ...step });
  }

  graceExpired(node: string, evaluation: HealthEvaluation, nowMs: number): void {
    const { health, gracePeriodMs } = evaluation;
    const silentMs = nowMs - health.probeTimestampMs;
    const neverPosted = evaluation.update?.neverPosted;
    const flag = neverPosted ? '--node-startup-grace-period' : '--node-monitor-grace-period';
    this.record({
      kind: 'timer',
      node,
      summary: `${node}: no heartbeat for ${silentMs / 1000}s > ${flag}=${gracePeriodMs / 1000}s`,
      explanation: neverPosted
        ? `Node ${node} was created ${silentMs / 1000}s ago and its kubelet has never posted a Ready condition nor renewed a Lease. Past the ${gracePeriodMs / 1000}s startup grace period the node lifecycle controller marks its conditions Unknown (NodeStatusNeverUpdated).`
        : `The node lifecycle controller checks every node each --node-monitor-period (${this.ctx.config.nodeMonitorPeriodMs / 1000}s). It last saw ${node}'s Lease renewed or its Ready heartbeat change at t=${formatVirtualTime(health.probeTimestampMs)}, by its own clock. Now, ${silentMs / 1000}s later, the ${gracePeriodMs / 1000}s grace period (Kubernetes ${this.ctx.config.kubernetesVersion}) has run out: the kubelet may be dead, the machine off, or the network cut. The controller cannot tell which, so the conditions become Unknown.`,
      detail: { probeTimestampMs: health.probeTimestampMs, gracePeriodMs, lastLeaseRenewTime: health.leaseRenewTime, lastHeartbeatTime: health.ready?.lastHeartbeatTime },
    });
  }

  readyLost(node: string, current: NodeCondition, podCount: number): void {
    this.record({
      kind: 'decision',
      node,
      summary: `${node} is no longer Ready (${current.status})${podCount ? `: mark its ${podCount} pod${podCount === 1 ? '' : 's'} not ready` : ''}`,
      explanation: `${node}'s Ready condition went from True to ${current.status}. The node lifecycle controller records a NodeNotReady event and sets Ready=False on every pod bound to ${node}, so Services stop sending them traffic. It does not delete them: that waits for the NoExecute taint and the pods' tolerations.`,
    });
  }

  /** Records the NoSchedule change and returns the `why` for its PATCH. */
  noScheduleTaints(node: NodeObject, add: readonly Taint[], remove: readonly Taint[]): string {
    const name = node.metadata.name ?? '';
    const parts = [add.length ? `add ${add.map(taintText).join(', ')}` : '', remove.length ? `remove ${remove.map(taintText).join(', ')}` : ''].filter(Boolean);
    const why = `NoSchedule taints mirror ${name}'s conditions (Ready=False → not-ready, Ready=Unknown → unreachable, pressure conditions, cordon), so the node lifecycle controller will ${parts.join(' and ')}. kube-scheduler then keeps new pods off a node that cannot run them; running pods are not affected.`;
    this.record({ kind: 'decision', node: name, summary: `${parts.join(', ')} on ${name}`, explanation: why });
    return why;
  }

  disruption(outcome: DisruptionOutcome, nodeCount: number): void {
    if (outcome.kind === 'enter-full-disruption') {
      this.record({
        kind: 'decision',
        summary: `every node looks unhealthy: no mass eviction (${nodeCount} node${nodeCount === 1 ? '' : 's'})`,
        explanation: `No zone has a single Ready node. When everything fails at once, the likelier culprit is the control plane's own view (its network, kube-apiserver) rather than every node, so the node lifecycle controller enters "master disruption mode": it removes the NoExecute not-ready/unreachable taints and stops adding them, so no pod is evicted because of this.`,
      });
      return;
    }
    if (outcome.kind === 'exit-full-disruption') {
      this.record({
        kind: 'decision',
        summary: 'some nodes are Ready again: leave master disruption mode',
        explanation: 'At least one node is Ready again, so the node lifecycle controller resumes normal tainting. It restarts every node\'s grace period from now, so nodes are not tainted for the time the outage lasted.',
        detail: { zones: outcome.changes },
      });
      return;
    }
    for (const change of outcome.changes) {
      if (change.from === 'Initial' && change.to === 'Normal') continue;
      this.record({
        kind: 'decision',
        summary: `${zoneName(change.zone)}: ${change.from} → ${change.to} (${change.unhealthy}/${change.size} not ready)`,
        explanation: `${change.unhealthy} of ${change.size} nodes in ${zoneName(change.zone)} are not Ready. ${change.to === 'PartialDisruption' ? `That is at least --unhealthy-zone-threshold=${this.ctx.config.unhealthyZoneThreshold} (and more than 2 nodes), so NoExecute tainting in this zone slows to ${change.qps} nodes/s${change.qps === 0 ? ` (it stops: the cluster has no more than --large-cluster-size-threshold=${this.ctx.config.largeClusterSizeThreshold} nodes)` : ''}.` : change.to === 'FullDisruption' ? `No node in the zone is Ready, but other zones are, so tainting continues at ${change.qps} nodes/s.` : `Tainting runs at the normal --node-eviction-rate=${change.qps} nodes/s.`}`,
        detail: change,
      });
    }
  }
}
