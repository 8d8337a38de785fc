/**
 * Golden transcripts: the brief text transcript of every built-in scenario, kept in test/golden/
 * and compared by test/authoring-golden.test.ts. They change only when someone runs
 * `npm run golden` (this file as a script), so a change in what the simulation does shows up
 * in review as a diff of the transcript.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listScenarioFiles, loadScenarioFile, scenarioNameOf, formatProblem, type Scenario } from '../scenario/index.js';
import type { CliIo } from './io.js';
import { SCENARIOS_DIR } from './scenario-source.js';
import { writeTranscript } from './transcript.js';

/** Where the goldens live: <package>/test/golden/<scenario>.txt. */
export const GOLDEN_DIR = resolve(SCENARIOS_DIR, '..', 'test', 'golden');

/** The text `kube-learn run NAME --brief` prints for a scenario. */
export function goldenTranscript(scenario: Scenario): string {
  let out = '';
  const io: CliIo = { stdout: { write: (t) => ((out += t), true) }, stderr: { write: () => true }, env: {}, cwd: '.' };
  writeTranscript(scenario, io, { format: 'text', brief: true });
  return out;
}

/** Rewrites every golden; returns the names written. Throws when a built-in scenario does not load. */
export function updateGoldens(): string[] {
  mkdirSync(GOLDEN_DIR, { recursive: true });
  return listScenarioFiles(SCENARIOS_DIR).map((file) => {
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    const name = scenarioNameOf(file);
    writeFileSync(join(GOLDEN_DIR, `${name}.txt`), goldenTranscript(loaded.scenario));
    return name;
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const name of updateGoldens()) process.stdout.write(`wrote test/golden/${name}.txt\n`);
}
