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

export class WatchStep implements Step {
  constructor(
    readonly step: number,
    readonly t: number,
    private readonly connection: WatchConnectionInfo,
    private readonly event: WatchEventInfo,
    readonly heartbeat: boolean | undefined,
  ) {}

  get stage(): Stage {
    return this.connection.stage;
  }
  get from(): string {
    return 'kube-apiserver';
  }
  get to(): string {
    return this.connection.watcher;
  }
  get kind(): 'watch' {
    return 'watch';
  }
  get summary(): string {
    return this.event.summary;
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
  get after(): unknown {
    return this.event.object;
  }
  get revision(): number | undefined {
    return this.event.revision;
  }
  get detail(): unknown {
    return this.connection.detail;
  }

  /** The same JSON, field for field and in the same order, as a step recorded from a plain object. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      step: this.step,
      t: this.t,
      stage: this.stage,
      from: this.from,
      to: this.to,
      kind: this.kind,
      summary: this.summary,
      explanation: this.explanation,
      node: this.node,
      after: this.after,
      revision: this.revision,
      heartbeat: this.heartbeat,
      detail: this.detail,
    };
    for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
    return json;
  }
}
