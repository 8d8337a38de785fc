/** Shapes shared by the IPAM models and the CNI plugin model. */

/** A CNI error result (SPEC "Error"): codes 0-99 are the spec's; plugins use 999 for internal errors. */
export interface CniError {
  readonly code: number;
  readonly msg: string;
  readonly details?: string;
}

export interface IpAllocation {
  readonly ip: string;
  /** The prefix the pod's interface gets (24 for host-local, 32 for Calico, 12 for Weave). */
  readonly prefixLength: number;
  readonly gateway?: string;
}

/** IPAM is state in, state out, so a simulation can keep and replay it. */
export type AllocateResult<S> =
  | { readonly ok: true; readonly state: S; readonly allocation: IpAllocation }
  | { readonly ok: false; readonly state: S; readonly error: CniError };
