import type { KubeObject, Status, WatchEventType } from '../../api/meta.js';
import type { Stage, Step } from '../../sim/trace.js';

/**
 * The step for one watch event delivered to one watcher, kept compact: a Node update fanned
 * out to a thousand watchers is a thousand steps, so each holds only its number, time and
 * heartbeat flag plus two shared records: the event (object, summary, revision: one per event,
 * whoever receives it) and the watch connection (watcher, path, stage: one per watch). The
 * explanation is worded when it is read, not stored.
 */
export interface WatchConnectionInfo {
  /** The watcher (the request's `from`). */
  readonly watcher: string;
  readonly path: string;
  readonly node?: string;
  readonly stage: Stage;
  /** The step detail every event on this watch shares. */
  readonly detail: { readonly watch: string };
}

export interface WatchEventInfo {
  readonly type: WatchEventType;
  readonly object: KubeObject | Status;
  readonly summary: string;
  readonly revision?: number;
}

const shared = new WeakMap<object, Map<WatchEventType, WatchEventInfo>>();

/** The event record all watchers of this object and event type share. */
export function watchEventInfo(type: WatchEventType, object: KubeObject | Status): WatchEventInfo {
  let byType = shared.get(object);
  if (!byType) shared.set(object, (byType = new Map()));
  let info = byType.get(type);
  if (!info) {
    const obj = object as KubeObject;
    const meta = obj.metadata ?? {};
    const name = meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name ?? '';
    const revision = Number((meta as { resourceVersion?: string }).resourceVersion ?? 0) || undefined;
    const summary =
      type === 'ERROR'
        ? `watch ERROR ${(object as Status).code} ${(object as Status).reason}`
        : type === 'BOOKMARK'
          ? `watch BOOKMARK at resourceVersion ${revision}`
          : `watch ${type} ${obj.kind} ${name}`;
    info = { type, object, summary, revision };
    byType.set(type, info);
  }
  return info;
}

/** What a watch step has whoever receives it: the event, its sender, its time and number. */
abstract class EventStep implements Step {
  constructor(
    readonly step: number,
    readonly t: number,
    protected readonly event: WatchEventInfo,
    readonly heartbeat: boolean | undefined,
  ) {}

  abstract readonly stage: Stage;
  abstract readonly to: string;
  abstract readonly explanation: string;
  abstract readonly node: string | undefined;
  abstract readonly detail: unknown;

  get from(): string {
    return 'kube-apiserver';
  }
  get kind(): 'watch' {
    return 'watch';
  }
  get summary(): string {
    return this.event.summary;
  }
  get after(): unknown {
    return this.event.object;
  }
  get revision(): number | undefined {
    return this.event.revision;
  }

  /** The same JSON, field for field and in the same order, as a step recorded from a plain object. */
  toJSON(): Record<string, unknown> {
    return stepJson(this);
  }
}

export class WatchStep extends EventStep {
  constructor(
    step: number,
    t: number,
    private readonly connection: WatchConnectionInfo,
    event: WatchEventInfo,
    heartbeat: boolean | undefined,
  ) {
    super(step, t, event, heartbeat);
  }

  get stage(): Stage {
    return this.connection.stage;
  }
  get to(): string {
    return this.connection.watcher;
  }
  get explanation(): string {
    const { type, revision } = this.event;
    const watcher = this.connection.watcher;
    if (type === 'BOOKMARK') {
      return `${watcher} asked for bookmarks (allowWatchBookmarks=true), so kube-apiserver's watch cache sends one about every minute and once more 2s before the watch times out: an empty ${(this.event.object as KubeObject).kind ?? ''} carrying only the current resourceVersion. ${watcher} can then resume its watch from there, even if nothing it watches has changed, instead of from an old revision that may be gone (410 Expired).`;
    }
    if (type === 'ERROR') {
      return `The watch cannot resume from the revision ${watcher} asked for: it has been compacted away. The stream carries a 410 Expired error event and the client must list again.`;
    }
    return `${watcher} keeps a watch open (${this.connection.path.split('?')[0]}), so kube-apiserver pushes every change to it instead of being polled; this ${type} event carries the object at resourceVersion ${revision ?? '?'}.`;
  }
  get node(): string | undefined {
    return this.connection.node;
  }
  get detail(): unknown {
    return this.connection.detail;
  }
}

/** How many receivers a one-line rendering names before it says how many more there are. */
export const RECIPIENTS_NAMED = 3;

/**
 * "kubelet/worker-1, kube-proxy/worker-1, kube-proxy/worker-2, … +97 more": receivers for one
 * line of text. A process with several watches on the resource (two controllers in
 * kube-controller-manager) is named once, with how many: "kube-controller-manager ×2".
 */
export function namedRecipients(recipients: readonly string[], named = RECIPIENTS_NAMED): string {
  const counts = new Map<string, number>();
  for (const r of recipients) counts.set(r, (counts.get(r) ?? 0) + 1);
  const names = [...counts].map(([r, n]) => (n > 1 ? `${r} ×${n}` : r));
  const shown = names.slice(0, named).join(', ');
  return names.length > named ? `${shown}, … +${names.length - named} more` : shown;
}

/**
 * One watch event delivered to several watchers at the same moment, recorded once with its
 * receivers: kube-apiserver still sends each watcher its own copy on its own connection (and each
 * informer still handles it), but a Node or EndpointSlice update that reaches every node is one
 * step, not one per node.
 */
export class FanOutWatchStep extends EventStep {
  constructor(
    step: number,
    t: number,
    private readonly connections: readonly WatchConnectionInfo[],
    event: WatchEventInfo,
    heartbeat: boolean | undefined,
  ) {
    super(step, t, event, heartbeat);
  }

  get stage(): Stage {
    return this.connections[0].stage;
  }
  get to(): string {
    return `${this.connections.length} watchers`;
  }
  get recipients(): readonly string[] {
    return this.connections.map((c) => c.watcher);
  }
  get explanation(): string {
    const { type, revision } = this.event;
    const paths = [...new Set(this.connections.map((c) => c.path.split('?')[0]))];
    return `${this.connections.length} watchers keep a watch open on ${paths.join(', ')} (${namedRecipients(this.recipients)}), so kube-apiserver pushes this ${type} event, the object at resourceVersion ${revision ?? '?'}, to each of them on its own connection; every one gets its own copy and its informer handles it. The transcript shows the delivery once, with its receivers.`;
  }
  /** The node all receivers run on, when they share one. */
  get node(): string | undefined {
    const node = this.connections[0].node;
    return this.connections.every((c) => c.node === node) ? node : undefined;
  }
  get detail(): unknown {
    return { watches: this.connections.map((c) => ({ watcher: c.watcher, watch: c.detail.watch })) };
  }

  override toJSON(): Record<string, unknown> {
    return stepJson(this, this.recipients);
  }
}

/** A step's JSON, field for field and in the same order as a step recorded from a plain object; fields left undefined are left out. */
function stepJson(step: Step, recipients?: readonly string[]): Record<string, unknown> {
  const json: Record<string, unknown> = {
    step: step.step,
    t: step.t,
    stage: step.stage,
    from: step.from,
    to: step.to,
    recipients,
    kind: step.kind,
    summary: step.summary,
    explanation: step.explanation,
    node: step.node,
    after: step.after,
    revision: step.revision,
    heartbeat: step.heartbeat,
    detail: step.detail,
  };
  for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
  return json;
}
