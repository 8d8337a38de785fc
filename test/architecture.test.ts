import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers.js';

/** The simulation core must stay pure: no UI, no Node built-ins, no wall clock, no unseeded randomness. */
const CORE = ['src/sim', 'src/api', 'src/pki', 'src/controlplane', 'src/node', 'src/cluster', 'src/scenario'];
/** The one place the scenario loader touches the file system. */
const ALLOWED_IO = new Set(['src/scenario/read-file.ts']);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

describe('architecture', () => {
  const files = CORE.flatMap((dir) => sources(join(ROOT, dir))).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

  it('scans the core', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('keeps UI libraries and the CLI out of the core', () => {
    const bad = files.filter((f) => /from '(ink|react|chalk|ink-testing-library)'|from '\.\.?\/(\.\.\/)*(ui|view|cli)\//.test(f.text));
    expect(bad.map((f) => f.path)).toEqual([]);
  });

  it('uses no Node built-ins in the core (but for the scenario file reader)', () => {
    const bad = files.filter((f) => !ALLOWED_IO.has(f.path) && /from 'node:|require\(/.test(f.text));
    expect(bad.map((f) => f.path)).toEqual([]);
  });

  it('never reads the wall clock or unseeded randomness', () => {
    const bad = files.filter((f) => /Date\.now\(|new Date\(\)|Math\.random\(|setTimeout\(|setInterval\(|performance\.now\(/.test(f.text));
    expect(bad.map((f) => f.path)).toEqual([]);
  });
});
