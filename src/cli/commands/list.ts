import { Command } from 'commander';
import { listScenarioFiles, loadScenarioFile } from '../../scenario/index.js';
import type { CliIo } from '../io.js';
import { SCENARIOS_DIR } from '../scenario-source.js';

/** `kube-learn list [--long]`: the built-in scenarios. */
export function createListCommand(io: CliIo): Command {
  return new Command('list')
    .description('list the built-in scenarios')
    .option('--long', 'also show each scenario\'s description')
    .action((opts: { long?: boolean }) => {
      const rows = listScenarioFiles(SCENARIOS_DIR).flatMap((file) => {
        const loaded = loadScenarioFile(file);
        return loaded.ok ? [loaded.scenario.metadata] : [];
      });
      const width = Math.max(4, ...rows.map((r) => r.name.length));
      const diffWidth = 12;
      io.stdout.write(`${'NAME'.padEnd(width)}  ${'DIFFICULTY'.padEnd(diffWidth)}  ${'STAGES'.padEnd(34)}  TITLE\n`);
      for (const meta of rows) {
        io.stdout.write(`${meta.name.padEnd(width)}  ${meta.difficulty.padEnd(diffWidth)}  ${meta.stages.join(',').padEnd(34)}  ${meta.title}\n`);
        if (opts.long && meta.description) {
          for (const line of meta.description.trim().split('\n')) io.stdout.write(`${' '.repeat(width + 2)}${line}\n`);
          io.stdout.write('\n');
        }
      }
    });
}
