import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';
import { formatProblem, loadScenarioFile, looksLikePath, pathKind, resolveScenarioPath, type Problem, type Scenario } from '../scenario/index.js';
import { KubeLearnError, EXIT } from './errors.js';
import type { CliIo } from './io.js';

/** `--strict`: warnings are errors (exit 2). */
export const STRICT_DESCRIPTION = 'treat warnings as errors (exit 2)';

/** Prints warnings on stderr; with `strict`, a warning is an error (exit 2) and nothing runs. */
export function reportWarnings(io: Pick<CliIo, 'stderr'>, warnings: readonly Problem[], strict = false): void {
  if (warnings.length === 0) return;
  io.stderr.write(warnings.map((w) => `${formatProblem(w)}\n`).join(''));
  if (strict) throw new KubeLearnError(`${warnings.length} warning${warnings.length === 1 ? '' : 's'} and --strict`, EXIT.usage);
}

/** The built-in scenarios folder of the package. */
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

/** Loads a built-in scenario by name or a scenario file by path, or throws a KubeLearnError (exit 2). */
export function loadScenario(nameOrPath: string, cwd: string, warnings?: { io: Pick<CliIo, 'stderr'>; strict?: boolean }): { scenario: Scenario; path: string } {
  const path = looksLikePath(nameOrPath) ? resolve(cwd, nameOrPath) : resolveScenarioPath(nameOrPath, SCENARIOS_DIR);
  const kind = pathKind(path);
  if (kind.kind === 'missing') {
    throw new KubeLearnError(
      looksLikePath(nameOrPath) ? `${nameOrPath}: no such file` : `unknown scenario "${nameOrPath}"`,
      EXIT.usage,
      'run `kube-learn list` to see the built-in scenarios, or pass a path to a scenario file',
    );
  }
  if (kind.kind === 'directory') throw new KubeLearnError(`${nameOrPath}: is a directory, not a scenario file`, EXIT.usage);
  if (kind.kind === 'unusable') throw new KubeLearnError(`${nameOrPath}: ${kind.message}`, EXIT.usage);
  const loaded = loadScenarioFile(path);
  if (!loaded.ok) {
    // The same lines as `validate` prints, under the file's name as given, after one line that says nothing ran.
    const shown = looksLikePath(nameOrPath) ? nameOrPath : path;
    const count = loaded.problems.length;
    const lines = loaded.problems.map((p) => formatProblem({ ...p, file: shown }));
    throw new KubeLearnError([`${shown} is not a valid scenario (${count} problem${count === 1 ? '' : 's'}); nothing was run`, ...lines].join('\n'), EXIT.usage);
  }
  if (warnings) reportWarnings(warnings.io, loaded.warnings.map((w) => ({ ...w, file: nameOrPath })), warnings.strict);
  return { scenario: loaded.scenario, path };
}
