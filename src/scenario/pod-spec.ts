/**
 * The parts of a Pod spec the simulation reads (containers, images, ports, resource requests,
 * nodeName), checked as kube-apiserver's validation would (pkg/apis/core/validation), and the
 * workload rule the API enforces on Deployments, ReplicaSets and DaemonSets: the selector must
 * select the pods the template makes.
 */
import { selectorMatches } from '../controlplane/controller/replicaset/label-selector.js';
import type { LabelSelector } from '../controlplane/controller/replicaset/types.js';
import type { PathIssue, PathSegment } from './problems.js';
import { suggest } from './problems.js';
import { parseBytes, parseCpuMillis, parseQuantity, type QuantityResult } from './quantity.js';
import { DNS1123_LABEL } from './schema-fields.js';

/** What a manifest check needs from the rest of the scenario, and where it puts what it finds. */
export interface ManifestContext {
  readonly nodeNames: readonly string[];
  readonly serviceCIDR: string;
  /** Every container port name declared in any pod spec, for named Service targetPorts. */
  readonly portNames: Set<string>;
  readonly issues: PathIssue[];
}

export type Path = readonly PathSegment[];
export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function add(ctx: ManifestContext, path: Path, message: string, suggestion?: string): void {
  ctx.issues.push(suggestion === undefined ? { path, message } : { path, message, suggestion });
}

