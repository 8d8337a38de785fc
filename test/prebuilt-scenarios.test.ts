import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREBUILT_FILE, prebuiltScenario, type PrebuiltScenarios } from '../src/cli/prebuilt-scenarios.js';
import { SCENARIOS_DIR } from '../src/cli/scenario-path.js';
import { loadScenarioFile } from '../src/scenario/index.js';
import { ROOT } from './helpers.js';

/** `npm run build` writes dist/scenarios.json; `npm test` builds first. */
describe('built-in scenarios validated at build time (the player\'s first frame)', () => {
  const prebuilt = JSON.parse(readFileSync(PREBUILT_FILE, 'utf8')) as PrebuiltScenarios;

  it('holds every built-in that loads without warnings, exactly as loading its YAML gives it', () => {
    for (const name of readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.yaml'))) {
      const path = join(SCENARIOS_DIR, name);
      const loaded = loadScenarioFile(path);
      expect(loaded.ok).toBe(true);
      if (!loaded.ok) continue;
      if (loaded.warnings.length > 0) {
        expect(prebuiltScenario(path), name).toBeUndefined();
        continue;
      }
      expect(prebuiltScenario(path), name).toStrictEqual(loaded.scenario);
    }
    expect(Object.keys(prebuilt).length).toBeGreaterThan(5);
  });

  it('is not used for a built-in edited since the build, nor for files elsewhere', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-learn-prebuilt-'));
    const file = join(dir, 'scenarios.json');
    writeFileSync(file, JSON.stringify(prebuilt));
    const copy = join(dir, 'first-node.yaml');
    copyFileSync(join(SCENARIOS_DIR, 'first-node.yaml'), copy);
    expect(prebuiltScenario(copy, { file, dir })?.metadata.name).toBe('first-node');
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('title:', 'title: Edited,'));
    expect(prebuiltScenario(copy, { file, dir })).toBeUndefined();
    // The same file outside the built-in folder is a user's file: always loaded from its YAML.
    expect(prebuiltScenario(join(SCENARIOS_DIR, 'first-node.yaml'), { file, dir })).toBeUndefined();
    // A missing or broken scenarios.json means "load the YAML", never a crash.
    expect(prebuiltScenario(copy, { file: join(dir, 'missing.json'), dir })).toBeUndefined();
    writeFileSync(file, '{not json');
    expect(prebuiltScenario(copy, { file, dir })).toBeUndefined();
  });

  it('keeps the YAML parser\'s schema library out of what the player loads before its first frame', () => {
    // What bin/kube-learn.js loads for `play` before the intro is drawn: the CLI's main chunk and
    // the player's chunk, with everything they import statically (the core comes after).
    const dir = join(ROOT, 'dist', 'bundle');
    const chunks = readdirSync(dir);
    const queue = chunks.filter((f) => /^(main|play)-[A-Z0-9]+\.js$/.test(f));
    expect(queue).toHaveLength(2);
    const seen = new Set<string>();
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(join(dir, file), 'utf8');
      for (const match of text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"();]*?\s*from\s*)?["']\.\/([^"']+)["']/g)) queue.push(match[1]);
    }
    const loaded = [...seen].map((file) => readFileSync(join(dir, file), 'utf8'));
    expect(loaded.some((text) => text.includes('createPlayCommand'))).toBe(true);
    // zod (the scenario schema) and the scenario loader are not among them.
    expect(loaded.filter((text) => /ZodError|scenarioErrorMap/.test(text))).toHaveLength(0);
  });
});
