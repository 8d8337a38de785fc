import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';
import { existsSync, statSync } from 'node:fs';
import { formatProblem, loadScenarioFile, looksLikePath, resolveScenarioPath, type Scenario } from '../scenario/index.js';
import { KubeLearnError, EXIT } from './errors.js';

/** The built-in scenarios folder of the package. */
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

/** Loads a built-in scenario by name or a scenario file by path, or throws a KubeLearnError (exit 2). */
export function loadScenario(nameOrPath: string, cwd: string): { scenario: Scenario; path: string } {
  const path = looksLikePath(nameOrPath) ? resolve(cwd, nameOrPath) : resolveScenarioPath(nameOrPath, SCENARIOS_DIR);
  if (!existsSync(path)) {
    throw new KubeLearnError(
      looksLikePath(nameOrPath) ? `${nameOrPath}: no such file` : `unknown scenario "${nameOrPath}"`,
      EXIT.usage,
      'run `kube-learn list` to see the built-in scenarios, or pass a path to a scenario file',
    );
  }
  if (statSync(path).isDirectory()) throw new KubeLearnError(`${nameOrPath}: is a directory, not a scenario file`, EXIT.usage);
  const loaded = loadScenarioFile(path);
  if (!loaded.ok) {
    throw new KubeLearnError(loaded.problems.map((p) => formatProblem(p)).join('\n'), EXIT.usage);
  }
  return { scenario: loaded.scenario, path };
}
