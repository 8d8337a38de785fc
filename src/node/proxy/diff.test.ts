import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffRules } from './diff.js';
import { renderIptables } from './iptables.js';
import { NODE_1, readyEndpoint, sampleServices } from './testdata.js';

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = x === b[j - 1] ? prev + 1 : Math.max(row[j], row[j - 1]);
      prev = tmp;
    }
  }
  return row[b.length];
}

describe('diffRules', () => {
  it('shows a scale-up as the new SEP chain and the re-weighted SVC rules', () => {
    const before = sampleServices();
    const after = sampleServices();
    after[4] = { ...after[4], endpoints: [...after[4].endpoints, readyEndpoint('10.244.2.10', 8080, 'node-2')] };
    const d = diffRules(renderIptables(before, NODE_1).nat, renderIptables(after, NODE_1).nat);
    expect(d.text).toContain('+ -A KUBE-SEP-');
    expect(d.text).toMatch(/\+ .*--to-destination 10\.244\.2\.10:8080/);
    expect(d.text).toMatch(/- -A KUBE-SVC-\w+ -m comment --comment "default\/web:http -> 10\.244\.1\.7:8080" -m statistic --mode random --probability 0\.50000000000/);
    expect(d.text).not.toContain('kube-dns');
  });

  it('is empty for identical input', () => {
    const text = renderIptables(sampleServices(), NODE_1).save;
    expect(diffRules(text, text)).toMatchObject({ text: '', added: 0, removed: 0 });
  });

  it('rebuilds both files and is a shortest edit script', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 14 });
    fc.assert(fc.property(lines, lines, (x, y) => {
      const d = diffRules(x.join('\n'), y.join('\n'));
      expect(d.lines.filter((l) => l.op !== '+').map((l) => l.line)).toEqual(x);
      expect(d.lines.filter((l) => l.op !== '-').map((l) => l.line)).toEqual(y);
      expect(d.added + d.removed).toBe(x.length + y.length - 2 * lcsLength(x, y));
    }));
  });
});
