import { Cluster } from '../cluster/cluster.js';
import type { Checkpoint, Scenario } from '../scenario/index.js';
import type { Step } from '../sim/trace.js';
import { formatDuration } from '../scenario/index.js';
import type { CliIo } from './io.js';
import { formatStepJson, formatStepText } from './output/text.js';
import { checkpointPlace, checkpointStep, type CheckpointRun } from '../view/checkpoint-placement.js';

export interface TranscriptOptions {
  readonly format: 'text' | 'jsonl';
  readonly untilMs?: number;
  readonly seed?: number;
  readonly brief?: boolean;
}

/** `seed=1 scenario=first-node nodes=2 ...`: what a rerun needs, printed before anything else. */
export function runHeader(scenario: Scenario, untilMs: number): string {
  const c = scenario.spec.cluster;
  return `seed=${scenario.spec.seed} scenario=${scenario.metadata.name} nodes=${scenario.spec.nodes.length} kubernetes=${c.kubernetesVersion} network=${c.network.plugin}/${c.network.backend} kube-proxy=${c.kubeProxy.mode} until=${formatDuration(untilMs)}`;
}

export function withSeed(scenario: Scenario, seed: number | undefined): Scenario {
  return seed === undefined ? scenario : { ...scenario, spec: { ...scenario.spec, seed } };
}

/** Runs the scenario headless, streaming each step as it is recorded. Returns the step count. */
export function writeTranscript(base: Scenario, io: CliIo, options: TranscriptOptions): number {
  const scenario = withSeed(base, options.seed);
  const untilMs = options.untilMs ?? scenario.spec.durationMs;
  const header = runHeader(scenario, untilMs);
  if (options.format === 'jsonl') io.stderr.write(`${header}\n`);
  else io.stdout.write(`${header}\n`);
  const cluster = new Cluster(scenario);
  const format = options.format === 'jsonl' ? formatStepJson : (s: Parameters<typeof formatStepText>[0]) => formatStepText(s, options.brief);
  const checkpoints = options.format === 'text' ? scenario.spec.checkpoints : [];
  const timeline = scenario.spec.timeline;
  // Only a checkpoint after step N can be printed as the steps stream; the others are placed
  // once the run is over (a stage's last step, a kubectl write's answer): buffer then.
  const buffered = checkpoints.some((c) => !('step' in c.after));
  const steps: PlacedStep[] = [];
  cluster.sim.recorder.onStep((step) => {
    const text = format(step);
    steps.push({ step: step.step, t: step.t, stage: step.stage, heartbeat: step.heartbeat, text: buffered ? text : '' });
    if (!buffered) io.stdout.write(text + checkpoints.filter((c) => 'step' in c.after && c.after.step === step.step).map((c) => formatCheckpoint(c, timeline)).join(''));
  });
  cluster.start();
  cluster.runToEnd(untilMs);
  const run = placedRun(steps, (i) => cluster.timelineSteps.get(i));
  if (buffered) io.stdout.write(withCheckpoints(steps, checkpoints, run, timeline));
  const unplaced = checkpoints.filter((c) => {
    const at = checkpointStep(c, run);
    return at === undefined || at > steps.length;
  });
  io.stdout.write(unplaced.map((c) => formatCheckpoint(c, timeline, 'not reached in this run')).join(''));
  return steps.length;
}

/** A step as the transcript places checkpoints among them. */
export interface PlacedStep {
  readonly step: number;
  readonly t: number;
  readonly stage: Step['stage'];
  readonly heartbeat?: boolean;
  readonly text: string;
}

/** A finished run as checkpoint placement sees it. */
export function placedRun(steps: readonly PlacedStep[], actionStep: (index: number) => number | undefined = () => undefined): CheckpointRun {
  const lastOfStage = new Map<string, number>();
  for (const s of steps) if (!s.heartbeat) lastOfStage.set(s.stage, s.step);
  return {
    count: steps.length,
    finished: true,
    timeOf: (n) => steps[n - 1].t,
    lastOfStage: (stage) => lastOfStage.get(stage),
    actionStep,
  };
}

/**
 * The steps' text with each checkpoint after its step: step N, the last step of its stage that
 * is not a heartbeat (a routine watch renewal late in the run does not hold the question back),
 * the first step at or after its time, or its timeline action's step.
 */
export function withCheckpoints(steps: readonly PlacedStep[], checkpoints: readonly Checkpoint[], run = placedRun(steps), timeline: Scenario['spec']['timeline'] = []): string {
  const at = checkpoints.map((c) => checkpointStep(c, run));
  return steps.map((s) => s.text + checkpoints.filter((_, i) => at[i] === s.step).map((c) => formatCheckpoint(c, timeline)).join('')).join('');
}

/** A checkpoint as `run` prints it: the question, the choices with the answer marked, the explanation. */
export function formatCheckpoint(checkpoint: Checkpoint, timeline: Scenario['spec']['timeline'], note?: string): string {
  const where = checkpointPlace(checkpoint, timeline, (stage) => stage);
  const lines = [`       ? checkpoint (${where}${note ? `; ${note}` : ''}): ${checkpoint.question}`];
  checkpoint.choices.forEach((choice, index) => {
    const right = index + 1 === checkpoint.answer;
    lines.push(`         ${right ? '*' : ' '} ${index + 1}. ${choice}${right ? '   <- answer' : ''}`);
  });
  if (checkpoint.explanation) lines.push(`         ${checkpoint.explanation.trim().replace(/\s*\n\s*/g, ' ')}`);
  return `${lines.join('\n')}\n`;
}
