/**
 * Go's two ways of printing a time.Time that show up in certificate errors, computed from a
 * given epoch ms (never the wall clock).
 */

/** time.RFC3339 in UTC: `2026-01-01T09:00:00Z`. */
export function formatRfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** time.Time's `%v`: `2026-01-01 09:00:00 +0000 UTC` (fractional seconds shown only if set). */
export function formatGoTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? '.' + fraction : ''} +0000 UTC`;
}
