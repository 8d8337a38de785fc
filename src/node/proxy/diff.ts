/**
 * A line diff between two renders, so each kube-proxy resync can be shown as the rules it
 * added and removed (most syncs touch only the Services that changed). Myers' O(ND) diff in
 * its linear-space form (the "middle snake", Myers 1986 section 4b): a sync against a table of
 * 100,000 lines needs memory in proportion to the lines, never to lines times edits. Equal
 * texts, an empty old table and lines shared at both ends cost no search at all.
 */

export interface DiffLine {
  readonly op: '+' | '-' | ' ';
  readonly line: string;
}

export interface RuleDiff {
  /** Only changed lines, "+ " or "- " prefixed, in file order. */
  readonly text: string;
  readonly added: number;
  readonly removed: number;
  /** Every line of both files with its op, for views that show context (built when read). */
  readonly lines: readonly DiffLine[];
}

const split = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** Scratch diagonals for the forward and backward searches, shared by every level of one diff. */
interface Scratch {
  readonly forward: Int32Array;
  readonly backward: Int32Array;
}

/**
 * The middle snake of a[aLo, aHi) against b[bLo, bHi): a run of equal lines that some shortest
 * edit script passes through, found by searching from both ends until the paths meet. Returns
 * its start and end as offsets into the two ranges. Both ranges are non-empty and differ in
 * their first and last lines.
 */
function middleSnake(a: readonly string[], aLo: number, aHi: number, b: readonly string[], bLo: number, bHi: number, s: Scratch): [number, number, number, number] {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const max = Math.ceil((n + m) / 2);
  const off = max + 1;
  const vf = s.forward;
  const vb = s.backward;
  vf[off + 1] = 0;
  vb[off + 1] = 0;
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const start = k === -d || (k !== d && vf[off + k - 1] < vf[off + k + 1]) ? vf[off + k + 1] : vf[off + k - 1] + 1;
      let x = start;
      let y = x - k;
      const ys = y;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) x++, y++;
      vf[off + k] = x;
      const back = delta - k;
      if (odd && back >= -(d - 1) && back <= d - 1 && x + vb[off + back] >= n) return [start, ys, x, y];
    }
    for (let k = -d; k <= d; k += 2) {
      const start = k === -d || (k !== d && vb[off + k - 1] < vb[off + k + 1]) ? vb[off + k + 1] : vb[off + k - 1] + 1;
      let x = start;
      let y = x - k;
      const ys = y;
      while (x < n && y < m && a[aHi - 1 - x] === b[bHi - 1 - y]) x++, y++;
      vb[off + k] = x;
      const fwd = delta - k;
      if (!odd && fwd >= -d && fwd <= d && x + vf[off + fwd] >= n) return [n - x, m - y, n - start, m - ys];
    }
  }
  throw new Error('diff: no middle snake (unreachable)');
}

/** An edit script as runs: [op, index, count] triples; equal and removed runs index a, added runs b. */
const EQUAL = 0;
const REMOVE = 1;
const ADD = 2;

function run(out: number[], op: number, index: number, count: number): void {
  if (count <= 0) return;
  const last = out.length - 3;
  if (last >= 0 && out[last] === op && out[last + 1] + out[last + 2] === index) out[last + 2] += count;
  else out.push(op, index, count);
}

/** Appends a shortest edit script of a[aLo, aHi) to b[bLo, bHi) to `out`, as runs. */
function diffRange(a: readonly string[], aLo: number, aHi: number, b: readonly string[], bLo: number, bHi: number, out: number[], s: Scratch): void {
  let head = 0;
  while (aLo + head < aHi && bLo + head < bHi && a[aLo + head] === b[bLo + head]) head++;
  run(out, EQUAL, aLo, head);
  aLo += head;
  bLo += head;
  let tail = 0;
  while (aLo < aHi - tail && bLo < bHi - tail && a[aHi - 1 - tail] === b[bHi - 1 - tail]) tail++;
  aHi -= tail;
  bHi -= tail;
  if (aLo === aHi) run(out, ADD, bLo, bHi - bLo);
  else if (bLo === bHi) run(out, REMOVE, aLo, aHi - aLo);
  else {
    const [x, y, u, v] = middleSnake(a, aLo, aHi, b, bLo, bHi, s);
    diffRange(a, aLo, aLo + x, b, bLo, bLo + y, out, s);
    run(out, EQUAL, aLo + x, u - x);
    diffRange(a, aLo + u, aHi, b, bLo + v, bHi, out, s);
  }
  run(out, EQUAL, aHi, tail);
}

