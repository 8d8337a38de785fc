/**
 * Limits that keep every answer fast and deterministic, whatever the input: the size of a file
 * and the depth of its nesting (yaml-source.ts checks it). Both are checked before anything that
 * could take long or recurse. Nothing here loads the YAML parser: start-up reads these limits.
 */

/**
 * A scenario file is at most this many bytes (or characters of text). A 5,000-node scenario is
 * about 0.5 MiB; the YAML parser reads roughly 1 MiB a second, so the cap keeps every answer,
 * even "this is too big", within a couple of seconds.
 */
export const MAX_SCENARIO_BYTES = 2 * 1024 * 1024;

/** Deeper than this is no scenario (manifests nest about 12 levels). */
export const MAX_DEPTH = 64;

/** Why a file of `size` bytes is refused. */
export function tooLarge(size: number, atLeast = false): string {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `the file is ${atLeast ? 'more than ' : ''}${mib(atLeast ? MAX_SCENARIO_BYTES : size)}; a scenario is at most ${mib(MAX_SCENARIO_BYTES)} (5,000 nodes take about 0.5 MiB)`;
}

/**
 * The largest cluster one simulation is built for: 5,000 nodes with 30 pods each, the size
 * `npm run bench` measures. A scenario beyond these is refused at load time, with the limit in
 * the message, rather than left to run for hours or exhaust memory.
 */
export const SIMULATION_LIMITS = {
  /** Nodes in spec.nodes. */
  nodes: 5_000,
  /** Pods the scenario asks for at once: bare Pods, workload replicas, DaemonSet pods (one per node). */
  pods: 150_000,
  /** Virtual time one run covers: spec.duration, every event time and `--until`. */
  durationMs: 24 * 3600_000,
} as const;

/** Kubernetes' int32 fields (replicas, ports, counts) hold at most this. */
export const INT32_MAX = 2_147_483_647;
export const INT32_MIN = -2_147_483_648;
