import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PREBUILT_FILE, sha256Of, type PrebuiltScenarios } from '../cli/prebuilt-scenarios.js';
import { SCENARIOS_DIR } from '../cli/scenario-path.js';
import { listScenarioFiles, loadScenarioFile } from '../scenario/index.js';

/**
 * Build step (`npm run build`): loads every built-in scenario and writes dist/scenarios.json (see
 * cli/prebuilt-scenarios.ts). A built-in that does not load, or loads with warnings, is left out:
 * the CLI then loads it from its YAML and reports what it finds.
 */
export function prebuiltScenarios(): PrebuiltScenarios {
  const all: PrebuiltScenarios = {};
  for (const file of listScenarioFiles(SCENARIOS_DIR)) {
    const loaded = loadScenarioFile(file);
    if (loaded.ok && loaded.warnings.length === 0) all[basename(file)] = { sha256: sha256Of(readFileSync(file)), scenario: loaded.scenario };
  }
  return all;
}

if (process.argv[1]?.endsWith('prebuilt-scenarios.js')) writeFileSync(PREBUILT_FILE, `${JSON.stringify(prebuiltScenarios())}\n`);
