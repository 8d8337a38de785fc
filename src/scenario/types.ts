/**
 * The normalised scenario every other part of kube-learn reads: every default applied,
 * durations as `...Ms` integers, quantities as millicores/bytes/counts, node addresses
 * assigned, manifests namespaced. Field names follow the file format; only units change.
 */
import type { KubeObject } from '../api/meta.js';
import type { Stage } from '../sim/trace.js';
import type { KUBERNETES_VERSIONS, NetworkBackend, NetworkPlugin, RawScenario } from './schema.js';

type RawEvent = RawScenario['spec']['timeline'][number];

/** A timeline event with `at`/`for` turned into ms; `manifest` (for apply) namespaced. */
export type TimelineEvent = RawEvent extends infer E
  ? E extends RawEvent
    ? Omit<E, 'at' | 'for' | 'manifest'> & { atMs: number } & ('for' extends keyof E ? { forMs?: number } : unknown) &
        ('manifest' extends keyof E ? { manifest: KubeObject } : unknown)
    : never
  : never;
export type TimelineAction = TimelineEvent['action'];

export interface ScenarioMetadata {
  readonly name: string;
  /** One line for `list` and the UI header; the name when the file gives none. */
  readonly title: string;
  readonly description: string;
  readonly difficulty: 'beginner' | 'intermediate' | 'advanced';
  readonly stages: readonly Stage[];
}

export interface ClusterSpec {
  readonly kubernetesVersion: (typeof KUBERNETES_VERSIONS)[number];
  readonly serviceCIDR: string;
  readonly podCIDR: string;
  readonly nodeCIDRMaskSize: number;
  readonly clusterDomain: string;
  readonly controlPlane: {
    readonly etcdMembers: 1 | 3 | 5;
    /** 50s from Kubernetes 1.32 (kubernetes/kubernetes#126287), 40s before, unless overridden. */
    readonly nodeMonitorGracePeriodMs: number;
    readonly defaultTolerationSeconds: number;
    /** kube-controller-manager --cluster-signing-duration; 8760h (one year) unless overridden. */
    readonly clusterSigningDurationMs: number;
  };
  readonly network: { readonly plugin: NetworkPlugin; readonly backend: NetworkBackend };
  readonly kubeProxy: { readonly mode: 'iptables' | 'ipvs' | 'nftables' };
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeSpec {
  readonly name: string;
  readonly address: string;
  readonly capacity: { readonly cpuMillis: number; readonly memoryBytes: number; readonly pods: number };
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly joinAtMs: number;
  /** `token` absent: the node uses the token the cluster creates for itself. */
  readonly auth: { readonly method: 'bootstrap-token' | 'client-certificate'; readonly token?: string };
}

/** `by`: must hold at some moment up to timeMs; `at`: must hold at timeMs. */
export type Expectation =
  | { readonly kind: 'wait'; readonly when: 'by' | 'at'; readonly timeMs: number; readonly wait: string; readonly for: string }
  | {
      readonly kind: 'request';
      readonly when: 'by' | 'at';
      readonly timeMs: number;
      readonly request: { readonly from: string; readonly to: string };
      readonly result: 'success' | 'refused' | 'timeout' | 'nxdomain';
    };

/**
 * Where a checkpoint is asked: after the last step of a stage that is not a heartbeat, after step
 * N, at the first step at or after a virtual time, or right after a timeline action's step.
 */
export type CheckpointAnchor =
  | { readonly stage: Stage }
  | { readonly step: number }
  | { readonly atMs: number }
  /** 0-based index into spec.timeline. */
  | { readonly action: number };

export interface Checkpoint {
  readonly after: CheckpointAnchor;
  readonly question: string;
  readonly choices: readonly string[];
  /** 1-based index into choices. */
  readonly answer: number;
  readonly explanation?: string;
}

export interface Scenario {
  readonly apiVersion: 'kube-learn/v1';
  readonly kind: 'Scenario';
  readonly metadata: ScenarioMetadata;
  readonly spec: {
    readonly seed: number;
    readonly durationMs: number;
    readonly cluster: ClusterSpec;
    readonly nodes: readonly NodeSpec[];
    /** Plain manifests as written, each with metadata.namespace set when its kind is namespaced. */
    readonly resources: readonly KubeObject[];
    readonly timeline: readonly TimelineEvent[];
    readonly expect: readonly Expectation[];
    readonly checkpoints: readonly Checkpoint[];
  };
}
