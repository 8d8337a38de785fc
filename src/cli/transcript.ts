import { Cluster } from '../cluster/cluster.js';
import type { Checkpoint, Scenario } from '../scenario/index.js';
import type { Step } from '../sim/trace.js';
import { formatDuration } from '../scenario/index.js';
import type { CliIo } from './io.js';
import { formatStepJson, formatStepText } from './output/text.js';
import { checkpointPlace, checkpointStep, type CheckpointRun } from '../view/checkpoint-placement.js';
import { formatVirtualTime } from '../sim/clock.js';
import { EXIT, KubeLearnError } from './errors.js';
import { ChunkedWriter, runInSlices } from './slices.js';

export interface TranscriptOptions {
  readonly format: 'text' | 'jsonl';
  readonly untilMs?: number;
  readonly seed?: number;
  readonly brief?: boolean;
  /** Where the jsonl header goes (stdout carries only JSON). */
  readonly stderr: { write(text: string): boolean };
}

/** `seed=1 scenario=first-node nodes=2 ...`: what a rerun needs, printed before anything else. */
export function runHeader(scenario: Scenario, untilMs: number): string {
  const c = scenario.spec.cluster;
  return `seed=${scenario.spec.seed} scenario=${scenario.metadata.name} nodes=${scenario.spec.nodes.length} kubernetes=${c.kubernetesVersion} network=${c.network.plugin}/${c.network.backend} kube-proxy=${c.kubeProxy.mode} until=${formatDuration(untilMs)}`;
}

export function withSeed(scenario: Scenario, seed: number | undefined): Scenario {
  return seed === undefined ? scenario : { ...scenario, spec: { ...scenario.spec, seed } };
}

/**
 * Formats the steps of one run as they are recorded and hands the text to `write`, keeping
 * nothing per step. A checkpoint after step N is written right after that step. A checkpoint
 * placed by a stage, a time or a timeline action is known only once the run is over (a stage's
 * last step that is not a heartbeat, a kubectl write's answer): when the scenario has one, the
 * text (not the steps) is held and the questions placed at the end.
 */
class TranscriptFormatter {
  readonly cluster: Cluster;
  readonly untilMs: number;
  private readonly checkpoints: readonly Checkpoint[];
  private readonly timeline: Scenario['spec']['timeline'];
  private readonly buffered: boolean;
  private held: PlacedStep[] = [];
  private count = 0;

  constructor(base: Scenario, private readonly write: (text: string) => void, options: TranscriptOptions) {
    const scenario = withSeed(base, options.seed);
    this.untilMs = options.untilMs ?? scenario.spec.durationMs;
    const header = `${runHeader(scenario, this.untilMs)}\n`;
    if (options.format === 'jsonl') options.stderr.write(header);
    else write(header);
    this.cluster = new Cluster(scenario);
    this.checkpoints = options.format === 'text' ? scenario.spec.checkpoints : [];
    this.timeline = scenario.spec.timeline;
    this.buffered = this.checkpoints.some((c) => !('step' in c.after));
    const format = options.format === 'jsonl' ? formatStepJson : (s: Step) => formatStepText(s, options.brief);
    const recorder = this.cluster.sim.recorder;
    // Each step is written and forgotten: memory stays flat however long the run.
    recorder.release();
    recorder.onStep((step) => {
      this.count = step.step;
      const text = format(step);
      if (this.buffered) this.held.push({ step: step.step, t: step.t, stage: step.stage, heartbeat: step.heartbeat, text });
      else write(text + this.checkpoints.filter((c) => 'step' in c.after && c.after.step === step.step).map((c) => formatCheckpoint(c, this.timeline)).join(''));
    });
    this.cluster.start();
  }

  /** Writes what was held (placing its checkpoints), then notes checkpoints never reached. */
  finish(reachedEnd: boolean): number {
    const run = placedRun(this.held, (i) => this.cluster.timelineSteps.get(i));
    if (this.buffered) this.write(withCheckpoints(this.held, this.checkpoints, run, this.timeline));
    this.held = [];
    if (reachedEnd) {
      const unplaced = this.checkpoints.filter((c) => {
        const at = 'step' in c.after ? c.after.step : checkpointStep(c, run);
        return at === undefined || at > this.count;
      });
      this.write(unplaced.map((c) => formatCheckpoint(c, this.timeline, 'not reached in this run')).join(''));
    }
    return this.count;
  }
}

/** Runs the scenario headless, writing each step as it is recorded. Returns the step count. */
export function writeTranscript(base: Scenario, io: CliIo, options: Omit<TranscriptOptions, 'stderr'>): number {
  const transcript = new TranscriptFormatter(base, (text) => io.stdout.write(text), { ...options, stderr: io.stderr });
  transcript.cluster.runToEnd(transcript.untilMs);
  return transcript.finish(true);
}

/** What a streamed run did: how many steps it wrote, and whether Ctrl-C stopped it first. */
export interface StreamedTranscript {
  readonly steps: number;
  readonly interrupted: boolean;
  /** Virtual time reached. */
  readonly nowMs: number;
}

/**
 * `kube-learn run`: as writeTranscript, but the simulation runs in slices, output is written
 * once per slice with backpressure (a slow pipe pauses the simulation instead of filling
 * memory), and an abort of `io.signal` stops it between slices with the output so far intact.
 */
export async function streamTranscript(base: Scenario, io: CliIo, options: Omit<TranscriptOptions, 'stderr'>): Promise<StreamedTranscript> {
  const out = new ChunkedWriter(io.stdout, io.signal);
  const transcript = new TranscriptFormatter(base, (text) => out.write(text), { ...options, stderr: io.stderr });
  const sim = transcript.cluster.sim;
  const reachedEnd = await runInSlices(sim, transcript.untilMs, { signal: io.signal, afterSlice: () => out.flush() });
  const steps = transcript.finish(reachedEnd);
  await out.flush();
  return { steps, interrupted: !reachedEnd, nowMs: sim.nowMs };
}

/** The error a streamed run ends with when Ctrl-C (or SIGTERM) stopped it: exit 130. */
export function interruptedError(run: StreamedTranscript): KubeLearnError {
  return new KubeLearnError(`interrupted at ${formatVirtualTime(run.nowMs)} virtual time, after step ${run.steps}; every step up to there was written`, EXIT.interrupted);
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
