import type { Scenario } from '../scenario/index.js';
import { loadScenarioText } from '../scenario/index.js';

/**
 * The shapes `npm run bench` measures. `pods`: one Deployment per 10 nodes, no Services.
 * `services`: Deployments of 15 replicas, each behind its own Service (one Service per 15 pods),
 * so every kube-proxy programs rules for every Service and every EndpointSlice change reaches
 * every node.
 */
export type BenchShape = 'pods' | 'services';

/** Pods per Service in the `services` shape. */
export const PODS_PER_SERVICE = 15;

/**
 * A generated scenario for benchmarks: `nodes` workers joining over the first minute, and
 * Deployments sized so the cluster runs `podsPerNode` pods per node (see BenchShape).
 */
export function generatedScenarioYaml(nodes: number, podsPerNode: number, duration = '10m', shape: BenchShape = 'pods'): string {
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
  const deployments = shape === 'services' ? Math.max(1, Math.ceil((nodes * podsPerNode) / PODS_PER_SERVICE)) : Math.max(1, Math.ceil(nodes / 10));
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
      `          spec: { containers: [{ name: app, image: "registry.k8s.io/pause:3.10",${shape === 'services' ? ' ports: [{ containerPort: 8080 }],' : ''} resources: { requests: { cpu: 10m, memory: 16Mi } } }] }`,
    );
    if (shape === 'services') {
      lines.push(
        '    - apiVersion: v1',
        '      kind: Service',
        `      metadata: { name: app-${d} }`,
        `      spec: { selector: { app: app-${d} }, ports: [{ name: http, port: 80, targetPort: 8080 }] }`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function generatedScenario(nodes: number, podsPerNode: number, duration?: string, shape: BenchShape = 'pods'): Scenario {
  // Generated here, not read from a user, so the file-size cap (which bounds how long a user's
  // file takes to parse) does not apply: 5,000 nodes with one Service per 15 pods is about 6 MiB.
  const loaded = loadScenarioText(generatedScenarioYaml(nodes, podsPerNode, duration, shape), `bench-${nodes}.yaml`, { maxBytes: Infinity });
  if (!loaded.ok) throw new Error(`generated scenario is invalid: ${loaded.problems.map((p) => p.message).join('; ')}`);
  return loaded.scenario;
}
