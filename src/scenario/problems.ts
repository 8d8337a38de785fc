/**
 * Problems: what `kube-learn validate` and every loader failure report, one per mistake, as
 * `FILE:LINE:COLUMN: PATH: message (did you mean "x"?)`. Checks produce PathIssues (a path into
 * the document and a message); load.ts gives them a line and column from the YAML nodes.
 */

export type PathSegment = string | number;

/** A mistake found at a place in the document, before it has a line and column. */
export interface PathIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly suggestion?: string;
  /** Point at the key rather than the value (unknown fields, duplicate keys). */
  readonly atKey?: boolean;
}

export interface Problem {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** `spec.nodes[1].capacity.cpu`; `(root)` for the document as a whole. */
  readonly path: string;
  readonly message: string;
  /** A known name close to the one written (Levenshtein distance of at most 2). */
  readonly suggestion?: string;
  /** A warning: the scenario loads and runs, probably not as meant. Absent for errors. */
  readonly severity?: 'warning';
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Paths deeper than this are shortened in messages: `a[0][0]...(985 more)...[0]`. */
const MAX_SHOWN_SEGMENTS = 16;

/** `spec.nodes[1].capacity.cpu`, with odd keys quoted: `labels["example.com/gpu"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length > MAX_SHOWN_SEGMENTS) {
    const head = formatPath(path.slice(0, MAX_SHOWN_SEGMENTS - 4));
    const tail = path.slice(-3).map((s) => (typeof s === 'number' ? `[${s}]` : PLAIN_KEY.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`));
    return `${head}...(${path.length - MAX_SHOWN_SEGMENTS + 1} more)...${tail.join('')}`;
  }
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** `FILE:LINE:COLUMN: PATH: message`, plus ` (did you mean "x"?)` when there is a suggestion. */
export function formatProblem(problem: Problem): string {
  const hint = problem.suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(problem.suggestion)}?)`;
  const label = problem.severity === 'warning' ? 'warning: ' : '';
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.path}: ${label}${problem.message}${hint}`;
}

/** Edit distance (insert, delete, substitute), with an early exit once it exceeds `limit`. */
export function levenshtein(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known name closest to `written`, if it is within 2 edits and not a complete rewrite
 * (a one-letter key is not "close" to every two-letter one). Ties go to the earlier candidate.
 */
export function suggest(written: unknown, candidates: readonly unknown[]): string | undefined {
  if (typeof written !== 'string' && typeof written !== 'number') return undefined;
  const text = String(written);
  if (text.length > 200) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const name = String(candidate);
    if (name === text) continue;
    const distance = levenshtein(text.toLowerCase(), name.toLowerCase(), 2);
    const adjusted = distance === 0 ? 1 : distance;
    if (adjusted < bestDistance && adjusted < Math.max(name.length, text.length)) {
      best = name;
      bestDistance = adjusted;
    }
  }
  return best;
}
