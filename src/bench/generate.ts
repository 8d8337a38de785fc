import type { Scenario } from '../scenario/index.js';
import { loadScenarioText } from '../scenario/index.js';

/**
 * A generated scenario for benchmarks: `nodes` workers joining over the first minute, and one
 * Deployment per 10 nodes sized so the cluster runs `podsPerNode` pods per node.
 */
export function generatedScenarioYaml(nodes: number, podsPerNode: number, duration = '10m'): string {
  const lines = [
    'apiVersion: kube-learn/v1',
    'kind: Scenario',
    'metadata:',
    `  name: bench-${nodes}`,
    `  title: ${nodes} nodes, ${podsPerNode} pods each`,
    'spec:',
    '  seed: 42',
    `  duration: ${duration}`,
    '  cluster:',
    `    podCIDR: 10.0.0.0/${nodes > 250 ? 14 : 16}`,
    '    serviceCIDR: 10.96.0.0/12',
    '  nodes:',
  ];
  for (let i = 1; i <= nodes; i++) {
    lines.push(`    - name: worker-${i}`, `      capacity: { cpu: "32", memory: 128Gi, pods: "110" }`, `      joinAt: ${Math.floor(((i - 1) * 60_000) / nodes)}ms`);
  }
  lines.push('  resources:');
  const deployments = Math.max(1, Math.ceil(nodes / 10));
  const replicas = Math.ceil((nodes * podsPerNode) / deployments);
  for (let d = 1; d <= deployments; d++) {
    lines.push(
      '    - apiVersion: apps/v1',
      '      kind: Deployment',
      `      metadata: { name: app-${d} }`,
      '      spec:',
      `        replicas: ${replicas}`,
      `        selector: { matchLabels: { app: app-${d} } }`,
      '        template:',
      `          metadata: { labels: { app: app-${d} } }`,
      '          spec: { containers: [{ name: app, image: "registry.k8s.io/pause:3.10", resources: { requests: { cpu: 10m, memory: 16Mi } } }] }',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function generatedScenario(nodes: number, podsPerNode: number, duration?: string): Scenario {
  const loaded = loadScenarioText(generatedScenarioYaml(nodes, podsPerNode, duration), `bench-${nodes}.yaml`);
  if (!loaded.ok) throw new Error(`generated scenario is invalid: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return loaded.scenario;
}
