import type { Taint, Toleration } from '../nodelifecycle/types.js';

/**
 * Toleration matching as the taint-eviction controller uses it (core/v1 Toleration.ToleratesTaint,
 * v1helper.GetMatchingTolerations, taint_eviction.go getMinTolerationTime).
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/**
 * Whether every taint is tolerated, and by which toleration (the first match for each taint).
 * The first untolerated taint is returned for explanations.
 */
export function getMatchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | undefined,
): { allTolerated: true; used: Toleration[] } | { allTolerated: false; untolerated: Taint } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = (tolerations ?? []).find((t) => toleratesTaint(t, taint));
    if (!match) return { allTolerated: false, untolerated: taint };
    used.push(match);
  }
  return { allTolerated: true, used };
}

/**
 * The smallest tolerationSeconds among the tolerations in ms: 0 if any is ≤ 0 (or none are
 * given), -1 when none has a limit (tolerated forever).
 */
export function getMinTolerationTimeMs(tolerations: readonly Toleration[]): number {
  if (tolerations.length === 0) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}
