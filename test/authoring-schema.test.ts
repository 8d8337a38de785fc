import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from '../src/cli/main.js';
import { loadScenarioFile } from '../src/scenario/index.js';
import { unknownKeywords, validate, type Schema } from './authoring-json-schema.js';
import { fakeIo } from './authoring-io.js';
import { ROOT, SCENARIOS } from './helpers.js';

async function printedSchema(): Promise<Schema> {
  const io = fakeIo();
  expect(await run(['schema'], io)).toBe(0);
  return JSON.parse(io.out()) as Schema;
}

const builtins = readdirSync(SCENARIOS).filter((name) => name.endsWith('.yaml')).sort();
const CORPUS = join(ROOT, 'test', 'corpus', 'bad');

describe('kube-learn schema', () => {
  it('prints a draft 2020-12 JSON Schema that uses only keywords a validator evaluates', async () => {
    const schema = (await printedSchema()) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(unknownKeywords(schema)).toEqual([]);
    // Every pattern is a regular expression a validator can compile in Unicode mode.
    const patterns = JSON.stringify(schema).match(/"pattern":"((?:[^"\\]|\\.)*)"/g) ?? [];
    expect(patterns.length).toBeGreaterThan(5);
    for (const p of patterns) expect(() => new RegExp(JSON.parse(`{${p}}`).pattern as string, 'u')).not.toThrow();
  });

  it('agrees with validate on every built-in scenario: both accept it', async () => {
    const schema = await printedSchema();
    expect(builtins.length).toBeGreaterThanOrEqual(2);
    for (const name of builtins) {
      const path = join(SCENARIOS, name);
      expect(loadScenarioFile(path).ok, name).toBe(true);
      expect(validate(schema, parse(readFileSync(path, 'utf8'))), name).toEqual([]);
    }
  });

  it('agrees with validate on shape mistakes from the corpus: both reject them', async () => {
    const schema = await printedSchema();
    const shapeMistakes = ['unknown-field', 'unknown-top-level-field', 'wrong-kind', 'wrong-api-version', 'unsupported-plugin', 'etcd-member-count', 'no-nodes', 'unknown-action', 'malformed-for', 'checkpoint-unknown-stage', 'invalid-node-name', 'unquoted-version'];
    for (const name of shapeMistakes) {
      const path = join(CORPUS, `${name}.yaml`);
      expect(loadScenarioFile(path).ok, name).toBe(false);
      expect(validate(schema, parse(readFileSync(path, 'utf8'))).length, name).toBeGreaterThan(0);
    }
  });

  it('is the file the build writes for the editors\' modeline', async () => {
    const schema = await printedSchema();
    const written = JSON.parse(readFileSync(join(ROOT, 'dist', 'scenario.schema.json'), 'utf8')) as Schema;
    expect(written).toEqual(schema);
    for (const name of builtins) {
      expect(readFileSync(join(SCENARIOS, name), 'utf8').split('\n')[0], name).toBe('# yaml-language-server: $schema=../dist/scenario.schema.json');
    }
  });
});
