/** Test fixtures: the contract's own example and the smallest valid scenario. */
import { readScenarioFile } from '../read-file.js';

export function fixturePath(name: string): string {
  return decodeURIComponent(new URL(`./${name}`, import.meta.url).pathname);
}

/** The full example from shared/scenario-format.md, byte for byte. */
export function contractExample(): string {
  const read = readScenarioFile(fixturePath('contract-example.yaml'));
  if (!read.ok) throw new Error(read.message);
  return read.text;
}

/**
 * The contract example with the worker-2 node its timeline and expectations talk about (the
 * example lists only worker-1), placed after worker-1 with no other fields.
 */
export function contractExampleWithWorker2(): string {
  return contractExample().replace('  resources:', '    - name: worker-2\n  resources:');
}

export const MINIMAL = `apiVersion: kube-learn/v1
kind: Scenario
metadata:
  name: first-node
spec:
  nodes:
    - name: worker-1
`;
