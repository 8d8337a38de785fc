import type { Credentials, ApiRequest, ApiResponse, WatchHandlers } from '../../api/request.js';
import type { Stage } from '../../sim/trace.js';
import type { Actor, Process } from '../../sim/simulation.js';
import type { Transport, OpenWatch } from './transport.js';

/** What a caller says about a request besides the HTTP parts. */
export interface CallOptions {
  readonly why: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly stage?: Stage;
  readonly heartbeat?: boolean;
}

/**
 * One component's connection to the API server (client-go's rest.Interface): its name in the
 * transcript, the host it runs on, and its credentials, which can change (the kubelet swaps its
 * bootstrap token for a certificate).
 */
export class RestClient {
  credentials: Credentials;

  constructor(
    readonly transport: Transport,
    readonly actor: Actor,
    /** The machine the component runs on; partitions are per host. */
    readonly host: string,
    /** The component's name in the transcript (`kubelet/worker-1`, `kube-scheduler`). */
    readonly name: string,
    credentials: Credentials,
    /** The node this component belongs to, for following one node in the UI. */
    readonly node?: string,
  ) {
    this.credentials = credentials;
  }

  private build(method: ApiRequest['method'], path: string, options: CallOptions): ApiRequest {
    return {
      method,
      path,
      body: options.body,
      contentType: options.contentType,
      credentials: this.credentials,
      from: this.name,
      why: options.why,
      node: this.node,
      stage: options.stage,
      heartbeat: options.heartbeat,
    };
  }

  *call(method: ApiRequest['method'], path: string, options: CallOptions): Process<ApiResponse> {
    return yield* this.transport.request(this.actor, this.host, this.build(method, path, options));
  }

  get(path: string, options: CallOptions): Process<ApiResponse> {
    return this.call('GET', path, options);
  }

  create(path: string, body: unknown, options: CallOptions): Process<ApiResponse> {
    return this.call('POST', path, { ...options, body });
  }

  update(path: string, body: unknown, options: CallOptions): Process<ApiResponse> {
    return this.call('PUT', path, { ...options, body });
  }

  /** A strategic-merge patch, as kubelets and controllers send for status. */
  patch(path: string, body: unknown, options: CallOptions, contentType = 'application/strategic-merge-patch+json'): Process<ApiResponse> {
    return this.call('PATCH', path, { ...options, body, contentType });
  }

  delete(path: string, options: CallOptions & { gracePeriodSeconds?: number }): Process<ApiResponse> {
    const body = options.gracePeriodSeconds === undefined ? undefined : { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: options.gracePeriodSeconds };
    return this.call('DELETE', path, { ...options, body });
  }

  watch(path: string, options: CallOptions, handlers: WatchHandlers & { onOpen(res: ApiResponse): void }, timeoutMs?: number): OpenWatch {
    return this.transport.watch(this.actor, this.host, this.build('GET', path, options), handlers, timeoutMs);
  }
}
