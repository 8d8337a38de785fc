/**
 * The Kubernetes manifests in a scenario (spec.resources and the timeline's `apply`), checked
 * for what the simulation relies on: a kind the simulated kube-apiserver serves, under its
 * apiVersion; a valid name in a namespace that exists; no object declared twice; and, per kind,
 * the fields the controllers, kubelet and kube-proxy read (pod-spec.ts, service-spec.ts).
 */
import type { KubeObject } from '../api/meta.js';
import { apiVersionOf, resourceForKind, servedKinds, SYSTEM_NAMESPACES } from './kinds.js';
import { checkManifestFields } from './manifest-fields.js';
import { add, checkPodSpec, checkStringMap, checkWorkload, type ManifestContext } from './pod-spec.js';
import type { PathIssue, PathSegment } from './problems.js';
import { suggest } from './problems.js';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from './schema-fields.js';
import { checkServiceSpec } from './service-spec.js';
import type { Scenario } from './types.js';

/** A manifest and where the author wrote it. */
export interface DeclaredManifest {
  readonly path: readonly PathSegment[];
  readonly object: KubeObject;
  /** When it reaches the API server: 0 for spec.resources, the event's time for `apply`. */
  readonly atMs: number;
  readonly fromTimeline: boolean;
}

/** Every manifest in the scenario, resources first, then the timeline's applies in order. */
export function declaredManifests(scenario: Scenario): DeclaredManifest[] {
  const out: DeclaredManifest[] = scenario.spec.resources.map((object, index) => ({
    path: ['spec', 'resources', index],
    object,
    atMs: 0,
    fromTimeline: false,
  }));
  scenario.spec.timeline.forEach((event, index) => {
    if (event.action === 'apply') out.push({ path: ['spec', 'timeline', index, 'manifest'], object: event.manifest, atMs: event.atMs, fromTimeline: true });
  });
  return out;
}

/** DNS-1035 label: what a Service name must be (it becomes a DNS name and an env var prefix). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function checkName(ctx: ManifestContext, manifest: DeclaredManifest): void {
  const { kind, metadata } = manifest.object;
  const name = metadata.name;
  if (name === undefined) return;
  const at = [...manifest.path, 'metadata', 'name'];
  if (kind === 'Service' && (!DNS1035_LABEL.test(name) || name.length > 63)) {
    add(ctx, at, 'a Service name must be a DNS-1035 label: at most 63 lowercase letters, digits and "-", starting with a letter');
  } else if (kind === 'Namespace' && (!DNS1123_LABEL.test(name) || name.length > 63)) {
    add(ctx, at, 'a Namespace name must be a DNS-1123 label: at most 63 lowercase letters, digits and "-"');
  } else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    add(ctx, at, 'must be a lowercase DNS-1123 name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit');
  }
}

/** Kind and apiVersion; false when the kind is unknown and nothing else can be checked. */
function checkKind(ctx: ManifestContext, manifest: DeclaredManifest): boolean {
  const { kind, apiVersion } = manifest.object;
  const info = resourceForKind(kind);
  if (!info) {
    const kinds = servedKinds();
    add(ctx, [...manifest.path, 'kind'], `unknown kind "${kind}"; the simulated kube-apiserver serves ${kinds.join(', ')}`, suggest(kind, kinds));
    return false;
  }
  const expected = apiVersionOf(info);
  if (apiVersion !== expected) add(ctx, [...manifest.path, 'apiVersion'], `${kind} is served as ${expected}, not ${apiVersion}`, expected);
  return true;
}

function checkNamespace(ctx: ManifestContext, manifest: DeclaredManifest, namespaces: ReadonlySet<string>): void {
  const namespace = manifest.object.metadata.namespace;
  if (namespace === undefined || !resourceForKind(manifest.object.kind)?.namespaced || namespaces.has(namespace)) return;
  add(
    ctx,
    [...manifest.path, 'metadata', 'namespace'],
    `namespace "${namespace}" does not exist; add a Namespace manifest for it (kubeadm creates only ${SYSTEM_NAMESPACES.join(', ')})`,
    suggest(namespace, [...namespaces]),
  );
}

function checkBody(ctx: ManifestContext, manifest: DeclaredManifest): void {
  const { kind, metadata } = manifest.object;
  const spec = manifest.object.spec;
  if (metadata.labels !== undefined) checkStringMap(ctx, [...manifest.path, 'metadata', 'labels'], metadata.labels);
  if (kind === 'Pod') checkPodSpec(ctx, [...manifest.path, 'spec'], spec);
  else if (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'DaemonSet') checkWorkload(ctx, [...manifest.path, 'spec'], kind, spec);
}

function checkDuplicates(manifests: readonly DeclaredManifest[]): PathIssue[] {
  const seen = new Map<string, readonly PathSegment[]>();
  const issues: PathIssue[] = [];
  for (const manifest of manifests) {
    const { kind, metadata } = manifest.object;
    if (manifest.fromTimeline || metadata.name === undefined) continue;
    const key = `${kind}/${metadata.namespace ?? ''}/${metadata.name}`;
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, manifest.path);
      continue;
    }
    const where = metadata.namespace === undefined ? '' : ` in namespace ${metadata.namespace}`;
    issues.push({
      path: [...manifest.path, 'metadata', 'name'],
      message: `duplicate ${kind} "${metadata.name}"${where} (also spec.resources[${earlier[2]}])`,
    });
  }
  return issues;
}

/** Every problem with the scenario's manifests. */
export function checkManifests(scenario: Scenario): PathIssue[] {
  const manifests = declaredManifests(scenario);
  const ctx: ManifestContext = {
    nodeNames: scenario.spec.nodes.map((node) => node.name),
    serviceCIDR: scenario.spec.cluster.serviceCIDR,
    portNames: new Set(),
    issues: [],
  };
  const namespaces = new Set<string>([...SYSTEM_NAMESPACES]);
  for (const { object } of manifests) if (object.kind === 'Namespace' && object.metadata.name) namespaces.add(object.metadata.name);
  const known = manifests.filter((manifest) => checkKind(ctx, manifest));
  for (const manifest of known) {
    checkName(ctx, manifest);
    checkNamespace(ctx, manifest, namespaces);
    checkBody(ctx, manifest);
  }
  // Services last: a named targetPort refers to container ports declared anywhere.
  for (const manifest of known) if (manifest.object.kind === 'Service') checkServiceSpec(ctx, [...manifest.path, 'spec'], manifest.object.spec);
  // Strict field validation last: where a check above already explained a value, its message stands.
  const reported = new Set(ctx.issues.map((issue) => issue.path.join('\u0000')));
  const strict = known.flatMap((manifest) => checkManifestFields(manifest.path, manifest.object)).filter((issue) => !reported.has(issue.path.join('\u0000')));
  return [...ctx.issues, ...strict, ...checkDuplicates(known)];
}
