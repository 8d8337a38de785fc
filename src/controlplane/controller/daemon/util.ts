import type { Taint, Toleration } from '../../../api/core.js';
import type { KubeObject } from '../../../api/meta.js';
import { podMatchesNodeSelectorAndAffinity } from '../../scheduler/plugins/node-affinity.js';
import { tolerationsTolerateTaint } from '../../scheduler/plugins/taint-toleration.js';
import type { SchedulingNode, SchedulingPod } from '../../scheduler/types.js';
import type { LabelSelector, PodTemplateSpec } from '../replicaset/types.js';

/**
 * pkg/controller/daemon/util and the predicates of daemon_controller.go: the tolerations every
 * DaemonSet pod gets, the node affinity that pins a pod to its node (the default scheduler then
 * binds it there), and whether a node should run the daemon pod at all.
 */
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** The annotation that carries templateGeneration in apps/v1 (apps.DeprecatedTemplateGeneration). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
}

export interface DaemonSet extends KubeObject {
  spec: { selector: LabelSelector; template: PodTemplateSpec; minReadySeconds?: number; updateStrategy?: { type?: string } };
  status?: DaemonSetStatus;
}

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/**
 * AddOrUpdateDaemonPodTolerations: no NoExecute limit for not-ready and unreachable (a daemon pod
 * is never evicted from a failing node), and the NoSchedule condition taints, so pressure or a
 * cordon does not keep a daemon off its node; network-unavailable only for hostNetwork pods,
 * which do not need the pod network.
 */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

/** v1helper.AddOrUpdateTolerationInPodSpec for each: an identical toleration is not added twice. */
export function withDaemonTolerations(spec: Record<string, unknown>): Toleration[] {
  const out = [...((spec.tolerations as Toleration[] | undefined) ?? []).map((t) => ({ ...t }))];
  for (const t of daemonPodTolerations(spec.hostNetwork === true)) {
    const same = (o: Toleration) => (o.key ?? '') === t.key && (o.operator ?? 'Equal') === t.operator && (o.value ?? '') === '' && (o.effect ?? '') === t.effect;
    if (!out.some(same)) out.push(t);
  }
  return out;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: required node affinity `metadata.name In [node]`, replacing any other required terms. */
export function pinnedAffinity(affinity: Record<string, any> | undefined, nodeName: string): Record<string, unknown> {
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  return { ...affinity, nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required } };
}

/** GetTargetNodeName: spec.nodeName, or the node a pending daemon pod is pinned to. */
export function targetNodeName(pod: KubeObject): string | undefined {
  const spec = pod.spec as Record<string, any> | undefined;
  if (spec?.nodeName) return spec.nodeName as string;
  for (const term of spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const field of term.matchFields ?? []) {
      if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1) return field.values[0] as string;
    }
  }
  return undefined;
}

/**
 * NodeShouldRunDaemonPod: the DaemonSet's pod for this node (template plus daemon tolerations)
 * must match the node's labels (nodeSelector, node affinity) and tolerate its NoSchedule and
 * NoExecute taints to start there; a pod already there keeps running while it tolerates the
 * NoExecute ones.
 */
export function nodeShouldRunDaemonPod(node: SchedulingNode, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec.template.spec as SchedulingPod['spec'] & { nodeName?: string; hostNetwork?: boolean };
  const name = node.metadata.name ?? '';
  if (spec.nodeName && spec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  const pod = { metadata: {}, spec: { ...spec, tolerations: withDaemonTolerations(spec) } } as SchedulingPod;
  if (!podMatchesNodeSelectorAndAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const untolerated = (effects: string[]) => (node.spec?.taints ?? []).some((t: Taint) => effects.includes(t.effect) && !tolerationsTolerateTaint(pod.spec.tolerations, t));
  if (untolerated(['NoSchedule', 'NoExecute'])) return { shouldRun: false, shouldContinueRunning: !untolerated(['NoExecute']) };
  return { shouldRun: true, shouldContinueRunning: true };
}
