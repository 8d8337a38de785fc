import type { SchedulingNode, SchedulingPod } from '../types.js';

/**
 * The scheduling framework's vocabulary (pkg/scheduler/framework): a Filter plugin answers per
 * node with a status code and reasons; the codes decide whether preemption could help.
 */
export type StatusCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterStatus {
  readonly code: StatusCode;
  /** The plugin's reasons in its exact words ("Insufficient cpu"); they build the FitError message. */
  readonly reasons: readonly string[];
  readonly plugin: string;
}

/** What the scheduler cache knows about one node: the node plus the pods counted on it. */
export interface NodeInfo {
  readonly node: SchedulingNode;
  readonly name: string;
  /** Sum of the requests of the pods on the node (assumed ones included). */
  readonly requested: Resources;
  /** The same with the scoring defaults (100m, 200Mi) for pods that request nothing. */
  readonly nonZeroRequested: Resources;
  readonly allocatable: Resources & { readonly pods: number };
  readonly pods: readonly SchedulingPod[];
}

export interface Resources {
  readonly milliCpu: number;
  readonly memory: number;
}

export interface FilterPlugin {
  readonly name: string;
  filter(pod: SchedulingPod, nodeInfo: NodeInfo): FilterStatus;
}

/**
 * A plugin's Success status. Statuses are never changed once made, so each plugin's is made once
 * and shared: filtering runs once per node per attempt, and a fresh object each time is garbage.
 */
export const SUCCESS = (plugin: string): FilterStatus => {
  let status = successes.get(plugin);
  if (!status) successes.set(plugin, (status = frozenStatus('Success', [], plugin)));
  return status;
};

const successes = new Map<string, FilterStatus>();

/** A status to share between nodes and attempts: frozen, reasons included. */
export function frozenStatus(code: StatusCode, reasons: readonly string[], plugin: string): FilterStatus {
  return Object.freeze({ code, reasons: Object.freeze([...reasons]), plugin });
}
