import { Command } from 'commander';
import type { CliIo } from '../io.js';

/**
 * `kube-learn new <name> [--from <builtin>]`: writes NAME.yaml, a commented scenario that
 * validates and whose expectations pass. Never overwrites a file (exit 2 instead).
 */
export function createNewCommand(io: CliIo): Command {
  return new Command('new')
    .description('write a new commented scenario file NAME.yaml to start from')
    .argument('<name>', 'the scenario name (a DNS-1123 label), or a path ending in .yaml')
    .option('--from <builtin>', 'start from a copy of this built-in scenario (see `kube-learn list`)')
    .action(async (arg: string, opts: { from?: string }) => {
      const { writeNewScenario } = await import('./new-scenario.js');
      writeNewScenario(io, arg, opts);
    });
}
