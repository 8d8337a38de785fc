/**
 * Names of objects the timeline and expectations refer to (`delete target:`, `scale target:`,
 * `wait:`, `request from: pod/NAME`) must be objects the scenario creates: declared in
 * spec.resources or applied by the timeline, made by a controller from one of those (pods and
 * ReplicaSets are named `<owner>-<suffix>`), or created by kubeadm. Otherwise the action would
 * fail with 404 or the expectation could never hold. Node names are checked in semantic.ts.
 */
import { GENERATED_BY, KIND_WORDS, kindOfWord } from './kinds.js';
import { declaredManifests, type DeclaredManifest } from './manifests.js';
import type { PathIssue, PathSegment } from './problems.js';
import { suggest } from './problems.js';
import { formatDuration } from './duration.js';
import type { Scenario } from './types.js';

/** Kinds whose objects in `default` come only from the scenario (plus the few kubeadm makes). */
const AUTHORED_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'Pod', 'Service', 'ConfigMap', 'Secret', 'Namespace']);
const SYSTEM_OBJECTS = ['Service/kubernetes', 'ConfigMap/kube-root-ca.crt', 'Namespace/default', 'Namespace/kube-system', 'Namespace/kube-public', 'Namespace/kube-node-lease'];
const SCALABLE = ['Deployment', 'ReplicaSet'];

interface Reference {
  readonly path: readonly PathSegment[];
  readonly text: string;
  readonly word: string;
  readonly name?: string;
  readonly selector?: string;
  /** Set for timeline actions: the object must exist by then. */
  readonly atMs?: number;
  readonly scale?: boolean;
}

function references(scenario: Scenario): Reference[] {
  const refs: Reference[] = [];
  const split = (text: string) => {
    const selector = /^(\S+) -l (\S+)$/.exec(text);
    if (selector) return { word: selector[1], selector: selector[2] };
    const [word, name] = text.split('/');
    return { word, name };
  };
  scenario.spec.timeline.forEach((event, index) => {
    const path = ['spec', 'timeline', index];
    if (event.action === 'delete' || event.action === 'scale') {
      refs.push({ path: [...path, 'target'], text: event.target, ...split(event.target), atMs: event.atMs, scale: event.action === 'scale' });
    }
    if (event.action === 'request' && event.from.startsWith('pod/')) refs.push({ path: [...path, 'from'], text: event.from, ...split(event.from), atMs: event.atMs });
  });
  scenario.spec.expect.forEach((goal, index) => {
    const path = ['spec', 'expect', index];
    if (goal.kind === 'wait') refs.push({ path: [...path, 'wait'], text: goal.wait, ...split(goal.wait) });
    else if (goal.request.from.startsWith('pod/')) refs.push({ path: [...path, 'request', 'from'], text: goal.request.from, ...split(goal.request.from) });
  });
  return refs;
}

function labelsOf(manifest: DeclaredManifest): Record<string, string>[] {
  const { kind, metadata } = manifest.object;
  if (kind === 'Pod') return [stringLabels(metadata.labels)];
  const template = (manifest.object.spec as { template?: { metadata?: { labels?: unknown } } } | undefined)?.template;
  return GENERATED_BY.Pod.includes(kind) ? [stringLabels(template?.metadata?.labels)] : [];
}

/**
 * The labels that are strings. A label of another type is reported where the manifest is checked;
 * here it only must not break the comparison (or the message that lists the labels there are).
 */
function stringLabels(labels: unknown): Record<string, string> {
  if (typeof labels !== 'object' || labels === null) return {};
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** `pods -l app=web`: some pod the scenario makes must carry these labels, or it waits for nothing. */
function checkPodSelector(ref: Reference, manifests: readonly DeclaredManifest[]): PathIssue[] {
  const pairs = (ref.selector ?? '').split(',').map((pair) => pair.split('='));
  if (pairs.some((pair) => pair.length !== 2)) return [];
  const labelSets = manifests.flatMap(labelsOf);
  if (labelSets.some((labels) => pairs.every(([key, value]) => labels[key] === value))) return [];
  const known = [...new Set(labelSets.flatMap((labels) => Object.entries(labels).map(([k, v]) => `${k}=${v}`)))];
  return [{ path: ref.path, message: `no pod in this scenario has the labels ${ref.selector}`, suggestion: suggest(ref.selector, known) }];
}

function checkReference(ref: Reference, manifests: readonly DeclaredManifest[]): PathIssue[] {
  const kind = kindOfWord(ref.word);
  if (kind === undefined) {
    const words = Object.keys(KIND_WORDS);
    return [{ path: ref.path, message: `unknown kind "${ref.word}" in "${ref.text}"; use one of ${words.join(', ')}`, suggestion: suggest(ref.word, words) }];
  }
  if (ref.scale && !SCALABLE.includes(kind)) return [{ path: ref.path, message: `scale works on deployments and replicasets, not ${kind}s` }];
  if (kind === 'Node' || !AUTHORED_KINDS.has(kind)) return [];
  if (ref.selector !== undefined) return kind === 'Pod' ? checkPodSelector(ref, manifests) : [];
  const name = ref.name ?? '';
  const namespace = kind === 'Namespace' ? undefined : 'default';
  const same = manifests.filter((m) => m.object.kind === kind && m.object.metadata.name === name && m.object.metadata.namespace === namespace);
  if (SYSTEM_OBJECTS.includes(`${kind}/${name}`)) return [];
  if (same.length > 0) {
    const first = Math.min(...same.map((m) => m.atMs));
    if (ref.atMs === undefined || first <= ref.atMs) return [];
    return [{ path: ref.path, message: `${ref.text} is applied only at ${formatDuration(first)}, after this action (${formatDuration(ref.atMs)})` }];
  }
  const owners = manifests.filter((m) => (GENERATED_BY[kind] ?? []).includes(m.object.kind) && m.object.metadata.namespace === namespace);
  if (owners.some((m) => name.startsWith(`${m.object.metadata.name ?? ''}-`))) return [];
  const candidates = manifests.filter((m) => m.object.kind === kind).map((m) => m.object.metadata.name ?? '');
  const where = namespace === undefined ? '' : ` in namespace ${namespace}`;
  return [{ path: ref.path, message: `no ${kind} named "${name}"${where} in this scenario`, suggestion: suggest(name, candidates) }];
}

/** Problems with every non-node object the timeline and expectations name. */
export function checkObjectReferences(scenario: Scenario): PathIssue[] {
  const manifests = declaredManifests(scenario);
  return references(scenario).flatMap((ref) => checkReference(ref, manifests));
}
