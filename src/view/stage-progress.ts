import { STAGES, type Stage } from '../sim/trace.js';
import type { StepIndex } from './step-index.js';

/**
 * The stage bar for one node: each of the four stages is done, current or upcoming at a given
 * step. "Current" is the stage of the node's latest step that is not a heartbeat; a stage is done
 * once the node has reached a later one, so a kubelet that restarts and authenticates again
 * shows authentication as current without forgetting that registration once happened.
 */
export type StageStatus = 'done' | 'current' | 'upcoming';

/** One stage as the bar shows it. */
export interface StageCell {
  readonly stage: Stage;
  /** 'Authentication', as the bar prints it. */
  readonly label: string;
  readonly status: StageStatus;
  /** False for stages the scenario says it does not cover (shown dimmed). */
  readonly inScenario: boolean;
}

/** 'synchronization' → 'Synchronization'. */
export function stageLabel(stage: Stage): string {
  return stage[0].toUpperCase() + stage.slice(1);
}

/** The four cells for `node` after step `at`. */
export function stageProgress(index: StepIndex, node: string | undefined, at: number, scenarioStages: readonly Stage[]): StageCell[] {
  const where = node === undefined ? undefined : index.nodeStage(node, at);
  return STAGES.map((stage, i) => {
    let status: StageStatus = 'upcoming';
    if (where && i === where.current) status = 'current';
    else if (where && i <= where.reached) status = 'done';
    return { stage, label: stageLabel(stage), status, inScenario: scenarioStages.length === 0 || scenarioStages.includes(stage) };
  });
}

/** One line per stage for the intro screen: what a node goes through in it. */
export const STAGE_BLURB: Readonly<Record<Stage, string>> = {
  authentication: 'the kubelet proves who it is and gets a certificate',
  registration: 'it creates its Node and renews a Lease (heartbeat)',
  synchronization: 'it runs the pods bound to it and reports their status',
  networking: 'pods get IPs; Services route traffic across nodes',
};
