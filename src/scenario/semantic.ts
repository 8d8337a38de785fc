/**
 * Checks that need the whole scenario rather than one field: names that must refer to
 * something, pairs that must fit together, and numbers that must stay in range. Each finding
 * is a PathIssue at the field to fix. More checks join as the simulator grows.
 */
import { formatDuration } from './duration.js';
import { INT32_MAX, SIMULATION_LIMITS } from './limits.js';
import { checkManifests } from './manifests.js';
import { checkNetwork } from './network.js';
import { checkObjectReferences } from './references.js';
import { checkWaitFor } from './wait-for.js';
import type { PathIssue, PathSegment } from './problems.js';
import { suggest } from './problems.js';
import { NETWORK_BACKENDS } from './schema.js';
import type { Scenario } from './types.js';

/** `[a-z0-9]{6}.[a-z0-9]{16}`, as cluster-bootstrap/token/api/types.go defines it. */
export const BOOTSTRAP_TOKEN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

function checkNodes(scenario: Scenario): PathIssue[] {
  const issues: PathIssue[] = [];
  const first = new Map<string, number>();
  scenario.spec.nodes.forEach((node, index) => {
    const path = ['spec', 'nodes', index];
    const earlier = first.get(node.name);
    if (earlier !== undefined) {
      issues.push({ path: [...path, 'name'], message: `duplicate node name "${node.name}" (also spec.nodes[${earlier}])` });
    } else first.set(node.name, index);
    const { method, token } = node.auth;
    if (token !== undefined && method !== 'bootstrap-token') {
      issues.push({ path: [...path, 'auth', 'token'], message: `a token is only used with method bootstrap-token, not ${method}` });
    } else if (token !== undefined && !BOOTSTRAP_TOKEN.test(token)) {
      issues.push({
        path: [...path, 'auth', 'token'],
        message: 'a bootstrap token is 6 + 16 characters of [a-z0-9] joined by a dot, e.g. abcdef.0123456789abcdef',
      });
    }
  });
  return issues;
}

/** Every place a scenario names a node: `node:`, and `node/NAME` in from/target/wait. */
function nodeReferences(scenario: Scenario): { path: PathSegment[]; name: string }[] {
  const refs: { path: PathSegment[]; name: string }[] = [];
  const fromRef = (path: PathSegment[], text: string) => {
    const match = /^nodes?\/(.+)$/.exec(text);
    if (match) refs.push({ path, name: match[1] });
  };
  scenario.spec.timeline.forEach((event, index) => {
    const path = ['spec', 'timeline', index];
    if ('node' in event && event.node !== undefined) refs.push({ path: [...path, 'node'], name: event.node });
    if ('from' in event) fromRef([...path, 'from'], event.from);
    if ('target' in event) fromRef([...path, 'target'], event.target);
  });
  scenario.spec.expect.forEach((goal, index) => {
    const path = ['spec', 'expect', index];
    if (goal.kind === 'wait') fromRef([...path, 'wait'], goal.wait);
    else fromRef([...path, 'request', 'from'], goal.request.from);
  });
  return refs;
}

function checkReferences(scenario: Scenario): PathIssue[] {
  const names = scenario.spec.nodes.map((node) => node.name);
  const known = new Set(names);
  const issues: PathIssue[] = nodeReferences(scenario)
    .filter((ref) => !known.has(ref.name))
    .map((ref) => ({ path: ref.path, message: `unknown node "${ref.name}"`, suggestion: suggest(ref.name, names) }));
  const members = scenario.spec.cluster.controlPlane.etcdMembers;
  scenario.spec.timeline.forEach((event, index) => {
    if ('member' in event && event.member > members) {
      issues.push({
        path: ['spec', 'timeline', index, 'member'],
        message: `etcd member ${event.member} does not exist; the cluster has ${members} (spec.cluster.controlPlane.etcdMembers)`,
      });
    }
  });
  return issues;
}

/** Plugin/backend pairs, and kube-proxy modes the Kubernetes version has (nftables: KEP-3866). */
function checkBackend(scenario: Scenario): PathIssue[] {
  const { network, kubeProxy, kubernetesVersion } = scenario.spec.cluster;
  const { plugin, backend } = network;
  const allowed: readonly string[] = NETWORK_BACKENDS[plugin];
  const issues: PathIssue[] = [];
  if (!allowed.includes(backend)) {
    issues.push({
      path: ['spec', 'cluster', 'network', 'backend'],
      message: `${plugin} has no ${backend} backend; it supports ${allowed.join(', ')}`,
    });
  }
  if (kubeProxy.mode === 'nftables' && Number(kubernetesVersion.split('.')[1]) < 31) {
    issues.push({
      path: ['spec', 'cluster', 'kubeProxy', 'mode'],
      message: `kube-proxy's nftables mode is on by default from 1.31 (alpha behind a feature gate in ${kubernetesVersion}); use kubernetesVersion "1.31" or later`,
    });
  }
  return issues;
}

function checkTimes(scenario: Scenario): PathIssue[] {
  const { durationMs, timeline, expect } = scenario.spec;
  const end = formatDuration(durationMs);
  const late = (timeMs: number) => `happens at ${formatDuration(timeMs)}, after the scenario ends (duration ${end})`;
  const issues: PathIssue[] = [];
  scenario.spec.nodes.forEach((node, index) => {
    if (node.joinAtMs > durationMs) issues.push({ path: ['spec', 'nodes', index, 'joinAt'], message: late(node.joinAtMs) });
  });
  timeline.forEach((event, index) => {
    if (event.atMs > durationMs) issues.push({ path: ['spec', 'timeline', index, 'at'], message: late(event.atMs) });
  });
  expect.forEach((goal, index) => {
    if (goal.timeMs > durationMs) issues.push({ path: ['spec', 'expect', index, goal.when], message: late(goal.timeMs) });
  });
  return issues;
}

