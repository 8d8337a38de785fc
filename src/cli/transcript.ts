import { Cluster } from '../cluster/cluster.js';
import type { Checkpoint, Scenario } from '../scenario/index.js';
import type { Step } from '../sim/trace.js';
import { formatDuration } from '../scenario/index.js';
import type { CliIo } from './io.js';
import { formatStepJson, formatStepText } from './output/text.js';
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
 * Text held back at most, waiting to learn which step ends a stage, before that stage's
 * checkpoint is placed where the stage's story stands.
 */
export const CHECKPOINT_HOLD_CHARS = 256 << 10;

/**
 * Formats the steps of one run as they are recorded and hands the text to `write`, keeping
 * nothing per step. A checkpoint after a stage goes after that stage's last step that is not a
 * heartbeat, which is known only when a later one has come or the run is over: the text since
 * that stage's latest step is held back until then (or until CHECKPOINT_HOLD_CHARS of it is).
 */
class TranscriptFormatter {
  readonly cluster: Cluster;
  readonly untilMs: number;
  private readonly checkpoints: readonly Checkpoint[];
  /** Stage checkpoints not yet written. */
  private pendingStages: Checkpoint[];
  private readonly lastOfStage = new Map<string, number>();
  /** Steps not yet written, oldest first; each starts at or after some pending stage's latest step. */
  private held: PlacedStep[] = [];
  private heldChars = 0;
  private count = 0;

  constructor(base: Scenario, private readonly write: (text: string) => void, options: TranscriptOptions) {
    const scenario = withSeed(base, options.seed);
    this.untilMs = options.untilMs ?? scenario.spec.durationMs;
    const header = `${runHeader(scenario, this.untilMs)}\n`;
    if (options.format === 'jsonl') options.stderr.write(header);
    else write(header);
    this.cluster = new Cluster(scenario);
    this.checkpoints = options.format === 'text' ? scenario.spec.checkpoints : [];
    this.pendingStages = this.checkpoints.filter((c) => 'stage' in c.after);
    const format = options.format === 'jsonl' ? formatStepJson : (s: Step) => formatStepText(s, options.brief);
    const recorder = this.cluster.sim.recorder;
    // Each step is written and forgotten: memory stays flat however long the run.
    recorder.release();
    recorder.onStep((step) => {
      this.count = step.step;
      if (!step.heartbeat) this.lastOfStage.set(step.stage, step.step);
      const text = format(step) + this.checkpoints.filter((c) => 'step' in c.after && c.after.step === step.step).map((c) => formatCheckpoint(c)).join('');
      if (this.pendingStages.length === 0) write(text);
      else this.hold({ step: step.step, stage: step.stage, heartbeat: step.heartbeat, text });
    });
    this.cluster.start();
  }

  /** The earliest step a pending stage checkpoint could still follow (its stage's latest step). */
  private holdFrom(): number {
    let from = Infinity;
    for (const c of this.pendingStages) from = Math.min(from, this.lastOfStage.get((c.after as { stage: string }).stage) ?? Infinity);
    return from;
  }

  private hold(step: PlacedStep): void {
    this.held.push(step);
    this.heldChars += step.text.length;
    if (this.heldChars > CHECKPOINT_HOLD_CHARS) {
      // Held long enough: the earliest pending stage's story is over; place its checkpoint now.
      const from = this.holdFrom();
      const due = this.pendingStages.filter((c) => this.lastOfStage.get((c.after as { stage: string }).stage) === from);
      this.pendingStages = this.pendingStages.filter((c) => !due.includes(c));
      this.release(from, due);
    }
    this.release(this.holdFrom(), []);
  }

  /** Writes the held steps before `from`, and step `from` itself followed by `placed` if given. */
  private release(from: number, placed: readonly Checkpoint[]): void {
    let n = 0;
    let text = '';
    while (n < this.held.length && (this.held[n].step < from || (placed.length > 0 && this.held[n].step === from))) {
      text += this.held[n].text;
      if (this.held[n].step === from) text += placed.map((c) => formatCheckpoint(c)).join('');
      this.heldChars -= this.held[n].text.length;
      n++;
    }
    if (n === 0) return;
    this.held = this.held.slice(n);
    this.write(text);
  }

  /** Writes what was held (placing the stage checkpoints), then notes checkpoints never reached. */
  finish(reachedEnd: boolean): number {
    this.write(withCheckpoints(this.held, this.pendingStages));
    this.held = [];
    if (reachedEnd) {
      const reached = (c: Checkpoint) => ('step' in c.after ? c.after.step <= this.count : this.lastOfStage.has(c.after.stage));
      this.write(this.checkpoints.filter((c) => !reached(c)).map((c) => formatCheckpoint(c, 'not reached in this run')).join(''));
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
