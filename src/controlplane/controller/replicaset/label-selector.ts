import type { LabelSelector } from './types.js';

/**
 * metav1.LabelSelectorAsSelector + Matches: `matchLabels` and `matchExpressions` are ANDed. An
 * empty selector matches everything, which is why the API refuses one on ReplicaSets and
 * Deployments; a missing selector matches nothing.
 */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of matchLabelEntries(selector)) if (have[key] !== value) return false;
  for (const req of selector.matchExpressions ?? []) {
    const value = have[req.key];
    const values = req.values ?? [];
    const ok =
      req.operator === 'In' ? value !== undefined && values.includes(value)
      : req.operator === 'NotIn' ? value === undefined || !values.includes(value)
      : req.operator === 'Exists' ? value !== undefined
      : req.operator === 'DoesNotExist' ? value === undefined
      : false;
    if (!ok) return false;
  }
  return true;
}

/** The matchLabels pairs of a selector, listed once per selector object (stored objects never change). */
const entriesMemo = new WeakMap<LabelSelector, readonly [string, string][]>();

function matchLabelEntries(selector: LabelSelector): readonly [string, string][] {
  let entries = entriesMemo.get(selector);
  if (!entries) entriesMemo.set(selector, (entries = Object.entries(selector.matchLabels ?? {})));
  return entries;
}

/** A plain map selector (a Service's spec.selector): every pair must be present. */
export function mapSelectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  return Object.entries(selector).every(([key, value]) => have[key] === value);
}
