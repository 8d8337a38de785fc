import type { KubeObject, Status, WatchEventType } from '../../api/meta.js';
import type { ApiRequest, ApiResponse, WatchHandlers } from '../../api/request.js';
import type { Stage } from '../../sim/trace.js';
import { Actor, type Batch, type Process, type Simulation } from '../../sim/simulation.js';
import type { ApiServer } from '../apiserver/apiserver.js';
import { parseRequestInfo } from '../apiserver/request-info.js';
import { stageOf } from '../apiserver/classify.js';
import type { Network } from './network.js';
import { FanOutWatchStep, watchEventInfo, WatchStep, type WatchConnectionInfo, type WatchEventInfo } from './watch-step.js';

/**
 * The wire between a component and kube-apiserver: it adds the network's delay, fails requests
 * the network cannot carry, and delivers watch events one by one, recording each delivery as a
 * step addressed to the watcher.
 */
export interface OpenWatch {
  cancel(): void;
}

/** The watch cache's bookmark period (defaultBookmarkFrequency in the cacher). */
const BOOKMARK_FREQUENCY_MS = 60_000;

/**
 * The deliveries of one watch event that arrive at the same moment: recorded as one step when
 * the first of them is handled, naming every watcher still connected then.
 */
interface FanOut {
  readonly key: string;
  readonly event: WatchEventInfo;
  readonly at: number;
  readonly heartbeat: boolean | undefined;
  readonly members: { readonly connection: WatchConnectionInfo; readonly receives: () => boolean }[];
  recorded: boolean;
}

export class Transport {
  private readonly open = new Set<{ host: string; actor: Actor; close: (reason: string) => void }>();
  /**
   * Fan-outs whose deliveries are still on the wire, by event: its type, object and revision
   * (a deletion reaches each watcher as its own copy of the object, so not by identity).
   */
  private readonly fanOuts = new Map<string, FanOut>();
  /** Watch deliveries due at the same moment, run as one queue entry (see Simulation.scheduleBatched). */
  private readonly deliveries: Batch = { open: undefined };

  constructor(
    readonly sim: Simulation,
    readonly apiserver: ApiServer,
    readonly network: Network,
  ) {
    network.onChange(() => {
      for (const conn of [...this.open]) {
        const failure = network.failure(conn.host);
        if (failure) conn.close(failure.error);
      }
    });
  }

  /** Drops the open watches of a stopped process, as its TCP connections would be reset. */
  closeActor(actor: Actor): void {
    for (const conn of [...this.open]) if (conn.actor === actor) conn.close('connection reset by peer');
  }

  /** A round trip: the request reaches the API server after one delay, the answer after another. */
  *request(actor: Actor, host: string, req: ApiRequest): Process<ApiResponse> {
    const sim = this.sim;
    const network = this.network;
    const response = (yield {
      start: (resume) => {
        const failure = network.failure(host);
        if (failure) {
          sim.schedule(actor, failure.delayMs, () => {
            this.recordFailure(req, failure.error);
            resume({ status: 0, error: failure.error });
          });
          return;
        }
        sim.schedule(actor, network.latencyMs, () => {
          const late = network.failure(host);
          if (late) {
            this.recordFailure(req, late.error);
            resume({ status: 0, error: late.error });
            return;
          }
          const res = this.apiserver.handle(req);
          sim.schedule(actor, network.latencyMs, () => resume(res));
        });
      },
    }) as ApiResponse;
    return response;
  }

  /**
   * Opens a watch. `onOpen` gets the API server's answer; events then arrive with the network's
   * delay. The stream ends (onClose) when the connection breaks, the server goes away, or the
   * server-side timeout the client asked for runs out.
   */
  watch(actor: Actor, host: string, req: ApiRequest, handlers: WatchHandlers & { onOpen(res: ApiResponse): void }, timeoutMs?: number): OpenWatch {
    const sim = this.sim;
    let closed = false;
    let serverCancel = (): void => {};
    const conn = {
      host,
      actor,
      close: (reason: string) => {
        if (closed) return;
        closed = true;
        this.open.delete(conn);
        serverCancel();
        sim.schedule(actor, this.network.latencyMs, () => handlers.onClose(reason));
      },
    };
    const parsed = parseRequestInfo(req.method, req.path);
    const stage: Stage = req.stage ?? ('error' in parsed ? 'synchronization' : stageOf(parsed));
    const connection: WatchConnectionInfo = { watcher: req.from, path: req.path, node: req.node, stage, detail: { watch: req.path } };
    const failure = this.network.failure(host);
    if (failure) {
      sim.schedule(actor, failure.delayMs, () => {
        this.recordFailure(req, failure.error);
        handlers.onOpen({ status: 0, error: failure.error });
      });
      return { cancel: () => {} };
    }
    sim.schedule(actor, this.network.latencyMs, () => {
      if (closed) return;
      this.open.add(conn);
      const handle = this.apiserver.watch(req, {
        onEvent: (type, object) => {
          const heartbeat = this.apiserver.currentRequest?.heartbeat;
          const group = this.fanOutOf(watchEventInfo(type, object), sim.nowMs + this.network.latencyMs, heartbeat);
          group.members.push({ connection, receives: () => actor.alive && (!closed || type === 'ERROR') });
          sim.scheduleBatched(this.deliveries, actor, this.network.latencyMs, () => {
            if (closed && type !== 'ERROR') return;
            this.recordFanOut(group);
            handlers.onEvent(type, object);
          });
        },
        onClose: (reason) => conn.close(reason),
      });
      serverCancel = handle.cancel;
      const res = handle.response;
      sim.schedule(actor, this.network.latencyMs, () => handlers.onOpen(res));
      if (res.status !== 200) {
        closed = true;
        this.open.delete(conn);
        return;
      }
      if (timeoutMs) {
        if (req.path.includes('allowWatchBookmarks=true')) this.scheduleBookmarks(actor, req, connection, handlers, timeoutMs, () => closed);
        sim.schedule(actor, timeoutMs, () => conn.close('watch timeout'));
      }
    });
    return { cancel: () => { if (!closed) { closed = true; this.open.delete(conn); serverCancel(); } } };
  }

