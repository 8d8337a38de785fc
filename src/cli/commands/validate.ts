import { isAbsolute, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { looksLikePath, resolveScenarioPath } from '../../scenario/builtin.js';
import { formatProblem } from '../../scenario/problems.js';
import { listScenarioFiles, pathKind } from '../../scenario/read-file.js';
import { EXIT, KubeLearnError } from '../errors.js';
import type { CliIo } from '../io.js';
import { SCENARIOS_DIR, STRICT_DESCRIPTION } from '../scenario-path.js';

/** One file named on the command line: the path as the user wrote it (for messages) and where it is. */
export interface ScenarioFileArg {
  readonly shown: string;
  readonly path: string;
}

/**
 * The scenario files the arguments name: files as given, the `*.yaml` files directly in a
 * directory, and built-in scenarios by name. A missing path or an empty directory is a usage
 * error (exit 2) before anything is read.
 */
export function scenarioFilesFrom(args: readonly string[], cwd: string): ScenarioFileArg[] {
  const files: ScenarioFileArg[] = [];
  for (const arg of args) {
    const builtin = !looksLikePath(arg) && pathKind(resolve(cwd, arg)).kind === 'missing';
    const path = builtin ? resolveScenarioPath(arg, SCENARIOS_DIR) : resolve(cwd, arg);
    const kind = pathKind(path);
    if (kind.kind === 'unusable') throw new KubeLearnError(`${arg}: ${kind.message}`, EXIT.usage);
    if (kind.kind === 'missing') {
      throw new KubeLearnError(
        builtin ? `unknown scenario "${arg}"` : `${arg}: no such file or directory`,
        EXIT.usage,
        'pass a scenario file, a directory of them, or a built-in name (see `kube-learn list`)',
      );
    }
    if (kind.kind === 'file') {
      files.push({ shown: builtin ? shortPath(path, cwd) : arg, path });
      continue;
    }
    const inside = listScenarioFiles(path);
    if (inside.length === 0) throw new KubeLearnError(`${arg}: no *.yaml scenario files in this directory`, EXIT.usage);
    const prefix = arg.replace(/[\\/]+$/, '');
    for (const file of inside) files.push({ shown: `${prefix}/${file.slice(path.replace(/[\\/]+$/, '').length + 1)}`, path: file });
  }
  return files;
}

/** A path relative to cwd when it is inside it, else absolute: what a reader can click or paste. */
function shortPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * `kube-learn validate <file...>`: every problem in every file, each as FILE:LINE:COLUMN: PATH:
 * message, on stderr; one "valid" line per good file on stdout. Exit 0 when all are valid, 2 if not.
 * Warnings (`PATH: warning: message`) go to stderr too and leave the exit code 0, unless --strict.
 */
export function createValidateCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('validate')
    .description('check scenario files and print every problem as FILE:LINE:COLUMN: PATH: message')
    .argument('<file...>', 'scenario files, directories of them, or built-in scenario names')
    .option('-q, --quiet', 'print only the problems')
    .option('--strict', STRICT_DESCRIPTION)
    .action(async (args: string[], opts: { quiet?: boolean; strict?: boolean }) => {
      const files = scenarioFilesFrom(args, io.cwd);
      const { loadArg } = await import('../scenario-source.js');
      let invalid = 0;
      let problems = 0;
      for (const file of files) {
        const result = loadArg(file);
        if (result.ok && result.warnings.length > 0) {
          io.stderr.write(result.warnings.map((p) => `${formatProblem(p)}\n`).join(''));
          if (opts.strict) {
            invalid++;
            problems += result.warnings.length;
            continue;
          }
        }
        if (result.ok) {
          const { metadata, spec } = result.scenario;
          if (!opts.quiet) io.stdout.write(`${file.shown}: valid (${metadata.name}: ${spec.nodes.length} node${spec.nodes.length === 1 ? '' : 's'}, ${spec.expect.length} expectation${spec.expect.length === 1 ? '' : 's'})\n`);
          continue;
        }
        invalid++;
        problems += result.problems.length;
        io.stderr.write(result.problems.map((p) => `${formatProblem(p)}\n`).join(''));
      }
      if (invalid === 0) return;
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      io.stderr.write(`${plural(problems, 'problem')} in ${invalid} of ${plural(files.length, 'file')}\n`);
      setExitCode(EXIT.usage);
    });
}
