import type { Stage } from '../sim/trace.js';
import type { Status, WatchEventType, KubeObject } from './meta.js';

/** What a client presents: a TLS client certificate, a bearer token, or nothing (anonymous). */
export interface Credentials {
  /** PEM client certificate (the TLS handshake's), verified against the cluster CA. */
  readonly clientCertificate?: string;
  /** `Authorization: Bearer <token>`: a bootstrap token or a service-account JWT. */
  readonly bearerToken?: string;
}

/** One HTTP request to kube-apiserver, plus what the transcript needs to explain it. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, exactly as on the wire: `/api/v1/namespaces/default/pods?watch=true`. */
  readonly path: string;
  readonly body?: unknown;
  /** For PATCH: `application/merge-patch+json` or `application/strategic-merge-patch+json`. */
  readonly contentType?: string;
  readonly credentials: Credentials;
  /** The calling component, as the transcript names it (`kubelet/worker-1`). */
  readonly from: string;
  /** Why the caller sends this request, in a sentence a learner can read. */
  readonly why: string;
  /** The node the request is about, for following one node. */
  readonly node?: string;
  readonly stage?: Stage;
  /** Routine repeats (lease renewals) that a UI folds. */
  readonly heartbeat?: boolean;
}

export interface ApiResponse {
  /** HTTP status; 0 when no response arrived (connection refused, timeout). */
  readonly status: number;
  readonly body?: KubeObject | Status | unknown;
  /** Transport-level failure text when `status` is 0, in Go's words (`dial tcp ...: connect: connection refused`). */
  readonly error?: string;
  /** The transcript step that recorded this exchange at the API server, when it got there. */
  readonly step?: number;
}

export interface WatchHandlers {
  onEvent(type: WatchEventType, object: KubeObject | Status): void;
  /** The stream ended: server went away, connection cut, or a 410 Expired error event. */
  onClose(reason: string): void;
}

export interface WatchHandle {
  readonly response: ApiResponse;
  cancel(): void;
}

/**
 * Why a request got no HTTP response, in a word for a status column: 'refused' when nothing
 * listened (Go's "connect: connection refused"), 'timeout' when nothing answered ("i/o timeout"),
 * 'reset' when the connection broke; else 'no response'.
 */
export function noResponseLabel(error: string | undefined): string {
  if (error?.includes('connection refused')) return 'refused';
  if (error?.includes('timeout')) return 'timeout';
  if (error?.includes('connection reset')) return 'reset';
  return 'no response';
}

/** A recorded request's outcome as a status column shows it: the HTTP code, or why there was none. */
export function statusLabel(step: { readonly status?: number; readonly response?: unknown }): string {
  if (step.status !== 0) return step.status === undefined ? '' : String(step.status);
  return noResponseLabel((step.response as { error?: unknown } | undefined)?.error as string | undefined);
}