/** Shortest edit script between a and b, as runs. */
function myers(a: readonly string[], b: readonly string[]): number[] {
  const size = 2 * (Math.ceil((a.length + b.length) / 2) + 1) + 3;
  const scratch: Scratch = { forward: new Int32Array(size), backward: new Int32Array(size) };
  const out: number[] = [];
  diffRange(a, 0, a.length, b, 0, b.length, out, scratch);
  return removalsFirst(out);
}

/**
 * Between two runs of equal lines, the removed lines first and then the added ones, as diff(1)
 * prints a changed hunk: the same edit, read as "this rule became that one".
 */
function removalsFirst(runs: readonly number[]): number[] {
  const out: number[] = [];
  let block: number[] = [];
  const flush = (): void => {
    for (const want of [REMOVE, ADD]) for (let r = 0; r < block.length; r += 3) if (block[r] === want) run(out, want, block[r + 1], block[r + 2]);
    block = [];
  };
  for (let r = 0; r < runs.length; r += 3) {
    if (runs[r] === EQUAL) {
      flush();
      run(out, EQUAL, runs[r + 1], runs[r + 2]);
    } else block.push(runs[r], runs[r + 1], runs[r + 2]);
  }
  flush();
  return out;
}

/** Every line of both files with its op, from the runs. */
function expand(a: readonly string[], b: readonly string[], runs: readonly number[]): DiffLine[] {
  const lines: DiffLine[] = [];
  for (let r = 0; r < runs.length; r += 3) {
    const op = runs[r] === EQUAL ? ' ' : runs[r] === REMOVE ? '-' : '+';
    const from = runs[r] === ADD ? b : a;
    for (let i = runs[r + 1]; i < runs[r + 1] + runs[r + 2]; i++) lines.push({ op, line: from[i] });
  }
  return lines;
}

const NO_CHANGE: Omit<RuleDiff, 'lines'> = { text: '', added: 0, removed: 0 };

/**
 * Compares two rule texts line by line. Equal texts are answered without splitting them, an
 * empty old table without searching (every line is added), and only the changed middle of the
 * two is searched; the full `lines` list is built only if a view asks for it.
 */
export function diffRules(oldText: string, newText: string): RuleDiff {
  if (oldText === newText) {
    let lines: readonly DiffLine[] | undefined;
    return { ...NO_CHANGE, get lines() {
      return (lines ??= split(oldText).map((line) => ({ op: ' ' as const, line })));
    } };
  }
  const a = split(oldText);
  const b = split(newText);
  const runs = myers(a, b);
  const changed: string[] = [];
  let added = 0;
  let removed = 0;
  for (let r = 0; r < runs.length; r += 3) {
    if (runs[r] === EQUAL) continue;
    const [prefix, from] = runs[r] === ADD ? ['+ ', b] : ['- ', a];
    for (let i = runs[r + 1]; i < runs[r + 1] + runs[r + 2]; i++) changed.push(prefix + from[i]);
    if (runs[r] === ADD) added += runs[r + 2];
    else removed += runs[r + 2];
  }
  let lines: readonly DiffLine[] | undefined;
  return {
    text: changed.length ? `${changed.join('\n')}\n` : '',
    added,
    removed,
    get lines() {
      return (lines ??= expand(a, b, runs));
    },
  };
}
