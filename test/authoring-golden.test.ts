import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, goldenTranscript } from '../src/cli/golden.js';
import { listScenarioFiles, loadScenarioFile, scenarioNameOf } from '../src/scenario/index.js';
import { SCENARIOS } from './helpers.js';

/**
 * Each built-in scenario's brief transcript must equal test/golden/<name>.txt. When a change to
 * the simulation changes a transcript on purpose, `npm run golden` rewrites them and the diff is
 * reviewed; nothing here ever writes a golden.
 */
describe('golden transcripts of the built-in scenarios', () => {
  it.each(listScenarioFiles(SCENARIOS).map((file) => [scenarioNameOf(file), file]))('%s', (name, file) => {
    const golden = join(GOLDEN_DIR, `${name}.txt`);
    expect(existsSync(golden), `no golden for ${name}: run \`npm run golden\` and review test/golden/${name}.txt`).toBe(true);
    const loaded = loadScenarioFile(file);
    if (!loaded.ok) throw new Error(`${name} does not load`);
    const actual = goldenTranscript(loaded.scenario);
    const expected = readFileSync(golden, 'utf8');
    if (actual !== expected) {
      const a = actual.split('\n');
      const e = expected.split('\n');
      const first = a.findIndex((line, i) => line !== e[i]);
      expect.fail(`${name}: the transcript differs from test/golden/${name}.txt from line ${first + 1}:\n  golden: ${e[first]}\n  now:    ${a[first]}\nIf the change is intended, run \`npm run golden\` and review the diff.`);
    }
  });
});
