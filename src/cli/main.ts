import { Command, CommanderError } from 'commander';
import { createListCommand } from './commands/list.js';
import { createNewCommand } from './commands/new.js';
import { createPlayCommand } from './commands/play.js';
import { createRunCommand } from './commands/run.js';
import { createSchemaCommand } from './commands/schema.js';
import { createServeCommand } from './commands/serve.js';
import { createTestCommand } from './commands/test.js';
import { createValidateCommand } from './commands/validate.js';
import { EXIT, KubeLearnError } from './errors.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

/** Builds the program for one invocation. Actions throw KubeLearnError; only `run()` maps errors to exit codes. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command()
    .name('kube-learn')
    .description('Watch a Kubernetes cluster talk to itself: every message between worker nodes and the control plane, step by step.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  program.addCommand(createPlayCommand(io, setExitCode));
  program.addCommand(createRunCommand(io));
  program.addCommand(createServeCommand(io, setExitCode));
  program.addCommand(createListCommand(io));
  program.addCommand(createValidateCommand(io, setExitCode));
  program.addCommand(createTestCommand(io, setExitCode));
  program.addCommand(createNewCommand(io));
  program.addCommand(createSchemaCommand(io));
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) });
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      // commander already printed "error: ..." for usage mistakes.
      return EXIT.usage;
    }
    if (error instanceof KubeLearnError) {
      io.stderr.write(`kube-learn: ${error.message}\n`);
      if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`kube-learn: internal error: ${message}\n`);
    if (io.env.KUBE_LEARN_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    else io.stderr.write('hint: this is a bug in kube-learn; set KUBE_LEARN_DEBUG=1 to see where it happened\n');
    return EXIT.internal;
  }
}
