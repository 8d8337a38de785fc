import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELDS_FILE, fieldTableSource } from '../build/k8s-fields.js';
import { K8S_FIELDS } from './k8s-fields.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the manifest field table (k8s-fields.ts)', () => {
  it('is exactly what `npm run k8s-fields` would generate from the installed @kubernetes/client-node', async () => {
    const models = await import('@kubernetes/client-node/dist/gen/models/all.js');
    const version = (createRequire(import.meta.url)('@kubernetes/client-node/package.json') as { version: string }).version;
    const fresh = fieldTableSource(models as unknown as Parameters<typeof fieldTableSource>[0], version);
    const checkedIn = readFileSync(join(ROOT, FIELDS_FILE), 'utf8');
    // On a difference: run `npm run k8s-fields` and commit the table.
    expect(checkedIn).toBe(fresh);
  });

  it('knows the fields of the issue\'s misspellings by their right names', () => {
    expect(K8S_FIELDS.V1DeploymentSpec.replicas).toBe('int32');
    expect(K8S_FIELDS.V1ObjectMeta.labels).toBe('map:string');
    expect(K8S_FIELDS.V1ServiceSpec.selector).toBe('map:string');
    expect(K8S_FIELDS.V1PodSpec.nodeSelector).toBe('map:string');
    expect(K8S_FIELDS.V1ContainerPort.protocol).toBe('string');
    expect(K8S_FIELDS.V1ResourceRequirements.requests).toBe('map:quantity');
  });
});
