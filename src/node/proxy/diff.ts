/**
 * A line diff between two renders, so each kube-proxy resync can be shown as the rules it
 * added and removed (most syncs touch only the Services that changed). Myers' O(ND) diff:
 * fast when few lines change, which is the usual case.
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
  /** Every line of both files with its op, for views that show context. */
  readonly lines: readonly DiffLine[];
}

const split = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** Shortest edit script between a and b (Myers 1986), as a list of ops. */
function myers(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  return backtrack(a, b, trace, offset);
}

function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[], offset: number): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) out.push({ op: ' ', line: a[--x] }), y--;
    if (d > 0) {
      if (x === prevX) out.push({ op: '+', line: b[--y] });
      else out.push({ op: '-', line: a[--x] });
    }
  }
  return out.reverse();
}

/** Compares two rule texts line by line. */
export function diffRules(oldText: string, newText: string): RuleDiff {
  const lines = myers(split(oldText), split(newText));
  const changed = lines.filter((l) => l.op !== ' ');
  return {
    text: changed.map((l) => `${l.op} ${l.line}`).join('\n') + (changed.length ? '\n' : ''),
    added: changed.filter((l) => l.op === '+').length,
    removed: changed.filter((l) => l.op === '-').length,
    lines,
  };
}
