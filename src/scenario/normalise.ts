/**
 * Turns a validated RawScenario into a Scenario: defaults applied, durations in ms, quantities
 * in millicores/bytes/counts, manifests namespaced. Runs only on input the schema accepted, so
 * every parse here succeeds. Node addresses left out by the author stay '' until
 * withNodeAddresses (network.ts) fills them, after the CIDRs are known to be sound.
 */
import type { KubeObject } from '../api/meta.js';
import { resourceForKind } from '../controlplane/apiserver/resources.js';
import { parseDuration } from './duration.js';
import { parseBytes, parseCount, parseCpuMillis, type QuantityResult } from './quantity.js';
import { NETWORK_BACKENDS, type RawScenario } from './schema.js';
import type { Checkpoint, ClusterSpec, Expectation, NodeSpec, Scenario, TimelineEvent } from './types.js';

const MINUTE_MS = 60_000;
/** A scenario lasts at least this long, and this long past its last event. */
export const MIN_DURATION_MS = 5 * MINUTE_MS;
export const DURATION_MARGIN_MS = MINUTE_MS;

type Raw = RawScenario['spec'];

/** ms of a duration the schema already accepted. */
function ms(text: string): number {
  const parsed = parseDuration(text);
  return parsed.ok ? parsed.ms : 0;
}

function amount(result: QuantityResult): number {
  return result.ok ? result.value : 0;
}

function cluster(raw: Raw['cluster']): ClusterSpec {
  const minor = Number(raw.kubernetesVersion.split('.')[1]);
  const grace = raw.controlPlane.nodeMonitorGracePeriod;
  return {
    ...raw,
    controlPlane: {
      etcdMembers: raw.controlPlane.etcdMembers,
      nodeMonitorGracePeriodMs: grace === undefined ? (minor >= 32 ? 50_000 : 40_000) : ms(grace),
      defaultTolerationSeconds: raw.controlPlane.defaultTolerationSeconds,
      clusterSigningDurationMs: raw.controlPlane.clusterSigningDuration === undefined ? 8760 * 3600_000 : ms(raw.controlPlane.clusterSigningDuration),
    },
    network: {
      plugin: raw.network.plugin,
      backend: raw.network.backend ?? NETWORK_BACKENDS[raw.network.plugin][0],
    },
  };
}

function node(raw: Raw['nodes'][number]): NodeSpec {
  return {
    name: raw.name,
    address: raw.address ?? '',
    capacity: {
      cpuMillis: amount(parseCpuMillis(raw.capacity.cpu)),
      memoryBytes: amount(parseBytes(raw.capacity.memory)),
      pods: amount(parseCount(raw.capacity.pods)),
    },
    labels: raw.labels,
    taints: raw.taints,
    joinAtMs: ms(raw.joinAt),
    auth: raw.auth,
  };
}

/** Puts a namespaced object without metadata.namespace into `default`, as kubectl apply does. */
export function withNamespace(manifest: Raw['resources'][number]): KubeObject {
  const object = manifest as KubeObject;
  if (object.metadata.namespace !== undefined) return object;
  if (resourceForKind(object.kind)?.namespaced === false) return object;
  return { ...object, metadata: { ...object.metadata, namespace: 'default' } };
}

function event(raw: Raw['timeline'][number]): TimelineEvent {
  const { at, ...rest } = raw;
  const out: Record<string, unknown> = { atMs: ms(at), ...rest };
  if ('for' in rest) {
    delete out.for;
    if (rest.for !== undefined) out.forMs = ms(rest.for);
  }
  if (rest.action === 'apply') out.manifest = withNamespace(rest.manifest);
  return out as TimelineEvent;
}

function expectation(raw: Raw['expect'][number]): Expectation {
  const when = raw.by !== undefined ? 'by' : 'at';
  const timeMs = ms(raw.by ?? raw.at ?? '0s');
  if (raw.request !== undefined) {
    return { kind: 'request', when, timeMs, request: raw.request, result: raw.result ?? 'success' };
  }
  return { kind: 'wait', when, timeMs, wait: raw.wait ?? '', for: raw.for ?? '' };
}

function checkpoint(raw: Raw['checkpoints'][number]): Checkpoint {
  const { after, ...rest } = raw;
  const anchor = typeof after === 'string' ? { stage: after } : 'step' in after ? { step: after.step } : 'at' in after ? { atMs: ms(after.at) } : { action: after.action };
  return { after: anchor, ...rest };
}

/** The last moment anything in the scenario is scheduled to happen. */
export function lastEventMs(spec: Pick<Scenario['spec'], 'timeline' | 'expect' | 'nodes'>): number {
  const times = [
    ...spec.timeline.map((e) => e.atMs + ('forMs' in e && e.forMs !== undefined ? e.forMs : 0)),
    ...spec.expect.map((e) => e.timeMs),
    ...spec.nodes.map((n) => n.joinAtMs),
  ];
  return times.reduce((latest, t) => Math.max(latest, t), 0);
}

/** The normalised scenario, with '' for node addresses the author left out. */
export function normalise(raw: RawScenario): Scenario {
  const { metadata, spec } = raw;
  const nodes = spec.nodes.map(node);
  const timeline = spec.timeline.map(event);
  const expect = spec.expect.map(expectation);
  const durationMs =
    spec.duration !== undefined
      ? ms(spec.duration)
      : Math.max(MIN_DURATION_MS, lastEventMs({ timeline, expect, nodes }) + DURATION_MARGIN_MS);
  return {
    apiVersion: raw.apiVersion,
    kind: raw.kind,
    metadata: { ...metadata, title: metadata.title ?? metadata.name },
    spec: {
      seed: spec.seed,
      durationMs,
      cluster: cluster(spec.cluster),
      nodes,
      resources: spec.resources.map(withNamespace),
      timeline,
      expect,
      checkpoints: spec.checkpoints.map(checkpoint),
    },
  };
}
