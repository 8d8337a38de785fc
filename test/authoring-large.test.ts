import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { fakeIo } from './authoring-io.js';

/** A 5,000-node scenario, as a generator script would write it: nodes, workloads, a timeline, goals. */
function bigScenario(nodes: number): string {
  const lines = [
    'apiVersion: kube-learn/v1',
    'kind: Scenario',
    'metadata: { name: big-cluster, title: Five thousand workers }',
    'spec:',
    '  duration: 10m',
    '  cluster: { podCIDR: 10.128.0.0/9, nodeCIDRMaskSize: 24 }',
    '  nodes:',
  ];
  for (let i = 1; i <= nodes; i++) {
    lines.push(`    - name: worker-${i}`, `      capacity: { cpu: "8", memory: 32Gi, pods: "110" }`, `      labels: { topology.kubernetes.io/zone: zone-${i % 3} }`, `      joinAt: ${i % 60}s`);
  }
  lines.push('  resources:');
  for (let d = 1; d <= 50; d++) {
    lines.push(
      `    - apiVersion: apps/v1`,
      `      kind: Deployment`,
      `      metadata: { name: app-${d} }`,
      `      spec: { replicas: 20, selector: { matchLabels: { app: app-${d} } }, template: { metadata: { labels: { app: app-${d} } }, spec: { containers: [{ name: app, image: nginx:1.27, ports: [{ containerPort: 80, name: http }] }] } } }`,
      `    - { apiVersion: v1, kind: Service, metadata: { name: app-${d} }, spec: { selector: { app: app-${d} }, ports: [{ port: 80, targetPort: http }] } }`,
    );
  }
  lines.push('  timeline:');
  for (let i = 1; i <= 100; i++) lines.push(`    - { at: ${60 + i}s, action: partition, node: worker-${i * 37}, for: 2m }`);
  lines.push('  expect:');
  for (let i = 1; i <= 100; i++) lines.push(`    - { by: 5m, wait: node/worker-${i * 41}, for: condition=Ready }`);
  return `${lines.join('\n')}\n`;
}

it('validates a generated 5,000-node scenario in a few seconds', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'kube-learn-big-')), 'big.yaml');
  writeFileSync(path, bigScenario(5_000));
  const io = fakeIo();
  const started = performance.now();
  const code = await run(['validate', path], io);
  const elapsedMs = performance.now() - started;
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  expect(io.out()).toBe(`${path}: valid (big-cluster: 5000 nodes, 100 expectations)\n`);
  expect(elapsedMs).toBeLessThan(5_000);
});

it('reports every mistake in a large scenario, still in a few seconds', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'kube-learn-big-')), 'big.yaml');
  writeFileSync(path, bigScenario(5_000).replace('    - name: worker-4000\n', '    - name: worker-3999\n').replace('node: worker-3700,', 'node: worker-9999,'));
  const io = fakeIo();
  const started = performance.now();
  expect(await run(['validate', path], io)).toBe(2);
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(io.err()).toContain(`${path}:16004:13: spec.nodes[3999].name: duplicate node name "worker-3999" (also spec.nodes[3998])`);
  expect(io.err()).toMatch(/spec\.timeline\[99\]\.node: unknown node "worker-9999"/);
});
