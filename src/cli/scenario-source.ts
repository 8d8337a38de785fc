import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';
import { formatProblem, loadScenarioFile, looksLikePath, pathKind, resolveScenarioPath, type Scenario } from '../scenario/index.js';
import { KubeLearnError, EXIT } from './errors.js';

/** The built-in scenarios folder of the package. */
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

/** Loads a built-in scenario by name or a scenario file by path, or throws a KubeLearnError (exit 2). */
export function loadScenario(nameOrPath: string, cwd: string): { scenario: Scenario; path: string } {
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
    throw new KubeLearnError(loaded.problems.map((p) => formatProblem(p)).join('\n'), EXIT.usage);
  }
  return { scenario: loaded.scenario, path };
}
