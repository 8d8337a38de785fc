import { Cluster } from '../cluster/cluster.js';
import type { Checkpoint, Scenario } from '../scenario/index.js';
import type { Step } from '../sim/trace.js';
import { formatDuration } from '../scenario/index.js';
import type { CliIo } from './io.js';
import { formatStepJson, formatStepText } from './output/text.js';

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
  // A checkpoint after a stage goes after that stage's last step, known only at the end: buffer then.
  const buffered = checkpoints.some((c) => 'stage' in c.after);
  const steps: PlacedStep[] = [];
  cluster.sim.recorder.onStep((step) => {
    const text = format(step);
    steps.push({ step: step.step, stage: step.stage, heartbeat: step.heartbeat, text: buffered ? text : '' });
    if (!buffered) io.stdout.write(text + checkpoints.filter((c) => 'step' in c.after && c.after.step === step.step).map((c) => formatCheckpoint(c)).join(''));
  });
  cluster.start();
  cluster.runToEnd(untilMs);
  if (buffered) io.stdout.write(withCheckpoints(steps, checkpoints));
  const unplaced = checkpoints.filter((c) => !steps.some((s) => ('step' in c.after ? s.step === c.after.step : s.stage === c.after.stage && !s.heartbeat)));
  io.stdout.write(unplaced.map((c) => formatCheckpoint(c, 'not reached in this run')).join(''));
  return steps.length;
}

/** A step as the transcript places checkpoints among them. */
export interface PlacedStep {
  readonly step: number;
  readonly stage: Step['stage'];
  readonly heartbeat?: boolean;
  readonly text: string;
}

/**
 * The steps' text with each checkpoint after its step, or after the last step of its stage that
 * is not a heartbeat (a routine watch renewal late in the run does not hold the question back).
 */
export function withCheckpoints(steps: readonly PlacedStep[], checkpoints: readonly Checkpoint[]): string {
  const lastOfStage = new Map<string, number>();
  for (const s of steps) if (!s.heartbeat) lastOfStage.set(s.stage, s.step);
  const at = (c: Checkpoint) => ('step' in c.after ? c.after.step : lastOfStage.get(c.after.stage));
  return steps.map((s) => s.text + checkpoints.filter((c) => at(c) === s.step).map((c) => formatCheckpoint(c)).join('')).join('');
}

/** A checkpoint as `run` prints it: the question, the choices with the answer marked, the explanation. */
export function formatCheckpoint(checkpoint: Checkpoint, note?: string): string {
  const where = 'step' in checkpoint.after ? `after step ${checkpoint.after.step}` : `after ${checkpoint.after.stage}`;
  const lines = [`       ? checkpoint (${where}${note ? `; ${note}` : ''}): ${checkpoint.question}`];
  checkpoint.choices.forEach((choice, index) => {
    const right = index + 1 === checkpoint.answer;
    lines.push(`         ${right ? '*' : ' '} ${index + 1}. ${choice}${right ? '   <- answer' : ''}`);
  });
  if (checkpoint.explanation) lines.push(`         ${checkpoint.explanation.trim().replace(/\s*\n\s*/g, ' ')}`);
  return `${lines.join('\n')}\n`;
}
