import { describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioText } from './load.js';
import { formatProblem } from './problems.js';
import { fixturePath } from './testdata/fixtures.js';

/** A scenario whose spec is `spec` (already indented by two spaces). */
function doc(spec: string, metadata = '  name: demo\n'): string {
  return `apiVersion: kube-learn/v1\nkind: Scenario\nmetadata:\n${metadata}spec:\n${spec}`;
}

function problems(text: string): string[] {
  const result = loadScenarioText(text, 'bad.yaml');
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('each mistake is reported as FILE:LINE:COLUMN: PATH: message', () => {
  it.each([
    [
      'an unknown field, with the closest known one',
      doc('  nodes:\n    - name: worker-1\n      capacty: { cpu: "2" }\n'),
      ['bad.yaml:8:7: spec.nodes[0].capacty: unknown field "capacty" (did you mean "capacity"?)'],
    ],
    [
      'a wrong apiVersion',
      'apiVersion: kube-learn/v2\nkind: Scenario\nmetadata: { name: demo }\nspec: { nodes: [{ name: a }] }\n',
      ['bad.yaml:1:13: apiVersion: expected "kube-learn/v1", got "kube-learn/v2" (did you mean "kube-learn/v1"?)'],
    ],
    [
      'a certificate lifetime shorter than the certificates API signs for',
      doc('  cluster:\n    controlPlane: { clusterSigningDuration: 2m }\n  nodes:\n    - name: a\n'),
      ['bad.yaml:7:45: spec.cluster.controlPlane.clusterSigningDuration: "2m" is shorter than 10m, the shortest lifetime the certificates API signs for'],
    ],
    [
      'bad durations',
      doc('  duration: 5 minutes\n  nodes:\n    - name: a\n      joinAt: 30\n'),
      [
        'bad.yaml:6:13: spec.duration: expected a duration such as 90s, 5m, 1m30s or 500ms, got "5 minutes"',
        'bad.yaml:9:15: spec.nodes[0].joinAt: a duration needs a unit: write 30s, 30m or 30ms',
      ],
    ],
    [
      'bad quantities',
      doc('  nodes:\n    - name: a\n    - name: b\n      capacity: { cpu: 2x, memory: 512m, pods: 1.5 }\n'),
      [
        'bad.yaml:9:24: spec.nodes[1].capacity.cpu: "2x" has an unknown suffix; use m, k, M, G, T, Ki, Mi, Gi or Ti',
        'bad.yaml:9:36: spec.nodes[1].capacity.memory: "512m" is a fraction of a byte (m means milli; did you mean 512Mi?)',
        'bad.yaml:9:48: spec.nodes[1].capacity.pods: 1.5 is not a whole number',
      ],
    ],
    [
      'bad CIDRs',
      doc('  cluster:\n    podCIDR: 10.244.0.0/33\n    serviceCIDR: 10.96.0.1/12\n  nodes: [{ name: a }]\n'),
      [
        'bad.yaml:7:14: spec.cluster.podCIDR: "10.244.0.0/33" is not a CIDR; expected an address and prefix such as 10.244.0.0/16',
        'bad.yaml:8:18: spec.cluster.serviceCIDR: 10.96.0.1/12 has host bits set (did you mean "10.96.0.0/12"?)',
      ],
    ],
    [
      'overlapping pod and service CIDRs',
      doc('  cluster:\n    podCIDR: 10.96.0.0/16\n  nodes: [{ name: a }]\n'),
      ['bad.yaml:7:14: spec.cluster.podCIDR: pod CIDR 10.96.0.0/16 overlaps service CIDR 10.96.0.0/12'],
    ],
    [
      'a node CIDR mask wider than the pod CIDR',
      doc('  cluster:\n    podCIDR: 10.244.0.0/20\n    nodeCIDRMaskSize: 16\n  nodes: [{ name: a }]\n'),
      ['bad.yaml:8:23: spec.cluster.nodeCIDRMaskSize: a /16 per node is larger than the pod CIDR 10.244.0.0/20; use /20 or more'],
    ],
    [
      'a duplicate node',
      doc('  nodes:\n    - name: a\n    - name: a\n'),
      ['bad.yaml:8:13: spec.nodes[1].name: duplicate node name "a" (also spec.nodes[0])'],
    ],
    [
      'unknown nodes in the timeline and expectations',
      doc(
        '  nodes:\n    - name: worker-1\n  timeline:\n    - { at: 1m, action: crash-node, node: worker-9 }\n    - { at: 1m, action: request, from: node/worker-3, to: "http://x:80" }\n  expect:\n    - { by: 2m, wait: node/worker-11, for: delete }\n',
      ),
      [
        'bad.yaml:9:43: spec.timeline[0].node: unknown node "worker-9" (did you mean "worker-1"?)',
        'bad.yaml:10:40: spec.timeline[1].from: unknown node "worker-3" (did you mean "worker-1"?)',
        'bad.yaml:12:23: spec.expect[0].wait: unknown node "worker-11" (did you mean "worker-1"?)',
      ],
    ],
    [
      'broken YAML',
      doc('  nodes: [{ name: a }\n'),
      ['bad.yaml:7:1: spec.nodes: YAML: flow sequence in block collection must be sufficiently indented and end with a ]'],
    ],
    ['an empty file', '', ['bad.yaml:1:1: (root): the file is empty; a scenario starts with "apiVersion: kube-learn/v1"']],
    ['a file of comments', '# nothing yet\n', ['bad.yaml:1:1: (root): the file is empty; a scenario starts with "apiVersion: kube-learn/v1"']],
    [
      'a list at the top',
      '- apiVersion: kube-learn/v1\n- kind: Scenario\n',
      ['bad.yaml:1:1: (root): expected a mapping (apiVersion, kind, metadata, spec) at the top, got a list'],
    ],
    ['a duplicate key', doc('  seed: 1\n  seed: 2\n  nodes: [{ name: a }]\n'), ['bad.yaml:7:3: spec.seed: duplicate key "seed"']],
    [
      'an unknown timeline action, and a field the action does not take',
      doc('  nodes: [{ name: a }]\n  timeline:\n    - { at: 1m, action: partion, node: a }\n    - { at: 2m, action: heal, node: a, for: 1m }\n'),
      [
        'bad.yaml:8:25: spec.timeline[0].action: unknown action "partion"; expected one of crash-node, restart-node, stop-kubelet, start-kubelet, stop-kube-proxy, start-kube-proxy, partition, heal, stop-apiserver, start-apiserver, stop-etcd-member, start-etcd-member, expire-certificate, revoke-bootstrap-token, apply, delete, scale, request (did you mean "partition"?)',
        'bad.yaml:9:40: spec.timeline[1].for: unknown field "for"',
      ],
    ],
    [
      'missing required fields',
      'apiVersion: kube-learn/v1\nkind: Scenario\nmetadata:\n  title: x\nspec:\n  nodes: []\n',
      ['bad.yaml:3:1: metadata.name: missing required field "name"', 'bad.yaml:6:10: spec.nodes: needs at least one node'],
    ],
    [
      'enum values close to known ones, and numbers YAML read differently',
      doc('  cluster:\n    network: { plugin: flanel }\n    controlPlane: { etcdMembers: 2 }\n    kubernetesVersion: 1.30\n  nodes: [{ name: a }]\n'),
      [
        'bad.yaml:7:24: spec.cluster.network.plugin: expected one of "flannel", "calico", "weave", "bridge", got "flanel" (did you mean "flannel"?)',
        'bad.yaml:8:34: spec.cluster.controlPlane.etcdMembers: expected one of 1, 3, 5, got 2',
        'bad.yaml:9:24: spec.cluster.kubernetesVersion: write the version in quotes, e.g. "1.32" (YAML reads 1.30 as the number 1.3) (did you mean "1.30"?)',
      ],
    ],
    [
      'labels that Kubernetes would refuse',
      doc('  nodes: [{ name: a, labels: { "Bad Key": x, gpu: true } }]\n'),
      [
        'bad.yaml:6:32: spec.nodes[0].labels["Bad Key"]: must be a label key such as "disktype" or "example.com/gpu"',
        'bad.yaml:6:51: spec.nodes[0].labels.gpu: label values are strings; quote it (e.g. "true" or "3")',
      ],
    ],
    [
      'a backend the plugin lacks, and a malformed bootstrap token',
      doc('  cluster:\n    network: { plugin: flannel, backend: ipip }\n  nodes: [{ name: a, auth: { token: abc } }]\n'),
      [
        'bad.yaml:7:42: spec.cluster.network.backend: flannel has no ipip backend; it supports vxlan, host-gw',
        'bad.yaml:8:37: spec.nodes[0].auth.token: a bootstrap token is 6 + 16 characters of [a-z0-9] joined by a dot, e.g. abcdef.0123456789abcdef',
      ],
    ],
    [
      'a checkpoint answer outside its choices',
      doc('  nodes: [{ name: a }]\n  checkpoints:\n    - { after: registration, question: q, choices: [x, y], answer: 3 }\n'),
      ['bad.yaml:8:68: spec.checkpoints[0].answer: answer 3 is not one of the 2 choices (answers count from 1)'],
    ],
    [
      'a checkpoint after a timeline action that does not exist, and one after the scenario ends',
      doc(
        '  duration: 5m\n  nodes: [{ name: a }]\n  timeline:\n    - { at: 1m, action: partition, node: a }\n  checkpoints:\n' +
          '    - { after: { action: 1 }, question: q, choices: [x, y], answer: 1 }\n' +
          '    - { after: { at: 5m1s }, question: q, choices: [x, y], answer: 1 }\n' +
          '    - { after: { at: 5m }, question: q, choices: [x, y], answer: 1 }\n' +
          '    - { after: { action: 0 }, question: q, choices: [x, y], answer: 1 }\n',
      ),
      [
        'bad.yaml:11:26: spec.checkpoints[0].after.action: there is no timeline action 1: spec.timeline has 1 action, numbered 0 to 0',
        'bad.yaml:12:22: spec.checkpoints[1].after.at: 5m1s is after the scenario ends (duration 5m), so it would never be asked',
      ],
    ],
    [
      'a checkpoint after an action of an empty timeline',
      doc('  nodes: [{ name: a }]\n  checkpoints:\n    - { after: { action: 0 }, question: q, choices: [x, y], answer: 1 }\n'),
      ['bad.yaml:8:26: spec.checkpoints[0].after.action: there is no timeline action 0: spec.timeline is empty'],
    ],
    [
      'checkpoint anchors of the wrong shape: a malformed time, an unknown key, a negative action',
      doc(
        '  nodes: [{ name: a }]\n  checkpoints:\n' +
          '    - { after: { at: 2x }, question: q, choices: [x, y], answer: 1 }\n' +
          '    - { after: { time: 2m }, question: q, choices: [x, y], answer: 1 }\n' +
          '    - { after: { action: -1 }, question: q, choices: [x, y], answer: 1 }\n',
      ),
      [
        'bad.yaml:8:22: spec.checkpoints[0].after.at: unknown unit "x" in "2x"; use ns, us, ms, s, m or h',
        'bad.yaml:9:16: spec.checkpoints[1].after: expected a stage (authentication, registration, synchronization, networking), { step: N }, { at: DURATION } or { action: N }',
        'bad.yaml:10:26: spec.checkpoints[2].after.action: must be at least 0',
      ],
    ],
    [
      'expectations without a time or with both kinds of time',
      doc('  nodes: [{ name: a }]\n  expect:\n    - wait: node/a\n      for: condition=Ready\n    - { by: 1m, at: 2m, wait: node/a, for: Ready }\n'),
      [
        'bad.yaml:8:7: spec.expect[0]: needs by: (holds some time up to then) or at: (holds at that moment)',
        'bad.yaml:10:21: spec.expect[1].at: give either by: or at:, not both',
        'bad.yaml:10:44: spec.expect[1].for: expected what kubectl wait --for takes: condition=NAME, condition=NAME=VALUE, jsonpath={...}=VALUE, delete or create',
      ],
    ],
    [
      'events after the end of the scenario and etcd members that do not exist',
      doc('  duration: 2m\n  nodes: [{ name: a }]\n  timeline:\n    - { at: 3m, action: stop-apiserver }\n    - { at: 1m, action: stop-etcd-member, member: 2 }\n'),
      [
        'bad.yaml:9:13: spec.timeline[0].at: happens at 3m, after the scenario ends (duration 2m)',
        'bad.yaml:10:51: spec.timeline[1].member: etcd member 2 does not exist; the cluster has 1 (spec.cluster.controlPlane.etcdMembers)',
      ],
    ],
    [
      'node addresses inside a CIDR, malformed or taken',
      doc('  nodes:\n    - { name: a, address: 10.244.3.4 }\n    - { name: b, address: 1.2.3 }\n    - { name: c, address: 172.18.0.11 }\n    - { name: d, address: 172.18.0.11 }\n'),
      [
        'bad.yaml:7:27: spec.nodes[0].address: 10.244.3.4 is inside the pod CIDR 10.244.0.0/16',
        'bad.yaml:8:27: spec.nodes[1].address: "1.2.3" is not an IPv4 address such as 172.18.0.11',
        'bad.yaml:10:27: spec.nodes[3].address: 172.18.0.11 is already the address of node c',
      ],
    ],
    ['a second document', 'a: 1\n---\nb: 2\n', ['bad.yaml:2:1: (root): a scenario is a single YAML document; remove the second "---"']],
    ['YAML tags', doc('  seed: !!binary aGVsbG8=\n  nodes: [{ name: a }]\n'), ['bad.yaml:6:18: spec.seed: YAML tag !!binary is not allowed in a scenario']],
    ['a manifest without apiVersion', doc('  nodes: [{ name: a }]\n  resources:\n    - { kind: Pod, metadata: { name: p } }\n'), ['bad.yaml:8:7: spec.resources[0].apiVersion: missing required field "apiVersion"']],
    ['text with NUL bytes', 'apiVersion: kube-learn/v1\u0000', ['bad.yaml:1:1: (root): this is a binary file, not a YAML scenario']],
  ])('%s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('stops an alias bomb at the alias budget instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    expect(problems(`${levels.join('\n')}\n`)).toEqual(['bad.yaml:2:8: b[0]: more than 100 alias expansions; this looks like an alias bomb']);
  });
});

describe('files that are not text', () => {
  it.each([
    ['binary.yaml', 'this is a binary file, not a YAML scenario'],
    ['latin1.yaml', 'the file is not UTF-8 text'],
    ['missing.yaml', 'no such file'],
    ['', 'this is a directory, not a scenario file'],
  ])('%j: %s', (name, message) => {
    const path = fixturePath(name);
    const result = loadScenarioFile(path);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([`${path}:1:1: (root): ${message}`]);
  });
});
