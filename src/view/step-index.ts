import { STAGES, involves, receiversOf, type Stage, type Step } from '../sim/trace.js';
import { isHeartbeat } from './heartbeat.js';

/**
 * Lookup tables over the growing step list, built incrementally: each step is read once, when it
 * first appears, so a keypress costs a binary search instead of a scan of the whole history.
 */
export class StepIndex {
  private scanned = 0;
  private readonly byComponent = new Map<string, number[]>();
  /** Per node: steps that are not heartbeats, with the furthest stage reached up to each. */
  private readonly byNode = new Map<string, { steps: number[]; reached: number[] }>();
  private readonly nonHeartbeat: number[] = [];
  private readonly stageFirst = new Map<Stage, number>();
  private readonly stageLast = new Map<Stage, number>();
  private readonly componentStageFirst = new Map<string, Map<Stage, number>>();
  /** Per node: the first step of each stage that concerns it and is not a heartbeat. */
  private readonly nodeStageFirst = new Map<string, Map<Stage, number>>();

  constructor(private readonly steps: () => readonly Step[]) {}

  /** Reads any steps recorded since the last call. */
  sync(): this {
    const steps = this.steps();
    for (; this.scanned < steps.length; this.scanned++) this.add(steps[this.scanned]);
    return this;
  }

  private add(step: Step): void {
    for (const component of new Set([step.from, ...receiversOf(step)])) {
      push(this.byComponent, component, step.step);
      let firsts = this.componentStageFirst.get(component);
      if (!firsts) this.componentStageFirst.set(component, (firsts = new Map()));
      if (!firsts.has(step.stage)) firsts.set(step.stage, step.step);
    }
    if (!isHeartbeat(step)) this.nonHeartbeat.push(step.step);
    if (!this.stageFirst.has(step.stage)) this.stageFirst.set(step.stage, step.step);
    if (!isHeartbeat(step)) this.stageLast.set(step.stage, step.step);
    if (step.node && !isHeartbeat(step)) {
      let entry = this.byNode.get(step.node);
      if (!entry) this.byNode.set(step.node, (entry = { steps: [], reached: [] }));
      const previous = entry.reached.length ? entry.reached[entry.reached.length - 1] : -1;
      entry.steps.push(step.step);
      let firsts = this.nodeStageFirst.get(step.node);
      if (!firsts) this.nodeStageFirst.set(step.node, (firsts = new Map()));
      if (!firsts.has(step.stage)) firsts.set(step.stage, step.step);
      entry.reached.push(Math.max(previous, STAGES.indexOf(step.stage)));
    }
  }

  /** Every component that sent or received a step so far, sorted. */
  components(): string[] {
    this.sync();
    return [...this.byComponent.keys()].sort();
  }

  /** Step numbers a component sent or received, ascending. */
  stepsOf(component: string): readonly number[] {
    this.sync();
    return this.byComponent.get(component) ?? [];
  }

  nonHeartbeatSteps(): readonly number[] {
    this.sync();
    return this.nonHeartbeat;
  }

  /** The first step of a stage, or of a stage among the steps a component sent or received. */
  firstOfStage(stage: Stage, component?: string): number | undefined {
    this.sync();
    return component === undefined ? this.stageFirst.get(stage) : this.componentStageFirst.get(component)?.get(stage);
  }

  /**
   * The first step of a stage that concerns `node` (its kubelet's requests, the controllers'
   * decisions about it) and is not a heartbeat; with `component`, the first such step that
   * component sent or received.
   */
  firstOfNodeStage(node: string, stage: Stage, component?: string): number | undefined {
    this.sync();
    if (component === undefined) return this.nodeStageFirst.get(node)?.get(stage);
    const steps = this.steps();
    const first = this.nodeStageFirst.get(node)?.get(stage);
    const list = this.byNode.get(node)?.steps ?? [];
    for (let i = first === undefined ? list.length : lastAtOrBefore(list, first); i < list.length; i++) {
      const step = steps[list[i] - 1];
      if (step.stage === stage && involves(step, component)) return step.step;
    }
    return undefined;
  }

  /**
   * The last step of a stage that is not a heartbeat, recorded so far (final once the source has
   * finished): where the stage's story ends, not its last routine watch renewal.
   */
  lastOfStage(stage: Stage): number | undefined {
    this.sync();
    return this.stageLast.get(stage);
  }

  /**
   * Where a node stands at step `at`: the stage of its latest non-heartbeat step and the furthest
   * stage it has reached (indexes into STAGES), or undefined before its first step.
   */
  nodeStage(node: string, at: number): { current: number; reached: number } | undefined {
    this.sync();
    const entry = this.byNode.get(node);
    if (!entry) return undefined;
    const i = lastAtOrBefore(entry.steps, at);
    if (i < 0) return undefined;
    const step = this.steps()[entry.steps[i] - 1];
    return { current: STAGES.indexOf(step.stage), reached: entry.reached[i] };
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Index of the last element <= value in an ascending list, or -1. */
export function lastAtOrBefore(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first element > value in an ascending list, or list.length. */
export function firstAfter(list: readonly number[], value: number): number {
  return lastAtOrBefore(list, value) + 1;
}
