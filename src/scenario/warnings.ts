/**
 * Warnings: a scenario that loads and runs, but probably not as its author meant. Each is
 * printed as `FILE:LINE:COLUMN: PATH: warning: message`; `--strict` makes them errors.
 * These need only the file; warnings that need a run (an expectation met before anything
 * happened, a checkpoint after the last step) come from `kube-learn test`.
 */
import { selectorMatches } from '../controlplane/controller/replicaset/label-selector.js';
import { declaredManifests } from './manifests.js';
import type { PathIssue } from './problems.js';
import type { Scenario } from './types.js';

type Labels = Record<string, string>;

function isLabels(value: unknown): value is Labels {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** The labels of every pod the scenario's manifests make: bare Pods and workload templates, with their namespace. */
function podLabels(scenario: Scenario): { namespace: string; labels: Labels }[] {
  const out: { namespace: string; labels: Labels }[] = [];
  for (const { object } of declaredManifests(scenario)) {
    const namespace = object.metadata.namespace ?? 'default';
    if (object.kind === 'Pod' && isLabels(object.metadata.labels)) out.push({ namespace, labels: object.metadata.labels });
    const template = (object.spec as { template?: { metadata?: { labels?: unknown } } } | undefined)?.template;
    if (['Deployment', 'ReplicaSet', 'DaemonSet'].includes(object.kind) && isLabels(template?.metadata?.labels)) {
      out.push({ namespace, labels: template.metadata.labels });
    }
  }
  return out;
}

/** Pods by namespace, label key and value: a Service's selector is checked against only the pods that carry one of its labels. */
function podsByLabel(scenario: Scenario): Map<string, Labels[]> {
  const byLabel = new Map<string, Labels[]>();
  for (const { namespace, labels } of podLabels(scenario)) {
    for (const [key, value] of Object.entries(labels)) {
      const bucket = `${namespace}\u0000${key}\u0000${value}`;
      const pods = byLabel.get(bucket);
      if (pods) pods.push(labels);
      else byLabel.set(bucket, [labels]);
    }
  }
  return byLabel;
}

/** A Service whose selector matches no pod the scenario makes gets no endpoints: every request to it is refused. */
function servicesWithoutPods(scenario: Scenario): PathIssue[] {
  const byLabel = podsByLabel(scenario);
  return declaredManifests(scenario).flatMap(({ object, path }) => {
    const selector = (object.spec as { selector?: unknown } | undefined)?.selector;
    if (object.kind !== 'Service' || !isLabels(selector) || Object.keys(selector).length === 0) return [];
    const namespace = object.metadata.namespace ?? 'default';
    // A matching pod carries every label of the selector, so the smallest of those buckets holds it.
    let candidates: readonly Labels[] | undefined;
    for (const [key, value] of Object.entries(selector)) {
      const pods = byLabel.get(`${namespace}\u0000${key}\u0000${value}`) ?? [];
      if (candidates === undefined || pods.length < candidates.length) candidates = pods;
    }
    if (candidates!.some((labels) => selectorMatches({ matchLabels: selector }, labels))) return [];
    const shown = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    return [{ path: [...path, 'spec', 'selector'], message: `the selector ${shown} matches no pod in this scenario (namespace ${namespace}), so the Service gets no endpoints` }];
  });
}

/** A `heal` of a node that no partition has cut off at that moment does nothing. */
function healsWithoutPartition(scenario: Scenario): PathIssue[] {
  const issues: PathIssue[] = [];
  const cutUntil = new Map<string, number>();
  const events = scenario.spec.timeline.map((event, index) => ({ event, index })).sort((a, b) => a.event.atMs - b.event.atMs || a.index - b.index);
  for (const { event, index } of events) {
    if (event.action === 'partition') cutUntil.set(event.node, event.forMs === undefined ? Infinity : event.atMs + event.forMs);
    else if (event.action === 'heal') {
      const until = cutUntil.get(event.node);
      if (until === undefined || until <= event.atMs) {
        const why = until === undefined ? 'no partition before it cuts it off' : 'its partition has already ended (for:)';
        issues.push({ path: ['spec', 'timeline', index, 'node'], message: `heal of ${event.node} does nothing: ${why}` });
      }
      cutUntil.delete(event.node);
    }
  }
  return issues;
}

/** Every warning that needs only the scenario file. */
export function scenarioWarnings(scenario: Scenario): PathIssue[] {
  return [...servicesWithoutPods(scenario), ...healsWithoutPartition(scenario)];
}
