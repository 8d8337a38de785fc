import type { NodeSelectorRequirement, NodeSelectorTerm, SchedulingNode, SchedulingPod } from '../types.js';
import { SUCCESS, frozenStatus, type FilterPlugin, type FilterStatus, type NodeInfo } from './framework.js';

/**
 * NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity): the node must carry every
 * `nodeSelector` label and match at least one of the required node-affinity terms (terms are
 * ORed, the expressions inside a term ANDed).
 */
function matchRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !/^-?\d+$/.test(value) || values.length !== 1) return false;
      const diff = Number(value) - Number(values[0]);
      return req.operator === 'Gt' ? diff > 0 : diff < 0;
    }
    default:
      return false;
  }
}

function matchTerm(term: NodeSelectorTerm, node: SchedulingNode): boolean {
  const labels = node.metadata.labels ?? {};
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term matches nothing (nodeaffinity's nodeSelectorTerms semantics).
  if (!expressions.length && !fields.length) return false;
  return (
    expressions.every((r) => matchRequirement(r, labels[r.key])) &&
    fields.every((r) => matchRequirement(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
  );
}

export function podMatchesNodeSelectorAndAffinity(pod: SchedulingPod, node: SchedulingNode): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[key] !== value) return false;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return required.nodeSelectorTerms.some((term) => matchTerm(term, node));
}

export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter(pod: SchedulingPod, nodeInfo: NodeInfo): FilterStatus {
    if (podMatchesNodeSelectorAndAffinity(pod, nodeInfo.node)) return SUCCESS(this.name);
    return MISMATCH;
  },
};

const MISMATCH = frozenStatus('UnschedulableAndUnresolvable', ["node(s) didn't match Pod's node affinity/selector"], nodeAffinity.name);

/**
 * NodeAffinity's PreFilter: when every required term names nodes with `matchFields metadata.name
 * In [...]` (how the DaemonSet controller pins its pods), only those nodes need filtering.
 * Undefined means all nodes.
 */
export function preFilterNodeNames(pod: SchedulingPod): ReadonlySet<string> | undefined {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    const byName = (term.matchFields ?? []).find((r) => r.key === 'metadata.name' && r.operator === 'In');
    if (!byName) return undefined;
    for (const value of byName.values ?? []) names.add(value);
  }
  return names;
}

/** The status of the nodes PreFilter left out, as a failed attempt reports them. */
export const NOT_IN_PREFILTER = frozenStatus('UnschedulableAndUnresolvable', ["node(s) didn't satisfy plugin(s) [NodeAffinity]"], nodeAffinity.name);
