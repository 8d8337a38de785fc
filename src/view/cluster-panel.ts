import { virtualMs } from '../sim/clock.js';
import { NODE_PREFIX, type ClusterState } from './cluster-state.js';

/**
 * The cluster panel's rows, derived from a ClusterState: which control-plane components are up,
 * each node's Ready condition, lease age, podCIDR and taints, and each pod's phase, node and IP.
 * Ages come from the state's own virtual time, never the wall clock, so a step always looks the same.
 */
export interface ClusterPanelModel {
  readonly components: readonly ComponentCell[];
  readonly nodes: readonly NodeRow[];
  /** The first pods in the panel's order (all of them, or as many as were asked for). */
  readonly pods: readonly PodRow[];
  /** Pods in the store, listed or not. */
  readonly podCount: number;
  /** Whether any pod is outside the default namespace (the panel then shows namespaces). */
  readonly namespaced: boolean;
}

/** One control-plane component in the panel's top line. */
export interface ComponentCell {
  readonly name: string;
  /** False when it is stopped or cannot serve (etcd without quorum). */
  readonly up: boolean;
  /** 'degraded': it serves, but something is wrong (an etcd member is down, quorum holds). */
  readonly health: 'up' | 'degraded' | 'down';
  /** What is wrong, in a few words: 'stopped', '2/3 members', 'no quorum', 'lost leader lease'. */
  readonly note?: string;
}

/** One node as the panel lists it. */
export interface NodeRow {
  readonly name: string;
  /** False until the kubelet has created its Node object. */
  readonly registered: boolean;
  /**
   * The Ready condition's status exactly as the API holds it ('True', 'False', 'Unknown'), or '—'
   * when there is none yet: a cut-off node stays True until the node lifecycle controller notices.
   */
  readonly ready: string;
  /** Virtual ms since the node's Lease was last renewed (undefined: no Lease yet). */
  readonly leaseAgeMs?: number;
  readonly podCIDR?: string;
  readonly taints: readonly string[];
  /** What a scenario failure did to the machine, if anything. */
  readonly fault?: 'down' | 'partitioned';
  /** Agents on the node a scenario stopped while the machine runs on ('kubelet', 'kube-proxy'). */
  readonly stopped: readonly string[];
  /**
   * What the scenario did to the node, which the API may not know yet: 'down', 'cut off',
   * 'kubelet stopped'. Shown apart from Ready, which is only what the API server says.
   */
  readonly mark?: string;
}

/** One pod as the panel lists it. */
export interface PodRow {
  readonly namespace: string;
  readonly name: string;
  readonly phase: string;
  /** Ready containers of all containers, as kubectl's READY column ('1/1'). */
  readonly ready: string;
  readonly node?: string;
  readonly ip?: string;
}

/** The control plane kubeadm starts, in the order the panel lists it. */
export const CONTROL_PLANE = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;

