import { describe, expect, it } from 'vitest';
import { loadScenarioText, type LoadResult } from './load.js';
import { formatProblem } from './problems.js';
import type { Scenario } from './types.js';
import { contractExample, contractExampleWithWorker2, MINIMAL } from './testdata/fixtures.js';

function loaded(result: LoadResult): Scenario {
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.scenario;
}

function withSpec(extra: string): string {
  return `${MINIMAL}${extra}`;
}

describe('the contract example', () => {
  it('as printed, fails only because it never declares the worker-2 it partitions and waits for', () => {
    const result = loadScenarioText(contractExample(), 'example.yaml');
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'example.yaml:60:13: spec.timeline[0].node: unknown node "worker-2" (did you mean "worker-1"?)',
      'example.yaml:68:13: spec.expect[0].wait: unknown node "worker-2" (did you mean "worker-1"?)',
    ]);
  });

  it('with worker-2 declared, loads with every value written and every default applied', () => {
    const { metadata, spec } = loaded(loadScenarioText(contractExampleWithWorker2(), 'example.yaml'));
    expect(metadata).toEqual({
      name: 'node-goes-dark',
      title: 'A worker node goes dark',
      description: 'worker-2 loses its network. Watch the lease expire, the node turn Unknown,\nthe taint appear and the pods move.\n',
      difficulty: 'beginner',
      stages: ['synchronization'],
    });
    expect(spec.seed).toBe(7);
    expect(spec.durationMs).toBe(12 * 60_000);
    expect(spec.cluster).toEqual({
      kubernetesVersion: '1.32',
      serviceCIDR: '10.96.0.0/12',
      podCIDR: '10.244.0.0/16',
      nodeCIDRMaskSize: 24,
      clusterDomain: 'cluster.local',
      controlPlane: { etcdMembers: 1, nodeMonitorGracePeriodMs: 40_000, defaultTolerationSeconds: 300, clusterSigningDurationMs: 31_536_000_000 },
      network: { plugin: 'flannel', backend: 'vxlan' },
      kubeProxy: { mode: 'iptables' },
    });
    expect(spec.nodes).toEqual([
      {
        name: 'worker-1',
        address: '172.18.0.11',
        capacity: { cpuMillis: 4_000, memoryBytes: 8 * 1024 ** 3, pods: 110 },
        labels: { disktype: 'ssd' },
        taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
        joinAtMs: 0,
        auth: { method: 'bootstrap-token', token: 'abcdef.0123456789abcdef' },
      },
      {
        name: 'worker-2',
        address: '172.18.0.12',
        capacity: { cpuMillis: 2_000, memoryBytes: 4 * 1024 ** 3, pods: 110 },
        labels: {},
        taints: [],
        joinAtMs: 0,
        auth: { method: 'bootstrap-token' },
      },
    ]);
    expect(spec.resources.map((r) => `${r.kind}/${r.metadata.namespace}/${r.metadata.name}`)).toEqual([
      'Deployment/default/web',
      'Service/default/web',
      'Pod/default/client',
    ]);
    expect(spec.resources[0].spec).toEqual({
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    });
    expect(spec.timeline).toEqual([
      { atMs: 180_000, action: 'partition', node: 'worker-2', forMs: 360_000 },
      { atMs: 240_000, action: 'request', from: 'pod/client', to: 'http://web.default.svc.cluster.local:80' },
    ]);
    expect(spec.expect).toEqual([
      { kind: 'wait', when: 'by', timeMs: 240_000, wait: 'node/worker-2', for: 'condition=Ready=Unknown' },
      { kind: 'wait', when: 'by', timeMs: 600_000, wait: 'pods -l app=web', for: 'jsonpath={.status.phase}=Running' },
      {
        kind: 'request',
        when: 'at',
        timeMs: 240_000,
        request: { from: 'pod/client', to: 'http://web.default.svc.cluster.local:80' },
        result: 'success',
      },
    ]);
    expect(spec.checkpoints).toEqual([
      {
        after: { stage: 'registration' },
        question: 'Which user does the kubelet act as when it creates its CSR?',
        choices: ['system:node:worker-1', 'system:bootstrap:abcdef', 'system:kube-controller-manager'],
        answer: 2,
        explanation: 'The bootstrap token authenticates as system:bootstrap:<token-id> ...',
      },
    ]);
  });
});