/** IANA_SVC_NAME: at most 15 of [a-z0-9-], with a letter, no leading, trailing or double '-'. */
export const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** A port number field: a whole number from `min` to `max`. */
export function checkPortNumber(ctx: ManifestContext, path: Path, value: unknown, min = 1, max = 65535): boolean {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return true;
  add(ctx, path, `expected a port number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return false;
}

export function checkProtocol(ctx: ManifestContext, path: Path, value: unknown): void {
  if (value === undefined || PROTOCOLS.includes(value as string)) return;
  add(ctx, path, `expected one of TCP, UDP, SCTP, got ${JSON.stringify(value)}`, suggest(value, PROTOCOLS));
}

const PARSERS: Readonly<Record<string, (input: unknown) => QuantityResult>> = { cpu: parseCpuMillis, memory: parseBytes };

/**
 * The resources a container may name, as the API server's ValidateContainerResourceName allows
 * them: the standard ones, hugepages-<size>, or an extended resource with a domain (example.com/gpu).
 */
const CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
function resourceNameProblem(name: string): string | undefined {
  if (CONTAINER_RESOURCES.includes(name) || /^hugepages-\S+$/.test(name) || /^[a-z0-9.-]+\/[\w.-]+$/i.test(name)) return undefined;
  return `"${name}" is not a resource a container can ask for: use cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource such as example.com/gpu`;
}

function checkResources(ctx: ManifestContext, path: Path, resources: unknown): void {
  if (!isMapping(resources)) return;
  const amounts: Record<string, Record<string, number>> = {};
  for (const section of ['requests', 'limits']) {
    const values = resources[section];
    if (values === undefined) continue;
    if (!isMapping(values)) {
      add(ctx, [...path, section], 'expected a mapping such as { cpu: 100m, memory: 64Mi }');
      continue;
    }
    // No prototype: a resource named `constructor` or `toString` is a name like any other.
    amounts[section] = Object.create(null) as Record<string, number>;
    for (const [name, value] of Object.entries(values)) {
      const wrongName = resourceNameProblem(name);
      if (wrongName !== undefined) {
        add(ctx, [...path, section, name], wrongName, suggest(name, CONTAINER_RESOURCES));
        continue;
      }
      const parsed = (Object.hasOwn(PARSERS, name) ? PARSERS[name] : parseQuantity)(value);
      if (!parsed.ok) add(ctx, [...path, section, name], parsed.message);
      else amounts[section][name] = parsed.value;
    }
  }
  for (const [name, limit] of Object.entries(amounts.limits ?? {})) {
    const request = amounts.requests?.[name];
    if (request !== undefined && request > limit) {
      add(ctx, [...path, 'requests', name], `the request is more than the limit (limits.${name}); the API refuses this`);
    }
  }
}

function checkContainerPorts(ctx: ManifestContext, path: Path, ports: unknown): void {
  if (ports === undefined) return;
  if (!Array.isArray(ports)) return add(ctx, path, 'expected a list of ports such as [{ containerPort: 80 }]');
  ports.forEach((port, index) => {
    const at = [...path, index];
    if (!isMapping(port)) return add(ctx, at, 'expected a mapping such as { containerPort: 80 }');
    if (port.containerPort === undefined) add(ctx, at, 'missing required field "containerPort"');
    else checkPortNumber(ctx, [...at, 'containerPort'], port.containerPort);
    checkProtocol(ctx, [...at, 'protocol'], port.protocol);
    if (port.name === undefined) return;
    if (typeof port.name !== 'string' || !IANA_SVC_NAME.test(port.name) || port.name.length > 15) {
      add(ctx, [...at, 'name'], 'a port name is at most 15 lowercase letters, digits and "-", with at least one letter');
    } else ctx.portNames.add(port.name);
  });
}

function checkContainer(ctx: ManifestContext, path: Path, container: unknown, seen: Map<string, number>, index: number): void {
  if (!isMapping(container)) return add(ctx, path, 'expected a mapping such as { name: web, image: nginx:1.27 }');
  const { name, image } = container;
  if (name === undefined) add(ctx, path, 'missing required field "name"');
  else if (typeof name !== 'string' || !DNS1123_LABEL.test(name) || name.length > 63) {
    add(ctx, [...path, 'name'], 'a container name must be a DNS-1123 label: lowercase letters, digits and "-"');
  } else if (seen.has(name)) add(ctx, [...path, 'name'], `duplicate container name "${name}" (also containers[${seen.get(name)}])`);
  else seen.set(name, index);
  if (image === undefined) add(ctx, path, 'missing required field "image"');
  else if (typeof image !== 'string' || image.trim() === '') add(ctx, [...path, 'image'], 'expected an image such as nginx:1.27');
  checkContainerPorts(ctx, [...path, 'ports'], container.ports);
  checkResources(ctx, [...path, 'resources'], container.resources);
}

/** A pod spec at `path` (a Pod's spec or a template's spec). */
export function checkPodSpec(ctx: ManifestContext, path: Path, spec: unknown): void {
  if (spec === undefined) return add(ctx, path.slice(0, -1), 'missing required field "spec"');
  if (!isMapping(spec)) return add(ctx, path, 'expected a mapping with containers');
  const { containers, nodeName, nodeSelector } = spec;
  if (!Array.isArray(containers) || containers.length === 0) {
    add(ctx, containers === undefined ? path : [...path, 'containers'], 'a pod needs at least one container, e.g. containers: [{ name: web, image: nginx:1.27 }]');
  } else {
    const seen = new Map<string, number>();
    containers.forEach((container, index) => checkContainer(ctx, [...path, 'containers', index], container, seen, index));
  }
  if (nodeName !== undefined && !ctx.nodeNames.includes(nodeName as string)) {
    add(ctx, [...path, 'nodeName'], `unknown node ${JSON.stringify(nodeName)}`, suggest(nodeName, ctx.nodeNames));
  }
  if (nodeSelector !== undefined) checkStringMap(ctx, [...path, 'nodeSelector'], nodeSelector);
}

/** Labels, selectors: every value must be a string (YAML reads `true` and `3` as other types). */
export function checkStringMap(ctx: ManifestContext, path: Path, value: unknown): value is Record<string, string> {
  if (!isMapping(value)) {
    add(ctx, path, 'expected a mapping of strings such as { app: web }');
    return false;
  }
  let ok = true;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      add(ctx, [...path, key], 'label values are strings; quote it (e.g. "true" or "3")');
      ok = false;
    }
  }
  return ok;
}

function describeSelector(selector: LabelSelector): string {
  const pairs = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(',')})` : ''}`);
  return [...pairs, ...expressions].join(',');
}

/** Deployment, ReplicaSet, DaemonSet: replicas, a non-empty selector that selects the template's labels, the pod spec. */
export function checkWorkload(ctx: ManifestContext, path: Path, kind: string, spec: unknown): void {
  if (!isMapping(spec)) return add(ctx, spec === undefined ? path.slice(0, -1) : path, spec === undefined ? 'missing required field "spec"' : 'expected a mapping');
  const { replicas, selector, template } = spec;
  if (replicas !== undefined && kind !== 'DaemonSet' && !(Number.isInteger(replicas) && (replicas as number) >= 0)) {
    add(ctx, [...path, 'replicas'], `expected a whole number of at least 0, got ${JSON.stringify(replicas)}`);
  }
  const templatePath = [...path, 'template'];
  if (!isMapping(template)) return add(ctx, template === undefined ? path : templatePath, template === undefined ? 'missing required field "template"' : 'expected a mapping');
  const labels = isMapping(template.metadata) ? template.metadata.labels : undefined;
  const labelsOk = labels === undefined || checkStringMap(ctx, [...templatePath, 'metadata', 'labels'], labels);
  checkPodSpec(ctx, [...templatePath, 'spec'], template.spec);
  if (selector === undefined) return add(ctx, path, `missing required field "selector" (apps/v1 ${kind}s need one, e.g. selector: { matchLabels: { app: web } })`);
  if (!isMapping(selector)) return add(ctx, [...path, 'selector'], 'expected a mapping such as { matchLabels: { app: web } }');
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined && !checkStringMap(ctx, [...path, 'selector', 'matchLabels'], matchLabels)) return;
  if (matchExpressions !== undefined && !checkExpressions(ctx, [...path, 'selector', 'matchExpressions'], matchExpressions)) return;
  const empty = Object.keys(matchLabels ?? {}).length === 0 && ((matchExpressions as unknown[] | undefined) ?? []).length === 0;
  if (empty) return add(ctx, [...path, 'selector'], 'an empty selector would select every pod; the API refuses it');
  if (labelsOk && !selectorMatches(selector as LabelSelector, labels as Record<string, string> | undefined)) {
    const at = labels === undefined ? templatePath : [...templatePath, 'metadata', 'labels'];
    add(ctx, at, `the selector (${describeSelector(selector as LabelSelector)}) does not select the template's labels; the API refuses this ${kind}`);
  }
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function checkExpressions(ctx: ManifestContext, path: Path, value: unknown): boolean {
  if (!Array.isArray(value)) {
    add(ctx, path, 'expected a list such as [{ key: app, operator: In, values: [web] }]');
    return false;
  }
  let ok = true;
  value.forEach((expression, index) => {
    const operator = isMapping(expression) ? expression.operator : undefined;
    if (!isMapping(expression) || typeof expression.key !== 'string' || !OPERATORS.includes(operator as string)) {
      add(ctx, [...path, index], `expected { key, operator, values } with operator one of ${OPERATORS.join(', ')}`, suggest(operator, OPERATORS));
      ok = false;
    }
  });
  return ok;
}
