import { Cluster } from '../cluster/cluster.js';
import type { Checkpoint, Scenario } from '../scenario/index.js';
import type { Step } from '../sim/trace.js';
import { formatDuration } from '../scenario/duration.js';
import type { CliIo } from './io.js';
import { formatStepJson, formatStepText } from './output/text.js';
import { checkpointPlace, checkpointStep, type CheckpointRun } from '../view/checkpoint-placement.js';
import { formatVirtualTime } from '../sim/clock.js';
import { EXIT, KubeLearnError } from './errors.js';
import { ChunkedWriter, runInSlices } from './slices.js';
import { withSeed } from './scenario-source.js';

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

export { withSeed };

/**
 * Text held back at most while a checkpoint's place is not yet known (a stage's last step that is
 * not a heartbeat, a kubectl write's answer); past it the earliest such question is placed where
 * its story stands so far.
 */
export const CHECKPOINT_HOLD_CHARS = 256 << 10;

/**
 * Formats the steps of one run as they are recorded and hands the text to `write`, keeping
 * nothing per step. A checkpoint goes after its step (`step: N`), after the first step at or after
 * its time, right after its timeline action's step, or after its stage's last step that is not a
 * heartbeat. The last two are known only later: until then the text from the step where such a
 * question could still go is held (at most CHECKPOINT_HOLD_CHARS of it).
 */
class TranscriptFormatter {
  readonly cluster: Cluster;
  readonly untilMs: number;
  private readonly checkpoints: readonly Checkpoint[];
  private readonly timeline: Scenario['spec']['timeline'];
  /** Checkpoints whose step is not known yet (indexes into checkpoints). */
  private pending: number[];
  /** Placed checkpoints not yet written, by the step they follow. */
  private readonly placed = new Map<number, number[]>();
  private readonly lastOfStage = new Map<string, number>();
  /** Steps not yet written, oldest first. */
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
    this.timeline = scenario.spec.timeline;
    this.pending = this.checkpoints.map((_, i) => i);
    for (const [i, c] of this.checkpoints.entries()) if ('step' in c.after) this.place(i, c.after.step);
    const format = options.format === 'jsonl' ? formatStepJson : (s: Step) => formatStepText(s, options.brief);
    const recorder = this.cluster.sim.recorder;
    // Each step is written and forgotten: memory stays flat however long the run.
    recorder.release();
    recorder.onStep((step) => {
      this.count = step.step;
      if (!step.heartbeat) this.lastOfStage.set(step.stage, step.step);
      this.held.push({ step: step.step, t: step.t, stage: step.stage, heartbeat: step.heartbeat, text: format(step) });
      this.heldChars += this.held[this.held.length - 1].text.length;
      for (const i of [...this.pending]) {
        const after = this.checkpoints[i].after;
        if ('atMs' in after && step.t >= after.atMs) this.place(i, step.step);
        if ('action' in after) {
          const at = this.cluster.timelineSteps.get(after.action);
          if (at !== undefined) this.place(i, at);
        }
      }
      if (this.heldChars > CHECKPOINT_HOLD_CHARS) this.giveUpOldest();
      this.release(this.holdFrom());
    });
    this.cluster.start();
  }

  private place(index: number, step: number): void {
    this.pending = this.pending.filter((i) => i !== index);
    this.placed.set(step, [...(this.placed.get(step) ?? []), index].sort((a, b) => a - b));
  }

  /** The earliest step a pending checkpoint could still follow: later steps are held. */
  private holdFrom(): number {
    let from = Infinity;
    for (const i of this.pending) {
      const after = this.checkpoints[i].after;
      if ('stage' in after) from = Math.min(from, this.lastOfStage.get(after.stage) ?? Infinity);
      if ('action' in after) {
        const atMs = this.timeline[after.action]?.atMs ?? Infinity;
        const first = this.held.find((s) => s.t >= atMs);
        from = Math.min(from, first ? first.step : Infinity);
      }
    }
    return from;
  }

  /** Held too long: the pending checkpoint holding the oldest text is placed as things stand (or never). */
  private giveUpOldest(): void {
    const from = this.holdFrom();
    for (const i of [...this.pending]) {
      const after = this.checkpoints[i].after;
      if ('stage' in after && this.lastOfStage.get(after.stage) === from) this.place(i, from);
    }
    // An action whose step never came (its request got no answer) is noted at the end instead.
    if (this.holdFrom() === from) this.pending = this.pending.filter((i) => !('action' in this.checkpoints[i].after));
  }

  /** Writes the held steps before `from`, each followed by the checkpoints placed after it. */
  private release(from: number): void {
    let n = 0;
    let text = '';
    while (n < this.held.length && this.held[n].step < from) {
      const s = this.held[n];
      text += s.text + this.questionsAfter(s.step);
      this.heldChars -= s.text.length;
      n++;
    }
    if (n === 0) return;
    this.held = this.held.slice(n);
    this.write(text);
  }

  private questionsAfter(step: number): string {
    const indexes = this.placed.get(step);
    if (indexes === undefined) return '';
    this.placed.delete(step);
    return indexes.map((i) => formatCheckpoint(this.checkpoints[i], this.timeline)).join('');
  }

  /** Writes what was held (placing the stage checkpoints), then notes checkpoints never reached. */
  finish(reachedEnd: boolean): number {
    for (const i of [...this.pending]) {
      const after = this.checkpoints[i].after;
      const at = 'stage' in after ? this.lastOfStage.get(after.stage) : 'action' in after ? this.cluster.timelineSteps.get(after.action) : undefined;
      if (at !== undefined) this.place(i, at);
    }
    this.release(Infinity);
    if (reachedEnd) {
      const unplaced = this.checkpoints.filter((c, i) => this.pending.includes(i) || [...this.placed.entries()].some(([step, list]) => step > this.count && list.includes(i)));
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
