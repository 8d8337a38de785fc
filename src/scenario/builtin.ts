/**
 * Built-in scenarios are referred to by name (`kube-learn play node-goes-dark`); anything that
 * looks like a path is taken as one. Pure string work: listing and reading files lives in
 * read-file.ts.
 */

/** True when the argument names a file rather than a built-in scenario. */
export function looksLikePath(nameOrPath: string): boolean {
  return /[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
}

/** `node-goes-dark` => `<scenariosDir>/node-goes-dark.yaml`; a path is returned unchanged. */
export function resolveScenarioPath(nameOrPath: string, scenariosDir: string): string {
  if (looksLikePath(nameOrPath)) return nameOrPath;
  return `${scenariosDir.replace(/[\\/]+$/, '')}/${nameOrPath}.yaml`;
}

/** The scenario name a built-in file is known by: `scenarios/node-goes-dark.yaml` => `node-goes-dark`. */
export function scenarioNameOf(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/\.ya?ml$/i, '');
}
