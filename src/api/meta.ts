/**
 * The wire shapes of Kubernetes objects, as JSON. Objects are plain data; once written to the
 * store they are never mutated (writers build a new object), which is what lets steps, watch
 * events and store history share them by reference.
 */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // Resource-specific fields (spec, status, data, ...) are typed by the resource modules.
  [field: string]: unknown;
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

/** metav1.Status: the body of every API error. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message: string; field?: string }[]; retryAfterSeconds?: number };
  code: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T | Status;
}

/** The user a request authenticated as (k8s.io/apiserver/pkg/authentication/user.Info). */
export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** authorizer.Attributes: what an authorizer decides on. */
export interface Attributes {
  readonly user: UserInfo;
  readonly verb: string;
  readonly resourceRequest: boolean;
  /** For non-resource requests (`/healthz`). */
  readonly path?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Field and label selectors, as the Node authorizer needs them for AuthorizeNodeWithSelectors. */
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
}

export type Decision = 'allow' | 'deny' | 'no-opinion';

export interface AuthorizationResult {
  readonly decision: Decision;
  /** Why, in the words the real authorizer logs (shown in a step's explanation). */
  readonly reason: string;
  /** Which authorizer decided ("Node", "RBAC"). */
  readonly authorizer?: string;
}

export const SYSTEM_AUTHENTICATED = 'system:authenticated';
export const SYSTEM_NODES = 'system:nodes';
export const SYSTEM_BOOTSTRAPPERS = 'system:bootstrappers';
export const NODE_USER_PREFIX = 'system:node:';
