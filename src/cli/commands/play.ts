import { Command } from 'commander';
import type { CliIo } from '../io.js';
import { seedOption, untilOption } from '../options.js';
import { prebuiltScenario } from '../prebuilt-scenarios.js';
import { scenarioPathOf, STRICT_DESCRIPTION } from '../scenario-path.js';
import { interruptible } from '../slices.js';

/**
 * `kube-learn play <scenario>`: the interactive terminal UI. When stdin or stdout is not a
 * terminal (a pipe, CI), it prints the transcript instead: raw mode needs a real terminal.
 */
export function createPlayCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('play')
    .description('step through a scenario in the terminal UI (prints the transcript when not in a terminal)')
    .argument('<scenario>', 'a built-in scenario name (see `kube-learn list`) or a path to a scenario file')
    .addOption(seedOption())
    .addOption(untilOption())
    .option('--strict', STRICT_DESCRIPTION)
    .action(async (name: string, opts: { seed?: number; until?: number; strict?: boolean }) => {
      const interactive = io.stdout.isTTY === true && io.stdin?.isTTY === true;
      // A built-in as `npm run build` validated it: the first frame then needs neither the YAML
      // parser nor the schema. The terminal UI would draw over warnings: it shows none, but
      // --strict still refuses.
      const prebuilt = interactive && !opts.strict ? prebuiltScenario(scenarioPathOf(name, io.cwd)) : undefined;
      const scenario = prebuilt ?? (await import('../scenario-source.js')).loadScenario(name, io.cwd, interactive && !opts.strict ? undefined : { io, strict: opts.strict }).scenario;
      if (!interactive) {
        // Loaded only here: the simulation core is not needed to parse arguments or to draw the UI.
        const { interruptedError, streamTranscript } = await import('../transcript.js');
        const run = await interruptible(() => streamTranscript(scenario, io, { format: 'text', seed: opts.seed, untilMs: opts.until }));
        if (run.interrupted) throw interruptedError(run);
        return;
      }
      // Loaded only here, so `run`, `list` and `--version` never load Ink or React.
      const { playInteractive } = await import('../../ui/play.js');
      setExitCode(await playInteractive(scenario, { seed: opts.seed, untilMs: opts.until, env: io.env }));
    });
}
