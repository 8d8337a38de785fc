import { Command } from 'commander';
import type { CliIo } from '../io.js';
import { formatOption, seedOption, untilOption } from '../options.js';
import { STRICT_DESCRIPTION } from '../scenario-path.js';
import { interruptible } from '../slices.js';

/** `kube-learn run <scenario>`: the whole transcript, headless. */
export function createRunCommand(io: CliIo): Command {
  return new Command('run')
    .description('run a scenario headless and print every step (text, or JSON Lines with --format jsonl)')
    .argument('<scenario>', 'a built-in scenario name (see `kube-learn list`) or a path to a scenario file')
    .addOption(formatOption())
    .addOption(untilOption())
    .addOption(seedOption())
    .option('--brief', 'text format: one line per step, without explanations')
    .option('--strict', STRICT_DESCRIPTION)
    .action(async (name: string, opts: { format: 'text' | 'jsonl'; until?: number; seed?: number; brief?: boolean; strict?: boolean }) => {
      const { loadScenario } = await import('../scenario-source.js');
      const { scenario } = loadScenario(name, io.cwd, { io, strict: opts.strict });
      const { interruptedError, streamTranscript } = await import('../transcript.js');
      const run = await interruptible(() => streamTranscript(scenario, io, { format: opts.format, untilMs: opts.until, seed: opts.seed, brief: opts.brief }));
      if (run.interrupted) throw interruptedError(run);
    });
}
