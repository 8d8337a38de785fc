import { Command } from 'commander';
import type { CliIo } from '../io.js';

/** The scenario format as JSON Schema (draft 2020-12), as editors and `kube-learn schema` show it. */
export async function scenarioSchemaText(): Promise<string> {
  const { scenarioJsonSchema } = await import('../../scenario/index.js');
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

/**
 * `kube-learn schema`: prints the JSON Schema of the scenario format, for editors
 * (yaml-language-server's `$schema=` modeline) and CI. It describes the fields; `kube-learn
 * validate` also checks what a schema cannot say (references, CIDR overlaps, durations).
 */
export function createSchemaCommand(io: CliIo): Command {
  return new Command('schema')
    .description('print the JSON Schema (draft 2020-12) of the scenario format, for editors')
    .action(async () => {
      io.stdout.write(await scenarioSchemaText());
    });
}
