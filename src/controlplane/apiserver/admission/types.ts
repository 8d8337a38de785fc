import type { KubeObject, UserInfo } from '../../../api/meta.js';

/** admission.Attributes: one write, after authorization and before it reaches the store. */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** The object as it would be written (absent on DELETE). */
  readonly object?: KubeObject;
  /** The stored object on UPDATE and DELETE. */
  readonly oldObject?: KubeObject;
  readonly user: UserInfo;
}

/**
 * What a plugin decided. A mutating plugin returns a NEW object and never touches its inputs
 * (stored objects are shared). On refusal `message` is the text after `is forbidden: ` in the
 * 403, e.g. `node "a" is not allowed to modify node "b"`; the API server adds the
 * `nodes "b" is forbidden: ` prefix, as admission.NewForbidden does.
 */
export type AdmissionResult =
  | { readonly allowed: true; readonly object?: KubeObject; readonly note?: string }
  | { readonly allowed: false; readonly message: string };

/** An admission plugin of kube-apiserver's `--enable-admission-plugins`. */
export interface AdmissionPlugin {
  readonly name: string;
  admit(req: AdmissionRequest): AdmissionResult;
}
