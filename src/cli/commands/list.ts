import { Command } from 'commander';
import type { Scenario } from '../../scenario/index.js';
import type { CliIo } from '../io.js';
import { SCENARIOS_DIR } from '../scenario-path.js';

function row(cells: readonly string[], widths: readonly number[]): string {
  return `${cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}\n`;
}

function details(scenario: Scenario, indent: string): string {
  const { metadata, spec } = scenario;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const facts = [count(spec.nodes.length, 'node'), count(spec.timeline.length, 'timeline event'), count(spec.expect.length, 'expectation'), count(spec.checkpoints.length, 'checkpoint')];
  const lines = [...metadata.description.trim().split('\n').filter((line) => line !== ''), facts.join(', ')];
  return `${lines.map((line) => `${indent}${line.trim()}`).join('\n')}\n\n`;
}

/**
 * `kube-learn list [--long]`: the built-in scenarios with name, difficulty, stages and title;
 * --long adds each description and what the scenario contains. A built-in file that does not
 * load is named on stderr rather than silently left out.
 */
export function createListCommand(io: CliIo): Command {
  return new Command('list')
    .description('list the built-in scenarios: name, difficulty, stages, title')
    .option('--long', "also show each scenario's description and contents")
    .action(async (opts: { long?: boolean }) => {
      const { formatProblem, listScenarioFiles, loadScenarioFile } = await import('../../scenario/index.js');
      const scenarios: Scenario[] = [];
      for (const file of listScenarioFiles(SCENARIOS_DIR)) {
        const loaded = loadScenarioFile(file);
        if (loaded.ok) scenarios.push(loaded.scenario);
        else io.stderr.write(`kube-learn: skipping an invalid built-in scenario: ${formatProblem(loaded.problems[0])}\n`);
      }
      const cells = scenarios.map(({ metadata }) => [metadata.name, metadata.difficulty, metadata.stages.join(',') || '-', metadata.title]);
      const header = ['NAME', 'DIFFICULTY', 'STAGES', 'TITLE'];
      const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
      io.stdout.write(row(header, widths));
      scenarios.forEach((scenario, index) => {
        io.stdout.write(row(cells[index], widths));
        if (opts.long) io.stdout.write(details(scenario, ' '.repeat(widths[0] + 2)));
      });
    });
}