/** Answers within the choices; anchors that exist: a timeline action, a time within the scenario. */
function checkCheckpoints(scenario: Scenario): PathIssue[] {
  const { timeline, durationMs } = scenario.spec;
  const issues: PathIssue[] = [];
  scenario.spec.checkpoints.forEach((checkpoint, index) => {
    const path = ['spec', 'checkpoints', index];
    if (checkpoint.answer > checkpoint.choices.length) {
      issues.push({ path: [...path, 'answer'], message: `answer ${checkpoint.answer} is not one of the ${checkpoint.choices.length} choices (answers count from 1)` });
    }
    const after = checkpoint.after;
    if ('action' in after && after.action >= timeline.length) {
      const has = timeline.length === 0 ? 'spec.timeline is empty' : `spec.timeline has ${timeline.length} action${timeline.length === 1 ? '' : 's'}, numbered 0 to ${timeline.length - 1}`;
      issues.push({ path: [...path, 'after', 'action'], message: `there is no timeline action ${after.action}: ${has}` });
    }
    if ('atMs' in after && after.atMs > durationMs) {
      issues.push({
        path: [...path, 'after', 'at'],
        message: `${formatDuration(after.atMs)} is after the scenario ends (duration ${formatDuration(durationMs)}), so it would never be asked`,
      });
    }
  });
  return issues;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Pods a manifest asks for: 1 for a Pod, replicas (default 1) for a Deployment or ReplicaSet, one per node for a DaemonSet. */
function podsOf(object: { kind: string; spec?: unknown }, nodes: number): number {
  const spec = (object.spec ?? {}) as { replicas?: unknown };
  if (object.kind === 'Pod') return 1;
  if (object.kind === 'DaemonSet') return nodes;
  if (object.kind !== 'Deployment' && object.kind !== 'ReplicaSet') return 0;
  // Past int32 the strict field check already refuses the value.
  return typeof spec.replicas === 'number' && spec.replicas >= 0 && spec.replicas <= INT32_MAX ? spec.replicas : 1;
}

/**
 * What one run can simulate (SIMULATION_LIMITS): nodes, pods at any moment (resources, then the
 * timeline's apply, scale and delete in order), and virtual time. Past these a run would take
 * hours or exhaust memory, so the scenario is refused with the limit in the message.
 */
function checkLimits(scenario: Scenario): PathIssue[] {
  const { nodes, resources, timeline, durationMs } = scenario.spec;
  const limits = SIMULATION_LIMITS;
  const issues: PathIssue[] = [];
  if (nodes.length > limits.nodes) {
    issues.push({ path: ['spec', 'nodes', limits.nodes], message: `${count(nodes.length)} nodes; the simulation runs at most ${count(limits.nodes)} nodes` });
  }
  const pods = new Map<string, number>();
  const key = (kind: string, namespace: string | undefined, name: string | undefined) => `${kind.toLowerCase()}/${namespace ?? 'default'}/${name ?? ''}`;
  const total = () => [...pods.values()].reduce((sum, n) => sum + n, 0);
  const over = (path: PathSegment[]) => {
    const n = total();
    if (n <= limits.pods) return false;
    issues.push({ path, message: `the scenario would run ${count(n)} pods at once; the simulation runs at most ${count(limits.pods)} pods` });
    return true;
  };
  let reported = false;
  resources.forEach((object, index) => {
    pods.set(key(object.kind, object.metadata.namespace, object.metadata.name), podsOf(object, nodes.length));
    if (!reported) reported = over(['spec', 'resources', index, ...(object.kind === 'Pod' || object.kind === 'DaemonSet' ? [] : ['spec', 'replicas'])]);
  });
  timeline.forEach((event, index) => {
    if (reported) return;
    const path: PathSegment[] = ['spec', 'timeline', index];
    if (event.action === 'apply') pods.set(key(event.manifest.kind, event.manifest.metadata.namespace, event.manifest.metadata.name), podsOf(event.manifest, nodes.length));
    else if (event.action === 'scale' || event.action === 'delete') {
      const [word, name] = event.target.split('/');
      const kind = ['deploy', 'deployment', 'deployments'].includes(word.toLowerCase()) ? 'deployment' : ['rs', 'replicaset', 'replicasets'].includes(word.toLowerCase()) ? 'replicaset' : word.toLowerCase();
      const k = [...pods.keys()].find((candidate) => candidate.startsWith(`${kind}/`) && candidate.endsWith(`/${name}`)) ?? key(kind, undefined, name);
      if (event.action === 'scale') pods.set(k, event.replicas);
      else pods.delete(k);
    }
    reported = over([...path, ...(event.action === 'scale' ? ['replicas'] : [])]);
  });
  if (durationMs > limits.durationMs) {
    issues.push({
      path: ['spec', 'duration'],
      message: `the scenario covers ${formatDuration(durationMs)} of virtual time; the simulation runs at most ${formatDuration(limits.durationMs)}`,
    });
  }
  return issues;
}

/** Every cross-field problem in a normalised scenario (node addresses may still be ''). */
export function checkScenario(scenario: Scenario): PathIssue[] {
  return [
    ...checkNodes(scenario),
    ...checkNetwork(scenario),
    ...checkBackend(scenario),
    ...checkReferences(scenario),
    ...checkManifests(scenario),
    ...checkObjectReferences(scenario),
    ...checkWaitFor(scenario),
    ...checkTimes(scenario),
    ...checkCheckpoints(scenario),
    ...checkLimits(scenario),
  ];
}
