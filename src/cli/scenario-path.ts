import { join, resolve } from 'node:path';
import { looksLikePath, resolveScenarioPath } from '../scenario/builtin.js';
import { pathKind } from '../scenario/read-file.js';
import { EXIT, KubeLearnError } from './errors.js';
import { PACKAGE_ROOT } from './package-root.js';

/**
 * Where a scenario argument points, checked before anything is parsed. Nothing here loads the
 * YAML parser or the schema: commands import it at start-up, the loaders when they run.
 */

/** `--strict`: warnings are errors (exit 2). */
export const STRICT_DESCRIPTION = 'treat warnings as errors (exit 2)';

/** The built-in scenarios folder of the package. */
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

/**
 * The file a built-in scenario name or a path names, or a KubeLearnError (exit 2) when there is
 * none, it is a directory, or it cannot be read.
 */
export function scenarioPathOf(nameOrPath: string, cwd: string): string {
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
  return path;
}
