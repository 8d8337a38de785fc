/**
 * Steps: the append-only record a learner steps through. Every API request with its response,
 * watch event, controller decision, timer and failure becomes one Step, with the reason it
 * happened. Bodies and objects are kept by reference: objects in the core are never mutated
 * once written, so a watch event fanned out to a thousand watchers stores one object, not a
 * thousand copies.
 */
export const STAGES = ['authentication', 'registration', 'synchronization', 'networking'] as const;
export type Stage = (typeof STAGES)[number];

export type StepKind =
  /** An API request and the response it got. */
  | 'request'
  /** A watch event delivered to one watcher. */
  | 'watch'
  /** A component decided something (approve a CSR, pick a node, taint a node). */
  | 'decision'
  /** A timer fired that matters to the story (a grace period ran out). */
  | 'timer'
  /** Something from the scenario's timeline broke or repaired the cluster. */
  | 'failure'
  /** Work done on a node outside the API (container started, rules programmed, a packet hop). */
  | 'node';

export interface Step {
  /** 1-based position in the transcript. */
  readonly step: number;
  /** Virtual ms since the scenario started. */
  readonly t: number;
  readonly stage: Stage;
  readonly from: string;
  /** The receiver; for a watch event fanned out to several watchers, "N watchers" (see `recipients`). */
  readonly to: string;
  /** A watch event delivered to several watchers at once is one step: every receiver, in delivery order. */
  readonly recipients?: readonly string[];
  readonly kind: StepKind;
  readonly summary: string;
  readonly explanation: string;
  /** The node the step concerns, so a UI can follow one node. */
  readonly node?: string;
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly user?: string;
  readonly groups?: readonly string[];
  readonly request?: unknown;
  /** A PATCH body's Content-Type, which says how the server applies it (strategic merge, JSON merge). */
  readonly contentType?: string;
  readonly response?: unknown;
  /** The store key written or watched, and the revision it got. */
  readonly key?: string;
  readonly revision?: number;
  /** The stored object before and after a write (undefined before a create, null after a delete). */
  readonly before?: unknown;
  readonly after?: unknown;
  /** Repeats (lease renewals, unchanged status ticks) that a UI folds into one line. */
  readonly heartbeat?: boolean;
  /** Set on failure steps: the one-line banner a UI shows. */
  readonly banner?: string;
  /** Free-form details for a step's inspector (a CNI result, a rule diff, a packet's headers). */
  readonly detail?: unknown;
}

export type StepInput = Omit<Step, 'step' | 't'>;

/** True when `component` sent or received the step (as one of a fanned-out watch event's receivers, too). */
export function involves(step: Step, component: string): boolean {
  return step.from === component || step.to === component || (step.recipients?.includes(component) ?? false);
}

/** The receivers of a step: its recipients when fanned out, else its one `to`. */
export function receiversOf(step: Step): readonly string[] {
  return step.recipients ?? [step.to];
}

export class Recorder {
  private readonly list: Step[] = [];
  private readonly listeners = new Set<(step: Step) => void>();
  private count = 0;
  private retained = true;

  constructor(private readonly now: () => number) {}

  /** The steps kept so far (index i holds step i + 1); empty once `release()` was called. */
  get steps(): readonly Step[] {
    return this.list;
  }

  /** How many steps have been recorded, kept or not. */
  get length(): number {
    return this.count;
  }

  /**
   * Stops keeping steps: listeners still get each one as it is recorded, then it is garbage.
   * A streaming reader (`kube-learn run`, `test`) calls this so memory stays flat however long
   * the run; a player, which steps back, keeps them.
   */
  release(): void {
    this.retained = false;
    this.list.length = 0;
  }

  record(input: StepInput): Step {
    const step: Step = { step: this.count + 1, t: this.now(), ...input };
    this.add(step);
    return step;
  }

  /**
   * Appends a step built by `make` from its number and time: for compact step classes that
   * share most of their fields with other steps (see WatchStep).
   */
  append<S extends Step>(make: (step: number, t: number) => S): S {
    const step = make(this.count + 1, this.now());
    this.add(step);
    return step;
  }

  private add(step: Step): void {
    this.count++;
    if (this.retained) this.list.push(step);
    for (const listener of this.listeners) listener(step);
  }

  onStep(listener: (step: Step) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
