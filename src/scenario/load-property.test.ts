import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from './load.js';
import { formatProblem } from './problems.js';
import { readdirSync } from 'node:fs';
import { readScenarioFile } from './read-file.js';
import { contractExampleWithWorker2, fixturePath, MINIMAL } from './testdata/fixtures.js';

/** Loading never throws; a failure always carries at least one well-formed, in-file problem. */
function checkNeverThrows(text: string): void {
  const result = loadScenarioText(text, 'fuzz.yaml');
  if (result.ok) return;
  expect(result.problems.length).toBeGreaterThan(0);
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const problem of result.problems) {
    expect(problem.file).toBe('fuzz.yaml');
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lines + 1);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(problem.message.length).toBeGreaterThan(0);
    // The loader's last-resort catch: reaching it means a check crashed on this input.
    expect(problem.message).not.toMatch(/^could not read this file as a scenario/);
    expect(formatProblem(problem)).toMatch(/^fuzz\.yaml:\d+:\d+: \S.*: .+/);
  }
}

const valid = contractExampleWithWorker2();
const YAML_BITS = [': ', '- ', '\n', '  ', '{', '}', '[', ']', ',', '&a ', '*a', '!!', '? ', '|', '>', '#', '"', "'", '---', '\t', 'nodes', '5m', 'x'];

describe('loading arbitrary text', () => {
  it('never throws for random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkNeverThrows), { numRuns: 200 });
  });

  it('never throws for random YAML-looking token soup', () => {
    const soup = fc.array(fc.constantFrom(...YAML_BITS), { maxLength: 80 }).map((bits) => bits.join(''));
    fc.assert(fc.property(soup, checkNeverThrows), { numRuns: 200 });
  });

  it('never throws for the valid example with random edits', () => {
    const edit = fc.record({
      at: fc.nat({ max: valid.length }),
      remove: fc.nat({ max: 20 }),
      insert: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...YAML_BITS)),
    });
    const edited = fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) =>
      edits.reduce((text, e) => text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove), valid),
    );
    fc.assert(fc.property(edited, checkNeverThrows), { numRuns: 200 });
  });

  it('never throws when any field of the example is replaced with any value', () => {
    const example = parse(valid) as Record<string, unknown>;
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(example, []);
    const replaced = fc.tuple(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.jsonValue({ maxDepth: 3 })).map(([path, value]) => {
      const copy = structuredClone(example);
      let parent: Record<string | number, unknown> = copy;
      for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
      parent[path[path.length - 1]] = value;
      return stringify(copy);
    });
    fc.assert(fc.property(replaced, checkNeverThrows), { numRuns: 250 });
  });
});

/** Every path into a parsed document, for "replace this field with anything". */
function pathsOf(document: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(document, []);
  return paths.filter((p) => p.length > 0);
}

const SCENARIOS = fixturePath('../../../scenarios');
const builtins = readdirSync(SCENARIOS).filter((name) => name.endsWith('.yaml')).map((name) => {
  const read = readScenarioFile(`${SCENARIOS}/${name}`);
  if (!read.ok) throw new Error(read.message);
  return read.text;
});

describe('mutating the built-in scenarios', () => {
  it('never throws when a field is replaced, removed or duplicated, in any built-in scenario', () => {
    const docs = builtins.map((text) => parse(text) as Record<string, unknown>);
    const mutation = fc
      .nat({ max: docs.length - 1 })
      .chain((i) => fc.tuple(fc.constant(i), fc.constantFrom(...pathsOf(docs[i])), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)), fc.boolean()));
    fc.assert(
      fc.property(mutation, ([i, path, value, copyToSibling]) => {
        const copy = structuredClone(docs[i]);
        let parent: Record<string | number, unknown> = copy;
        for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
        const last = path[path.length - 1];
        if (copyToSibling && Array.isArray(parent)) parent.push(structuredClone(parent[last as number]));
        else if (value === undefined) delete parent[last];
        else parent[last] = value;
        checkNeverThrows(stringify(copy));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when a built-in scenario is cut off anywhere', () => {
    const cut = fc.nat({ max: builtins.length - 1 }).chain((i) => fc.tuple(fc.constant(builtins[i]), fc.nat({ max: builtins[i].length })));
    fc.assert(fc.property(cut, ([text, at]) => checkNeverThrows(text.slice(0, at))), { numRuns: 200 });
  });
});

it('the fixtures used above are valid to begin with', () => {
  for (const text of builtins) expect(loadScenarioText(text, 'builtin.yaml').ok).toBe(true);
  expect(loadScenarioText(valid, 'x.yaml').ok).toBe(true);
  expect(loadScenarioText(MINIMAL, 'x.yaml').ok).toBe(true);
});

it('loads deeply nested input without overflowing the stack', () => {
  checkNeverThrows('['.repeat(20_000));
  checkNeverThrows(`apiVersion: kube-learn/v1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  nodes: [{ name: a }]\n  resources: [${'{a: '.repeat(2_000)}1${'}'.repeat(2_000)}]\n`);
});
