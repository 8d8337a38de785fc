/**
 * The scenario file format (../shared/scenario-format.md) as one zod schema. It validates the
 * YAML as written: durations and quantities stay strings here and are turned into `...Ms`,
 * millicores and bytes by normalise.ts, so `z.toJSONSchema(scenarioSchema)` can print the
 * format for editors. Every object is strict: an unknown field is an error, never ignored.
 */
import * as z from 'zod';
import { STAGES } from '../sim/trace.js';
import {
  cpuQuantity,
  countQuantity,
  dnsLabel,
  dnsSubdomain,
  duration,
  labelValue,
  manifest,
  memoryQuantity,
  qualifiedName,
} from './schema-fields.js';
import { checkpoint, expectation, timelineEvent } from './schema-timeline.js';
import { parseDuration } from './duration.js';

/** The CSR API's floor for spec.expirationSeconds (10 minutes); a cluster default below it makes no sense. */
const MIN_SIGNING_DURATION_MS = 600_000;

export const API_VERSION = 'kube-learn/v1';
export const KUBERNETES_VERSIONS = ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34'] as const;
export const NETWORK_PLUGINS = ['flannel', 'calico', 'weave', 'bridge'] as const;
export type NetworkPlugin = (typeof NETWORK_PLUGINS)[number];

/**
 * The backends each plugin supports; the first is the default. Flannel and Calico default as
 * their stock manifests do (vxlan; IP-in-IP for the manifest install), Weave to its fast
 * datapath, and the plain bridge plugin only has host routes between nodes (host-gw).
 */
export const NETWORK_BACKENDS = {
  flannel: ['vxlan', 'host-gw'],
  calico: ['ipip', 'vxlan', 'bgp'],
  weave: ['fastdp', 'sleeve'],
  bridge: ['host-gw'],
} as const satisfies Record<NetworkPlugin, readonly string[]>;
export type NetworkBackend = (typeof NETWORK_BACKENDS)[NetworkPlugin][number];
const ALL_BACKENDS = ['vxlan', 'host-gw', 'ipip', 'bgp', 'fastdp', 'sleeve'] as const;

const cidr = z.string().meta({ description: 'An IPv4 CIDR such as 10.96.0.0/12.' });

const controlPlane = z.strictObject({
  etcdMembers: z.literal([1, 3, 5]).default(1),
  nodeMonitorGracePeriod: duration
    .optional()
    .meta({ description: 'kube-controller-manager --node-monitor-grace-period; 50s from 1.32, 40s before.' }),
  defaultTolerationSeconds: z
    .int()
    .min(0)
    .default(300)
    .meta({ description: 'kube-apiserver --default-not-ready/unreachable-toleration-seconds.' }),
  clusterSigningDuration: duration
    .superRefine((text, ctx) => {
      const parsed = parseDuration(text);
      if (parsed.ok && parsed.ms < MIN_SIGNING_DURATION_MS)
        ctx.addIssue({ code: 'custom', message: `"${text}" is shorter than 10m, the shortest lifetime the certificates API signs for` });
    })
    .optional()
    .meta({
      description:
        'kube-controller-manager --cluster-signing-duration: the lifetime of the certificates csrsigning issues (default 8760h). A short one (say 10m) lets a scenario show the kubelet rotating its client certificate at 70-90% of its lifetime.',
    }),
});

const cluster = z.strictObject({
  kubernetesVersion: z
    .enum(KUBERNETES_VERSIONS, {
      error: (iss) =>
        typeof iss.input === 'number'
          ? `write the version in quotes, e.g. "1.32" (YAML reads 1.30 as the number 1.3)`
          : undefined,
    })
    .default('1.32'),
  serviceCIDR: cidr.default('10.96.0.0/12'),
  podCIDR: cidr.default('10.244.0.0/16'),
  nodeCIDRMaskSize: z.int().min(1).max(32).default(24),
  clusterDomain: dnsSubdomain.default('cluster.local'),
  controlPlane: controlPlane.prefault({}),
  network: z
    .strictObject({
      plugin: z.enum(NETWORK_PLUGINS).default('flannel'),
      backend: z
        .enum(ALL_BACKENDS)
        .optional()
        .meta({ description: 'Defaults per plugin: flannel vxlan, calico ipip, weave fastdp, bridge host-gw.' }),
    })
    .prefault({}),
  kubeProxy: z.strictObject({ mode: z.enum(['iptables', 'ipvs', 'nftables']).default('iptables') }).prefault({}),
});

const taint = z.strictObject({
  key: qualifiedName,
  value: labelValue.optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

const node = z.strictObject({
  name: dnsSubdomain,
  address: z.string().optional().meta({ description: 'IPv4 address; assigned from 172.18.0.0/16 (from .11) when absent.' }),
  capacity: z
    .strictObject({ cpu: cpuQuantity.default('2'), memory: memoryQuantity.default('4Gi'), pods: countQuantity.default('110') })
    .prefault({}),
  labels: z.record(qualifiedName, labelValue).default({}),
  taints: z.array(taint).default([]),
  joinAt: duration.default('0s').meta({ description: 'When the kubelet starts.' }),
  auth: z
    .strictObject({
      method: z.enum(['bootstrap-token', 'client-certificate']).default('bootstrap-token'),
      token: z.string().optional().meta({ description: 'A bootstrap token abcdef.0123456789abcdef; the cluster\'s own when absent.' }),
    })
    .prefault({}),
});

/** The whole scenario file. */
export const scenarioSchema = z
  .strictObject({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal('Scenario'),
    metadata: z.strictObject({
      name: dnsLabel,
      title: z.string().optional(),
      description: z.string().default(''),
      difficulty: z.enum(['beginner', 'intermediate', 'advanced']).default('beginner'),
      stages: z.array(z.enum(STAGES)).default([]),
    }),
    spec: z
      .strictObject({
        seed: z.int().min(0).max(0xffff_ffff).default(1),
        duration: duration.optional(),
        cluster: cluster.prefault({}),
        nodes: z.array(node).min(1, { error: 'needs at least one node' }),
        resources: z.array(manifest).default([]),
        timeline: z.array(timelineEvent).default([]),
        expect: z.array(expectation).default([]),
        checkpoints: z.array(checkpoint).default([]),
      }),
  })
  .meta({ title: 'kube-learn scenario', description: 'A kube-learn scenario file, format v1.' });

/**
 * The format as JSON Schema (draft 2020-12) for editors and `kube-learn schema`: the input
 * side, so fields with defaults are optional, as an author sees them.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input' }) as Record<string, unknown>;
}

/** A scenario file as validated, before normalisation (durations and quantities still text). */
export type RawScenario = z.output<typeof scenarioSchema>;
/** What an author may write. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
