import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Scenario } from '../scenario/types.js';
import { PACKAGE_ROOT } from './package-root.js';
import { SCENARIOS_DIR } from './scenario-path.js';

/**
 * The built-in scenarios, loaded and validated once by `npm run build` and kept as JSON, so the
 * terminal UI can draw its first frame without loading the YAML parser and the schema. Each entry
 * carries the SHA-256 of the file it came from: a built-in edited since the build no longer
 * matches and is loaded from its YAML as any other file is.
 */
export const PREBUILT_FILE = join(PACKAGE_ROOT, 'dist', 'scenarios.json');

export interface PrebuiltScenario {
  /** SHA-256 (hex) of the file's bytes. */
  readonly sha256: string;
  readonly scenario: Scenario;
}

/** By file name in the built-in scenarios folder. */
export type PrebuiltScenarios = Record<string, PrebuiltScenario>;

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The scenario `npm run build` loaded from this built-in file, when the file is still what it
 * was then and loaded without warnings; undefined otherwise (the caller then loads the YAML).
 */
export function prebuiltScenario(path: string, from: { file: string; dir: string } = { file: PREBUILT_FILE, dir: SCENARIOS_DIR }): Scenario | undefined {
  if (dirname(path) !== from.dir) return undefined;
  try {
    const all = JSON.parse(readFileSync(from.file, 'utf8')) as PrebuiltScenarios;
    const entry = Object.hasOwn(all, basename(path)) ? all[basename(path)] : undefined;
    if (!entry || sha256Of(readFileSync(path)) !== entry.sha256) return undefined;
    return entry.scenario;
  } catch {
    // Not built yet, or unreadable: load the YAML instead.
    return undefined;
  }
}