describe('defaults', () => {
  it('fill in everything around apiVersion, kind, metadata.name and one node', () => {
    expect(loaded(loadScenarioText(MINIMAL, 'min.yaml'))).toEqual({
      apiVersion: 'kube-learn/v1',
      kind: 'Scenario',
      metadata: { name: 'first-node', title: 'first-node', description: '', difficulty: 'beginner', stages: [] },
      spec: {
        seed: 1,
        durationMs: 300_000,
        cluster: {
          kubernetesVersion: '1.32',
          serviceCIDR: '10.96.0.0/12',
          podCIDR: '10.244.0.0/16',
          nodeCIDRMaskSize: 24,
          clusterDomain: 'cluster.local',
          controlPlane: { etcdMembers: 1, nodeMonitorGracePeriodMs: 50_000, defaultTolerationSeconds: 300, clusterSigningDurationMs: 31_536_000_000 },
          network: { plugin: 'flannel', backend: 'vxlan' },
          kubeProxy: { mode: 'iptables' },
        },
        nodes: [
          {
            name: 'worker-1',
            address: '172.18.0.11',
            capacity: { cpuMillis: 2_000, memoryBytes: 4 * 1024 ** 3, pods: 110 },
            labels: {},
            taints: [],
            joinAtMs: 0,
            auth: { method: 'bootstrap-token' },
          },
        ],
        resources: [],
        timeline: [],
        expect: [],
        checkpoints: [],
      },
    });
  });

  it('make the duration reach one minute past the last event, undo times included', () => {
    const scenario = loaded(
      loadScenarioText(
        withSpec('  timeline:\n    - { at: 8m, action: stop-kubelet, node: worker-1, for: 2m }\n  expect:\n    - { by: 9m, wait: node/worker-1, for: condition=Ready=False }\n'),
        'x.yaml',
      ),
    );
    expect(scenario.spec.durationMs).toBe(11 * 60_000);
  });

  it('take the node monitor grace period from the Kubernetes version (40s before 1.32)', () => {
    const text = MINIMAL.replace('spec:\n', 'spec:\n  cluster: { kubernetesVersion: "1.31" }\n');
    expect(loaded(loadScenarioText(text, 'x.yaml')).spec.cluster.controlPlane.nodeMonitorGracePeriodMs).toBe(40_000);
  });

  it.each([
    ['flannel', 'vxlan'],
    ['calico', 'ipip'],
    ['weave', 'fastdp'],
    ['bridge', 'host-gw'],
  ])('give %s the %s backend', (plugin, backend) => {
    const text = MINIMAL.replace('spec:\n', `spec:\n  cluster: { network: { plugin: ${plugin} } }\n`);
    expect(loaded(loadScenarioText(text, 'x.yaml')).spec.cluster.network).toEqual({ plugin, backend });
  });

  it('assign node addresses outside the pod and service CIDRs, skipping written ones', () => {
    const nodes = '  nodes:\n    - name: a\n    - { name: b, address: 192.168.56.12 }\n    - name: c\n';
    const base = `apiVersion: kube-learn/v1\nkind: Scenario\nmetadata: { name: x }\nspec:\n`;
    const clash = `${base}  cluster: { podCIDR: 172.16.0.0/12 }\n${nodes}`;
    expect(loaded(loadScenarioText(clash, 'x.yaml')).spec.nodes.map((n) => n.address)).toEqual([
      '192.168.56.11',
      '192.168.56.12',
      '192.168.56.13',
    ]);
    expect(loaded(loadScenarioText(`${base}${nodes}`, 'x.yaml')).spec.nodes.map((n) => n.address)).toEqual([
      '172.18.0.11',
      '192.168.56.12',
      '172.18.0.12',
    ]);
  });

  it('put namespaced manifests in default, leave cluster-scoped ones and written namespaces alone', () => {
    const text = withSpec(`  resources:
    - { apiVersion: v1, kind: Namespace, metadata: { name: shop } }
    - { apiVersion: v1, kind: ConfigMap, metadata: { name: cfg, namespace: shop }, data: { a: "1" } }
    - { apiVersion: v1, kind: Pod, metadata: { generateName: job- }, spec: { containers: [{ name: c, image: busybox }] } }
  timeline:
    - { at: 1m, action: apply, manifest: { apiVersion: v1, kind: Pod, metadata: { name: late }, spec: { containers: [{ name: c, image: busybox }] } } }
    - { at: 2m, action: delete, target: pod/late }
`);
    const { spec } = loaded(loadScenarioText(text, 'x.yaml'));
    expect(spec.resources).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { a: '1' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'job-', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    ]);
    expect(spec.timeline).toEqual([
      {
        atMs: 60_000,
        action: 'apply',
        manifest: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      },
      { atMs: 120_000, action: 'delete', target: 'pod/late' },
    ]);
  });

  it('read checkpoints placed after a step and quantities written as YAML numbers', () => {
    const text = MINIMAL.replace('    - name: worker-1\n', '    - { name: worker-1, capacity: { cpu: 0.5, memory: 1e9, pods: 20 } }\n') +
      '  checkpoints:\n    - { after: { step: 12 }, question: Why?, choices: [a, b], answer: 1 }\n';
    const { spec } = loaded(loadScenarioText(text, 'x.yaml'));
    expect(spec.nodes[0].capacity).toEqual({ cpuMillis: 500, memoryBytes: 1_000_000_000, pods: 20 });
    expect(spec.checkpoints[0].after).toEqual({ step: 12 });
  });

  it('reads checkpoints anchored to a moment (in ms) and to a timeline action (0-based)', () => {
    const text = MINIMAL + '  timeline:\n    - { at: 2m, action: partition, node: worker-1 }\n  checkpoints:\n' +
      '    - { after: { at: 2m55s }, question: When?, choices: [a, b], answer: 1 }\n' +
      '    - { after: { action: 0 }, question: What?, choices: [a, b], answer: 2 }\n';
    const { spec } = loaded(loadScenarioText(text, 'x.yaml'));
    expect(spec.checkpoints.map((c) => c.after)).toEqual([{ atMs: 175_000 }, { action: 0 }]);
  });
});
