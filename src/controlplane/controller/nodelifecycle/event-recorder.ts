import { EPOCH_MS } from '../../../sim/clock.js';
import type { Process } from '../../../sim/simulation.js';
import type { Stage } from '../../../sim/trace.js';
import type { ControllerContext } from '../context.js';

/**
 * client-go's record.EventRecorder with the broadcaster's API sink: a controller "records" an
 * Event and a separate goroutine POSTs it, so a slow or failing events write never holds up the
 * controller. Events are named `<object>.<unix nanoseconds in hex>` and live in the object's
 * namespace, or in `default` for cluster-scoped objects such as Nodes.
 */
export interface ObjectReference {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
}

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  /** Breaks ties between events for the same object in the same virtual millisecond. */
  private seq = 0;

  constructor(
    private readonly ctx: ControllerContext,
    /** The `source.component` the real recorder is created with (`node-controller`, ...). */
    private readonly component: string,
    private readonly stage: Stage,
  ) {}

  /** Records an event; `why` explains to the learner why the controller reports it. */
  event(ref: ObjectReference, type: EventType, reason: string, message: string, why: string): void {
    this.ctx.sim.spawn(this.ctx.actor, this.post(ref, type, reason, message, why));
  }

  private *post(ref: ObjectReference, type: EventType, reason: string, message: string, why: string): Process<void> {
    const namespace = ref.namespace || 'default';
    const nanos = BigInt(EPOCH_MS + this.ctx.sim.nowMs) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const now = this.ctx.sim.clock.rfc3339();
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${ref.name}.${nanos.toString(16)}`, namespace },
      involvedObject: { apiVersion: ref.apiVersion ?? 'v1', kind: ref.kind, name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}), ...(ref.uid ? { uid: ref.uid } : {}) },
      reason,
      message,
      source: { component: this.component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.component,
      reportingInstance: '',
    };
    // A failed event write is dropped, as the broadcaster does after its retries; nothing depends on it.
    yield* this.ctx.client.create(`/api/v1/namespaces/${namespace}/events`, body, { why, stage: this.stage });
  }
}
