import { describe, expect, it } from 'vitest';
import { CONTROLLER_INDEX, Indexer, controllerIndexFunc, controllerIndexValues } from '../../client/indexer.js';
import { objectKey } from '../../client/informer.js';
import type { InformerLike } from '../../client/shared-informer.js';
import type { SchedulingNode } from '../../scheduler/types.js';
import type { Pod } from '../replicaset/types.js';
import { DaemonPodTable, calculateStatus, claimVerdict, nodePlan, type ShouldRunFn } from './daemon-pods.js';
import { CONTROLLER_REVISION_HASH, nodeShouldRunDaemonPod, pinnedAffinity, targetNodeName, type DaemonSet } from './util.js';

/** A small deterministic generator (mulberry32), so a failing case can be replayed by its seed. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const NODE_NAMES = ['worker-1', 'worker-2', 'worker-10', 'worker-3', 'edge-a', 'worker-20'];
const DS_UID = 'uid-ds';

function daemonSet(selector: string, generation: number): DaemonSet {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system', uid: DS_UID, annotations: { 'deprecated.daemonset.template.generation': String(generation) } },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: selector }, containers: [{ name: 'agent' }] } },
    },
  };
}

/** The sync's answers computed the plain way: list and claim every candidate, walk every node. */
function plain(pods: Indexer<Pod>, nodes: Map<string, SchedulingNode>, ds: DaemonSet, hash: string, shouldRun: ShouldRunFn) {
  const candidates = pods.byIndexes(CONTROLLER_INDEX, controllerIndexValues(ds));
  const verdicts = candidates.map((p) => claimVerdict(p, ds));
  if (verdicts.includes('patch')) return undefined;
  const byNode = new Map<string, Pod[]>();
  candidates.forEach((pod, i) => {
    const node = targetNodeName(pod);
    if (verdicts[i] !== 'claim' || !node) return;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  });
  const sorted = [...nodes.values()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const needing: string[] = [];
  const toDelete: Pod[] = [];
  for (const node of sorted) {
    const plan = nodePlan(shouldRun(node, ds), byNode.get(node.metadata.name ?? ''));
    if (plan === 'create') needing.push(node.metadata.name ?? '');
    else if (plan) toDelete.push(...plan);
  }
  const strays = [...byNode.keys()].some((name) => !nodes.has(name));
  return { byNode, sorted, status: calculateStatus(ds, sorted, byNode, hash, 0, shouldRun), plan: strays ? undefined : { needing, toDelete: toDelete.map(objectKey) } };
}

/** Runs random changes; returns how many rounds the table answered (rather than leaving them to the full path). */
function run(seed: number, rounds: number): number {
  const r = rng(seed);
  // Orphans to adopt and pods to release send the sync down the full path; only some seeds make them.
  const irregular = seed % 3 === 0;
  const pick = <T>(items: readonly T[]): T => items[r(items.length)];
  const pods = new Indexer<Pod>();
  pods.addIndexer(CONTROLLER_INDEX, controllerIndexFunc);
  const nodes = new Map<string, SchedulingNode>();
  const shouldRun: ShouldRunFn = nodeShouldRunDaemonPod;
  const informers = {
    pods: { cache: pods, byIndexes: (n: string, v: readonly string[]) => pods.byIndexes(n, v), orderOf: (k: string) => pods.orderOf(k) } as unknown as InformerLike<Pod>,
    nodes: { cache: nodes } as unknown as InformerLike<SchedulingNode>,
  };
  const table = new DaemonPodTable(informers, shouldRun);
  let generation = 1;
  let ds = daemonSet('a', generation);
  let hash = `h${generation}`;
  let rv = 0;
  let created = 0;
  let answered = 0;

  const putNode = (name = pick(NODE_NAMES)): void => {
    const taints = r(4) === 0 ? [{ key: pick(['dedicated', 'node.kubernetes.io/not-ready']), effect: pick(['NoSchedule', 'NoExecute'] as const) }] : [];
    nodes.set(name, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { role: pick(['a', 'b']) }, resourceVersion: String(++rv) }, spec: { taints } });
    table.nodeChanged(name);
  };
  const putPod = (): void => {
    const name = `agent-${r(14)}`;
    const key = `kube-system/${name}`;
    const old = pods.get(key);
    const owner = pick(irregular ? ['ds', 'ds', 'ds', 'other', 'orphan'] : ['ds', 'ds', 'ds', 'other']);
    const node = pick([...NODE_NAMES, 'gone-1']);
    const spec: Pod['spec'] = r(2) ? { nodeName: node, containers: [] } : { affinity: pinnedAffinity(undefined, node), containers: [] };
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name, namespace: 'kube-system', uid: `pod-${name}`, resourceVersion: String(++rv),
        // Same-second timestamps exercise the name tie-break of byCreation.
        creationTimestamp: `2026-01-01T00:00:0${r(3)}Z`,
        labels: { app: irregular && r(6) === 0 ? 'other' : 'agent', [CONTROLLER_REVISION_HASH]: pick(['h1', 'h2', 'h3']) },
        ...(owner === 'orphan' ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: owner === 'ds' ? DS_UID : 'uid-other', controller: true }] }),
        ...(r(8) === 0 ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}),
      },
      spec,
      status: { phase: pick(['Pending', 'Running', 'Running', 'Failed', 'Succeeded']), conditions: [{ type: 'Ready', status: pick(['True', 'False']) }] },
    };
    if (!old) created++;
    pods.set(key, pod);
    table.podChanged(old, pod);
  };
  const deletePod = (): void => {
    const key = `kube-system/agent-${r(14)}`;
    const old = pods.get(key);
    if (!old) return;
    pods.delete(key);
    table.podChanged(old, undefined);
  };
  const deleteNode = (name = pick(NODE_NAMES)): void => {
    if (nodes.delete(name)) table.nodeChanged(name);
  };

  for (let round = 0; round < rounds; round++) {
    const steps = 1 + r(6);
    for (let i = 0; i < steps; i++) {
      const op = r(20);
      if (op < 9) putPod();
      else if (op < 12) deletePod();
      else if (op < 17) putNode();
      else if (op < 19) deleteNode();
      else {
        // A new template (another node selector or only another generation), sometimes an equal copy.
        if (r(2)) {
          generation++;
          ds = daemonSet(pick(['a', 'b']), generation);
          hash = `h${1 + r(3)}`;
        } else if (r(2)) ds = JSON.parse(JSON.stringify(ds)) as DaemonSet;
        // The template alone changes (even with the hash and generation kept, the table must notice).
        else ds = daemonSet(pick(['a', 'b']), generation);
      }
    }
    const want = plain(pods, nodes, ds, hash, shouldRun);
    const before = new Map<string, SchedulingNode | null>();
    const snapshot = want;
    // Some rounds change nodes after the sync began: the counts must be over the nodes it began with.
    if (r(3) === 0) {
      for (let i = 0; i < 1 + r(3); i++) {
        const name = pick(NODE_NAMES);
        if (!before.has(name)) before.set(name, nodes.get(name) ?? null);
        if (r(3) === 0) deleteNode(name);
        else putNode(name);
      }
    }
    const view = table.view(ds, hash, 0);
    const context = `seed ${seed} round ${round}`;
    if (!snapshot) {
      expect(view, context).toBeUndefined();
      continue;
    }
    expect(view, context).toBeDefined();
    answered++;
    // The snapshot's nodes, with the pods as they are now (no pod changed after the sync began).
    expect(view!.status(before), context).toEqual(calculateStatus(ds, snapshot.sorted, plain(pods, nodes, ds, hash, shouldRun)!.byNode, hash, 0, shouldRun));
    const now = plain(pods, nodes, ds, hash, shouldRun)!;
    expect(view!.status(), context).toEqual(now.status);
    const plan = view!.plan();
    expect(plan && { needing: plan.needing, toDelete: plan.toDelete.map(objectKey) }, context).toEqual(now.plan);
  }
  expect(created).toBeGreaterThan(10);
  return answered;
}

describe('DaemonPodTable', () => {
  it('answers as listing and claiming every pod and walking every node does, through random pod, node and template changes', () => {
    let answered = 0;
    for (let seed = 1; seed <= 60; seed++) answered += run(seed, 150);
    expect(answered).toBeGreaterThan(4000);
  });

  it('leaves a DaemonSet with minReadySeconds to the full path (availability depends on the time)', () => {
    const table = new DaemonPodTable({ pods: {} as InformerLike<Pod>, nodes: {} as InformerLike<SchedulingNode> }, nodeShouldRunDaemonPod);
    const ds = daemonSet('a', 1);
    ds.spec.minReadySeconds = 5;
    expect(table.view(ds, 'h1', 0)).toBeUndefined();
  });
});
