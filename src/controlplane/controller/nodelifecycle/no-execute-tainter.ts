import { sleep, type Process } from '../../../sim/simulation.js';
import type { ControllerContext } from '../context.js';
import { NodeTaintWriter, NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE } from './node-taints.js';
import { getCondition, taintExists, taintText, type NodeCondition, type NodeObject, type Taint } from './types.js';
import { zoneKey, zoneName, type ZoneTainters } from './zones.js';

/**
 * The NoExecute half of the node lifecycle controller: `processTaintBaseEviction`,
 * `markNodeForTainting`, `markNodeAsReachable` and `doNoExecuteTaintingPass`. A node that is not
 * Ready is queued in its zone's tainter; a pass every 100ms (scheduler.NodeEvictionPeriod) takes
 * nodes off the queues as fast as each zone's rate limiter allows and adds `not-ready` or
 * `unreachable` with effect NoExecute, never both.
 */
const PASS_PERIOD_MS = 100;

export class NoExecuteTainter {
  private running = false;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly zones: ZoneTainters,
    private readonly taints: NodeTaintWriter,
    private readonly getNode: (name: string) => NodeObject | undefined,
  ) {}

  /** Reacts to the Ready condition the node had at the start of this monitor pass. */
  *processTaintBaseEviction(node: NodeObject, observed: NodeCondition): Process<void> {
    const [add, opposite] = observed.status === 'False' ? [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE] : [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE];
    if (observed.status === 'True') {
      yield* this.markNodeAsReachable(node, `${node.metadata.name} is Ready again`);
      return;
    }
    if (taintExists(node.spec?.taints, opposite)) {
      // Already evicting for the other reason: swap at once, without waiting for the rate limiter.
      const why = `${node.metadata.name}'s Ready condition is now ${observed.status}, so the node lifecycle controller swaps ${taintText(opposite)} for ${taintText(add)} straight away: the two mirror Ready=False and Ready=Unknown and are never both present.`;
      this.record(node.metadata.name ?? '', `swap ${opposite.key} for ${add.key} (NoExecute) on ${node.metadata.name}`, why);
      yield* this.taints.swap(node, [add], [opposite], why);
      return;
    }
    this.markNodeForTainting(node, add);
  }

  private markNodeForTainting(node: NodeObject, taint: Taint): void {
    const name = node.metadata.name ?? '';
    const queue = this.zones.tainter(zoneKey(node));
    if (!queue) return;
    if (!taintExists(node.spec?.taints, taint)) queue.remove(name);
    if (queue.add(name, node.metadata.uid ?? '', this.ctx.sim.nowMs)) this.wake();
  }

  /** Removes both NoExecute taints (if present) and forgets the node in its zone's tainter. */
  *markNodeAsReachable(node: NodeObject, reason: string): Process<boolean> {
    const name = node.metadata.name ?? '';
    const present = [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE].filter((t) => taintExists(node.spec?.taints, t));
    const why = `The node lifecycle controller removes ${present.map(taintText).join(' and ')} from ${name}: ${reason}. Pods waiting out their tolerationSeconds on it are no longer evicted.`;
    if (present.length) this.record(name, `remove ${present.map(taintText).join(', ')} from ${name}`, why);
    for (const taint of [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE]) {
      if (!(yield* this.taints.remove(name, node, [taint], why))) return false;
    }
    this.zones.tainter(zoneKey(node))?.remove(name);
    return true;
  }

  /** Starts the 100ms tainting passes if they are not running; they stop when nothing can be done. */
  wake(): void {
    if (this.running) return;
    this.running = true;
    this.ctx.sim.spawn(this.ctx.actor, this.loop());
  }

  private *loop(): Process<void> {
    for (;;) {
      yield* this.doNoExecuteTaintingPass();
      // Queues that are empty, or stopped (rate 0, full disruption), need no more passes until woken.
      const pending = this.zones.zones().some((z) => {
        const q = this.zones.tainter(z);
        return q !== undefined && q.length > 0 && q.limiter.qps > 0;
      });
      if (!pending) {
        this.running = false;
        return;
      }
      yield* sleep(this.ctx.sim, this.ctx.actor, PASS_PERIOD_MS);
    }
  }

  private *doNoExecuteTaintingPass(): Process<void> {
    for (const zone of this.zones.zones()) {
      for (;;) {
        const queue = this.zones.tainter(zone);
        const head = queue?.head();
        const now = this.ctx.sim.nowMs;
        if (!queue || !head || !queue.limiter.tryAccept(now) || now < head.processAtMs) break;
        const result = yield* this.taintNode(head.value, zone);
        if (result.done) queue.removeFromQueue(head.value);
        else queue.retryAt(head.value, now + result.retryMs + 1);
      }
    }
  }

  private *taintNode(name: string, zone: string): Process<{ done: boolean; retryMs: number }> {
    const node = this.getNode(name);
    if (!node) return { done: true, retryMs: 0 };
    const ready = getCondition(node.status?.conditions, 'Ready');
    if (!ready) return { done: false, retryMs: 50 };
    if (ready.status === 'True') return { done: true, retryMs: 0 };
    const [add, opposite] = ready.status === 'False' ? [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE] : [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE];
    const rate = this.zones.tainter(zone)?.limiter.qps ?? 0;
    const why = `${name} is Ready=${ready.status}${ready.status === 'Unknown' ? ' (unreachable: no heartbeat)' : ' (its kubelet reports a problem)'}, so the node lifecycle controller adds ${taintText(add)}. The taint-eviction controller then evicts pods that do not tolerate it; most pods tolerate it for 300s (DefaultTolerationSeconds). Taints like this are added at most ${rate} per second in ${zoneName(zone)}, so a zone-wide outage does not empty the cluster at once.`;
    this.record(name, `taint ${name} ${taintText(add)}`, why);
    const ok = yield* this.taints.swap(node, [add], [opposite], why);
    return { done: ok, retryMs: 0 };
  }

  private record(node: string, summary: string, explanation: string): void {
    this.ctx.sim.recorder.record({ stage: 'synchronization', from: this.ctx.client.name, to: this.ctx.client.name, kind: 'decision', node, summary, explanation });
  }
}
