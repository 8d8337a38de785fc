import type { FilterResult } from './find-nodes.js';
import { podRequests } from './plugins/node-resources-fit.js';
import type { SchedulingPod } from './types.js';

/**
 * Searches that found no feasible node, remembered per equivalence class of pods until the
 * scheduler cache changes (the idea of kube-scheduler's old equivalence cache). Pods of one
 * template have the same tolerations, node selector, affinity and requests, which is all the
 * filters read of a pod; retried while no node changed, each would check every node again and
 * get the same answer. A backlog of pending pods then costs one filter pass per cluster change,
 * not one per pod per retry, and every decision still reads exactly as a fresh pass would.
 */
export interface FailedSearch {
  readonly search: FilterResult;
  /** The decision's words, worked out once for the class (see `text`). */
  readonly texts: Map<string, string>;
}

export class FailedSearchCache {
  private generation = -1;
  private readonly searches = new Map<string, FailedSearch>();
  private readonly classes = new WeakMap<SchedulingPod, string>();

  /** The failed search of `pod`'s class from `startIndex`, if nothing changed since (`generation`). */
  lookup(pod: SchedulingPod, generation: number, startIndex: number): FailedSearch | undefined {
    if (generation !== this.generation) return undefined;
    return this.searches.get(`${startIndex}|${this.classOf(pod)}`);
  }

  /** Remembers `search` when it found nothing; returns the entry to hang the decision's words on. */
  remember(pod: SchedulingPod, generation: number, search: FilterResult): FailedSearch {
    const entry: FailedSearch = { search, texts: new Map() };
    if (search.feasible.length > 0) return entry;
    if (generation !== this.generation) {
      this.searches.clear();
      this.generation = generation;
    }
    this.searches.set(`${search.startIndex}|${this.classOf(pod)}`, entry);
    return entry;
  }

  /** Everything of a pod the filter plugins and the failure message read. */
  private classOf(pod: SchedulingPod): string {
    let key = this.classes.get(pod);
    if (key === undefined) {
      const { tolerations, nodeSelector, affinity, preemptionPolicy } = pod.spec;
      const requests = podRequests(pod);
      key = JSON.stringify([tolerations, nodeSelector, affinity, preemptionPolicy, requests.milliCpu, requests.memory]);
      this.classes.set(pod, key);
    }
    return key;
  }
}

/** A decision text for a failed search, made once per search. */
export function text(entry: FailedSearch, name: string, make: () => string): string {
  let value = entry.texts.get(name);
  if (value === undefined) entry.texts.set(name, (value = make()));
  return value;
}
