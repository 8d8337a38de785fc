import { formatProblem, loadScenarioFile, looksLikePath, type Problem, type Scenario } from '../scenario/index.js';
import type { ScenarioFileArg } from './commands/validate.js';
import { KubeLearnError, EXIT } from './errors.js';
import type { CliIo } from './io.js';
import { scenarioPathOf } from './scenario-path.js';

export { SCENARIOS_DIR, STRICT_DESCRIPTION } from './scenario-path.js';

/** Prints warnings on stderr; with `strict`, a warning is an error (exit 2) and nothing runs. */
export function reportWarnings(io: Pick<CliIo, 'stderr'>, warnings: readonly Problem[], strict = false): void {
  if (warnings.length === 0) return;
  io.stderr.write(warnings.map((w) => `${formatProblem(w)}\n`).join(''));
  if (strict) throw new KubeLearnError(`${warnings.length} warning${warnings.length === 1 ? '' : 's'} and --strict`, EXIT.usage);
}

/** The scenario with `--seed` applied, when given. */
export function withSeed(scenario: Scenario, seed: number | undefined): Scenario {
  return seed === undefined ? scenario : { ...scenario, spec: { ...scenario.spec, seed } };
}

/** Loads a built-in scenario by name or a scenario file by path, or throws a KubeLearnError (exit 2). */
export function loadScenario(nameOrPath: string, cwd: string, warnings?: { io: Pick<CliIo, 'stderr'>; strict?: boolean }): { scenario: Scenario; path: string } {
  const path = scenarioPathOf(nameOrPath, cwd);
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

/** Loads one file, naming it in problems as the user wrote it. */
export function loadArg(file: ScenarioFileArg): ReturnType<typeof loadScenarioFile> {
  const result = loadScenarioFile(file.path);
  if (result.ok) return { ...result, warnings: result.warnings.map((p): Problem => ({ ...p, file: file.shown })) };
  return { ok: false, problems: result.problems.map((p): Problem => ({ ...p, file: file.shown })) };
}