interface NodeObject {
  spec?: { podCIDR?: string; taints?: { key: string; value?: string; effect: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}
interface LeaseObject {
  spec?: { renewTime?: string };
}
interface PodObject {
  metadata?: { deletionTimestamp?: string };
  spec?: { nodeName?: string; containers?: unknown[] };
  status?: { phase?: string; podIP?: string; containerStatuses?: { ready?: boolean }[] };
}

/** The order `localeCompare` gives, without building a collator for every comparison (thousands of pods). */
const COLLATOR = new Intl.Collator();

/**
 * What clusterPanel keeps between calls, so that a frame costs about the rows it shows rather
 * than a sort and a row per pod: each pod's row, by the stored object (steps share these and
 * never change them), and every pod key seen so far in the panel's order.
 */
export class ClusterPanelCache {
  readonly rows = new WeakMap<object, PodRow>();
  /** Pod keys seen so far, sorted as the panel lists pods (namespace/name, by the collator). */
  order: readonly PodKey[] = [];
  /** How many of the history's seen pod keys (ClusterState.seen.pods) are in `order`. */
  taken = 0;
}

interface PodKey {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly sortKey: string;
}

/**
 * Builds the panel for `state`; `nodeNames` are the scenario's nodes, listed even before they
 * register. Pass the same `cache` for every state of one history (the player does), and
 * `maxPods`, the pod rows there is room for: a frame then reads those pods, not all of them.
 */
export function clusterPanel(state: ClusterState, nodeNames: readonly string[], cache = new ClusterPanelCache(), maxPods = Infinity): ClusterPanelModel {
  const components = componentCells(state);
  const registered: string[] = [];
  for (const key of state.seen.nodes) if (state.objects.has(key)) registered.push(key.slice(NODE_PREFIX.length));
  const seenPods = state.seen.pods;
  if (cache.taken < seenPods.length) {
    const found: PodKey[] = seenPods.slice(cache.taken).map((key) => {
      const parts = key.split('/');
      return { key, namespace: parts[3], name: parts[4], sortKey: `${parts[3]}/${parts[4]}` };
    });
    cache.taken = seenPods.length;
    cache.order = mergeSorted(cache.order, found.sort(byPanelOrder));
  }
  const pods: PodRow[] = [];
  for (const pod of cache.order) {
    if (pods.length >= Math.min(maxPods, state.podCount)) break;
    const object = state.objects.get(pod.key);
    if (object === undefined) continue;
    let row = typeof object === 'object' && object !== null ? cache.rows.get(object) : undefined;
    if (!row) {
      row = podRow(pod.namespace, pod.name, object as PodObject);
      if (typeof object === 'object' && object !== null) cache.rows.set(object, row);
    }
    pods.push(row);
  }
  const names = [...new Set([...nodeNames, ...registered.sort()])];
  const nodes = names.map((name) => nodeRow(name, state.objects.get(`${NODE_PREFIX}${name}`) as NodeObject | undefined, state));
  return { components, nodes, pods, podCount: state.podCount, namespaced: state.podsOutsideDefault > 0 };
}

const byPanelOrder = (a: PodKey, b: PodKey) => COLLATOR.compare(a.sortKey, b.sortKey);

function mergeSorted(a: readonly PodKey[], b: readonly PodKey[]): PodKey[] {
  const out: PodKey[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(byPanelOrder(b[j], a[i]) < 0 ? b[j++] : a[i++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/**
 * The control plane's components with what is wrong with each. etcd members (etcd-0, etcd-1...)
 * fold into one etcd entry counting members; agents on a node (kubelet/worker-2) are shown on
 * their node's row instead.
 */
function componentCells(state: ClusterState): ComponentCell[] {
  const extra = [...state.componentsDown].filter((c) => !c.includes('/') && !/^etcd-\d+$/.test(c));
  return [...new Set([...CONTROL_PLANE, ...extra])].map((name): ComponentCell => {
    if (name === 'etcd' && state.etcd && state.etcd.up < state.etcd.total) {
      const members = `${state.etcd.up}/${state.etcd.total} members`;
      return state.etcd.quorum ? { name, up: true, health: 'degraded', note: members } : { name, up: false, health: 'down', note: `${members}, no quorum` };
    }
    if (!state.componentsDown.has(name)) return { name, up: true, health: 'up' };
    const reason = state.downReasons.get(name);
    return { name, up: false, health: 'down', note: reason === 'leader election lost' ? 'lost leader lease' : (reason ?? 'stopped') };
  });
}

function nodeRow(name: string, node: NodeObject | undefined, state: ClusterState): NodeRow {
  const lease = state.objects.get(`/registry/leases/kube-node-lease/${name}`) as LeaseObject | undefined;
  const renew = lease?.spec?.renewTime;
  const fault = state.nodeFaults.get(name);
  const stopped = [...state.componentsDown].filter((c) => c.endsWith(`/${name}`)).map((c) => c.slice(0, -name.length - 1)).sort();
  const mark = fault === 'down' ? 'down' : fault === 'partitioned' ? 'cut off' : stopped.length ? `${stopped.join(', ')} stopped` : undefined;
  return {
    name,
    registered: node !== undefined,
    ready: node?.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '—',
    leaseAgeMs: renew ? Math.max(0, state.nowMs - virtualMs(renew)) : undefined,
    podCIDR: node?.spec?.podCIDR,
    taints: (node?.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
    ...(fault ? { fault } : {}),
    stopped,
    ...(mark ? { mark } : {}),
  };
}

function podRow(namespace: string, name: string, pod: PodObject): PodRow {
  return {
    namespace,
    name,
    phase: pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Pending'),
    ready: `${(pod.status?.containerStatuses ?? []).filter((c) => c.ready).length}/${pod.spec?.containers?.length ?? 0}`,
    node: pod.spec?.nodeName,
    ip: pod.status?.podIP,
  };
}

/** `4s`, `1m05s`: a lease age as kubectl prints ages, to the second. */
export function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
}
