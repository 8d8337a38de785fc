import { describe, expect, it } from 'vitest';
import { loadScenarioText } from './load.js';

/** A scenario with one Deployment (pods labelled `podLabels`, in `podNamespace`) and one Service. */
function scenario(podLabels: string, serviceSelector: string, podNamespace = 'default'): string {
  return `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: warnings }
spec:
  nodes: [{ name: worker-1 }]
  resources:
    - apiVersion: v1
      kind: Namespace
      metadata: { name: shop }
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: api, namespace: ${podNamespace} }
      spec:
        replicas: 1
        selector: { matchLabels: ${podLabels} }
        template:
          metadata: { labels: ${podLabels} }
          spec: { containers: [{ name: api, image: nginx:1.27 }] }
    - apiVersion: v1
      kind: Service
      metadata: { name: api }
      spec: { selector: ${serviceSelector}, ports: [{ port: 80 }] }
`;
}

function warnings(text: string): string[] {
  const loaded = loadScenarioText(text, 'w.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('; '));
  return loaded.warnings.map((w) => `${w.path}: ${w.message}`);
}

describe('a Service whose selector matches no pod of the scenario', () => {
  it('is not warned about when a pod carries every label of the selector, and more', () => {
    expect(warnings(scenario('{ app: api, tier: backend, track: stable }', '{ tier: backend, app: api }'))).toEqual([]);
  });

  it('is warned about when the pods carry only some of its labels', () => {
    expect(warnings(scenario('{ app: api, tier: backend }', '{ app: api, tier: frontend }'))).toEqual([
      'spec.resources[2].spec.selector: the selector app=api,tier=frontend matches no pod in this scenario (namespace default), so the Service gets no endpoints',
    ]);
  });

  it('is warned about when the matching pods are in another namespace', () => {
    expect(warnings(scenario('{ app: api }', '{ app: api }', 'shop'))).toEqual([
      'spec.resources[2].spec.selector: the selector app=api matches no pod in this scenario (namespace default), so the Service gets no endpoints',
    ]);
  });
});
