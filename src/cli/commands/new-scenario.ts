import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { isMap, isScalar, parseDocument } from 'yaml';
import { formatProblem, listScenarioFiles, loadScenarioText, readScenarioFile, scenarioNameOf } from '../../scenario/index.js';
import { suggest } from '../../scenario/problems.js';
import { DNS1123_LABEL } from '../../scenario/schema-fields.js';
import { EXIT, KubeLearnError } from '../errors.js';
import type { CliIo } from '../io.js';
import { SCENARIOS_DIR } from '../scenario-path.js';
import { newScenarioText } from './new-template.js';

/** Where editors find the schema: the package's dist/scenario.schema.json, written by `npm run build`. */
const SCHEMA_PATH = resolve(SCENARIOS_DIR, '..', 'dist', 'scenario.schema.json');

/** `my-lab` => my-lab.yaml in cwd; `labs/my-lab.yaml` => that path, named my-lab. */
function target(arg: string, cwd: string): { name: string; path: string } {
  const isPath = /[\\/]/.test(arg) || /\.ya?ml$/i.test(arg);
  const name = isPath ? basename(arg).replace(/\.ya?ml$/i, '') : arg;
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    throw new KubeLearnError(
      `"${name}" is not a valid scenario name`,
      EXIT.usage,
      'a scenario name is a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. my-lab)',
    );
  }
  return { name, path: resolve(cwd, isPath ? (/\.ya?ml$/i.test(arg) ? arg : `${arg}.yaml`) : `${name}.yaml`) };
}

/** A built-in scenario's text with metadata.name replaced in place, comments and layout kept. */
function fromBuiltin(builtin: string, name: string): string {
  const names = listScenarioFiles(SCENARIOS_DIR).map(scenarioNameOf);
  if (!names.includes(builtin)) {
    const close = suggest(builtin, names);
    throw new KubeLearnError(`unknown built-in scenario "${builtin}"${close ? ` (did you mean "${close}"?)` : ''}`, EXIT.usage, `choose one of: ${names.join(', ')}`);
  }
  const read = readScenarioFile(join(SCENARIOS_DIR, `${builtin}.yaml`));
  if (!read.ok) throw new KubeLearnError(`cannot read the built-in scenario ${builtin}: ${read.message}`, EXIT.internal);
  const doc = parseDocument(read.text);
  const metadata = doc.get('metadata', true);
  const node = isMap(metadata) ? metadata.get('name', true) : undefined;
  if (!isScalar(node) || !node.range) throw new KubeLearnError(`the built-in scenario ${builtin} has no metadata.name`, EXIT.internal);
  const text = read.text.slice(0, node.range[0]) + name + read.text.slice(node.range[1]);
  const header = `# yaml-language-server: $schema=${SCHEMA_PATH}\n# Made with \`kube-learn new ${name} --from ${builtin}\`; see scenarios/README.md for the format.\n`;
  return header + text.replace(/^# yaml-language-server:.*\n/, '');
}

/** Writes the new scenario file for `kube-learn new` (see new.ts), or throws a KubeLearnError. */
export function writeNewScenario(io: CliIo, arg: string, opts: { from?: string }): void {
  const { name, path } = target(arg, io.cwd);
  if (!existsSync(dirname(path))) throw new KubeLearnError(`${dirname(path)}: no such directory`, EXIT.usage);
  const text = opts.from === undefined ? newScenarioText(name, SCHEMA_PATH) : fromBuiltin(opts.from, name);
  const check = loadScenarioText(text, basename(path));
  if (!check.ok) throw new KubeLearnError(`the new scenario does not validate:\n${check.problems.map(formatProblem).join('\n')}`, EXIT.internal);
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') throw new KubeLearnError(`${arg.endsWith('.yaml') ? arg : basename(path)} already exists; not overwriting it`, EXIT.usage, 'choose another name, or move the file away first');
    throw new KubeLearnError(`cannot write ${path}: ${code ?? String(error)}`, EXIT.usage);
  }
  const shown = path.startsWith(`${io.cwd}/`) ? path.slice(io.cwd.length + 1) : path;
  io.stdout.write(`wrote ${shown}\nnext: kube-learn validate ${shown} && kube-learn test ${shown} && kube-learn play ${shown}\n`);
}
