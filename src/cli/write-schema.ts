/**
 * Build step (`npm run build`): writes dist/scenario.schema.json, the file the built-in
 * scenarios' `# yaml-language-server: $schema=../dist/scenario.schema.json` modeline points at.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioSchemaText } from './commands/schema.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenario.schema.json');
writeFileSync(target, await scenarioSchemaText());