  /**
   * Watch bookmarks as the watch cache sends them (cacher's cacheWatcher.nextBookmarkTime): to a
   * watch that asked for them (allowWatchBookmarks=true), about every minute
   * (defaultBookmarkFrequency) and once more 2s before the watch's deadline, so that a client
   * whose resources did not change still learns a recent resourceVersion to resume from.
   */
  private scheduleBookmarks(actor: Actor, req: ApiRequest, connection: WatchConnectionInfo, handlers: WatchHandlers, timeoutMs: number, isClosed: () => boolean): void {
    const sim = this.sim;
    // The server's deadline is the timeoutSeconds the client asked for.
    const seconds = /[?&]timeoutSeconds=(\d+)/.exec(req.path)?.[1];
    const deadlineMs = sim.nowMs + (seconds === undefined ? timeoutMs : Number(seconds) * 1000);
    const nextAt = (): number => Math.min(sim.nowMs + BOOKMARK_FREQUENCY_MS, deadlineMs - 2_000);
    const fire = (): void => {
      if (isClosed()) return;
      const bookmark = this.apiserver.bookmark(req.path);
      if (!bookmark) return;
      sim.schedule(actor, this.network.latencyMs, () => {
        if (isClosed()) return;
        this.recordEvent(connection, 'BOOKMARK', bookmark, true);
        handlers.onEvent('BOOKMARK', bookmark);
      });
      const at = nextAt();
      if (at > sim.nowMs) sim.schedule(actor, at - sim.nowMs, fire);
    };
    sim.schedule(actor, nextAt() - sim.nowMs, fire);
  }

  /** The fan-out this delivery joins: the event's deliveries due at the same moment. */
  private fanOutOf(event: WatchEventInfo, at: number, heartbeat: boolean | undefined): FanOut {
    const key = `${event.summary} ${event.revision}`;
    // An error (410 Expired) is about one watcher's own resourceVersion: never shared.
    if (event.type === 'ERROR') return { key, event, at, heartbeat, members: [], recorded: false };
    let group = this.fanOuts.get(key);
    if (!group || group.at !== at || group.recorded) this.fanOuts.set(key, (group = { key, event, at, heartbeat, members: [], recorded: false }));
    return group;
  }

  /** Records a fan-out once, as its first delivery is handled: one watcher, or several in one step. */
  private recordFanOut(group: FanOut): void {
    if (group.recorded) return;
    group.recorded = true;
    if (this.fanOuts.get(group.key) === group) this.fanOuts.delete(group.key);
    const connections = group.members.filter((m) => m.receives()).map((m) => m.connection);
    const { event, heartbeat } = group;
    if (connections.length === 1) this.sim.recorder.append((step, t) => new WatchStep(step, t, connections[0], event, heartbeat));
    else this.sim.recorder.append((step, t) => new FanOutWatchStep(step, t, connections, event, heartbeat));
  }

  private recordEvent(connection: WatchConnectionInfo, type: WatchEventType, object: KubeObject | Status, heartbeat: boolean | undefined): void {
    const event = watchEventInfo(type, object);
    this.sim.recorder.append((step, t) => new WatchStep(step, t, connection, event, heartbeat));
  }

  private recordFailure(req: ApiRequest, error: string): void {
    this.sim.recorder.record({
      stage: req.stage ?? 'synchronization',
      from: req.from,
      to: 'kube-apiserver',
      kind: 'request',
      summary: `${req.method} ${req.path.split('?')[0]} → ${error.includes('connection refused') ? 'connection refused' : `no response (${error.split(': ').pop()})`}`,
      explanation: `${req.why} ${error.includes('connection refused') ? `The connection was refused (${error}): nothing listens on the API server's port` : `The request never got an answer: ${error}`}.`,
      node: req.node,
      method: req.method,
      path: req.path,
      status: 0,
      request: req.body,
      response: { error },
      // A failed request is never a heartbeat, even when it was a routine renewal: it is news.
    });
  }
}

export { Actor };
