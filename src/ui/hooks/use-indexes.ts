import { useMemo } from 'react';
import { involves } from '../../sim/trace.js';
import { ClusterPanelCache } from '../../view/cluster-panel.js';
import { ClusterStateIndex } from '../../view/cluster-state.js';
import { GoalIndex } from '../../view/goals.js';
import { inspectStep, wrapInspector, type InspectorLine } from '../../view/inspector.js';
import { MessageIndex } from '../../view/message-list.js';
import { StepIndex } from '../../view/step-index.js';
import type { StepSource } from '../../view/step-source.js';

/** The lookup structures built over one session's steps, kept for the life of the screen. */
export interface Indexes {
  readonly steps: StepIndex;
  readonly clusterStates: ClusterStateIndex;
  /** What the cluster panel keeps from one frame to the next (pod rows and their order). */
  readonly clusterPanel: ClusterPanelCache;
  /** The scenario's expect: entries, judged at any step. */
  readonly goals: GoalIndex;
  /** The message list for a component filter (undefined: every component). */
  readonly messages: (filter: string | undefined) => MessageIndex;
  /** The inspector's lines for a step, wrapped to `width` (the last one asked for is cached). */
  readonly inspector: (step: number, width: number) => InspectorLine[];
}

/** Builds the indexes for a source; nothing is read until a screen asks. */
export function createIndexes(source: StepSource): Indexes {
  const steps = () => source.steps;
  const lists = new Map<string, MessageIndex>();
  let inspected: { step: number; width: number; lines: InspectorLine[] } | undefined;
  return {
    steps: new StepIndex(steps),
    clusterStates: new ClusterStateIndex(steps),
    clusterPanel: new ClusterPanelCache(),
    goals: new GoalIndex(steps, () => source.finished, source.scenario.spec.expect),
    messages: (filter) => {
      const key = filter ?? '';
      let list = lists.get(key);
      if (!list) {
        list = new MessageIndex(steps, filter === undefined ? undefined : (s) => involves(s, filter));
        lists.set(key, list);
      }
      return list;
    },
    inspector: (step, width) => {
      if (inspected?.step !== step || inspected.width !== width) {
        const found = source.steps[step - 1];
        inspected = { step, width, lines: found ? wrapInspector(inspectStep(found), width) : [] };
      }
      return inspected.lines;
    },
  };
}

/** The indexes of `source`, kept across renders (rebuilt only for a new source). */
export function useIndexes(source: StepSource): Indexes {
  return useMemo(() => createIndexes(source), [source]);
}
