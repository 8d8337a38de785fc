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

  it('stays a shortest edit script on longer files with long equal runs at both ends', () => {
    const block = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 });
    fc.assert(fc.property(block, block, block, block, (head, x, y, tail) => {
      const before = [...head, ...x, ...tail];
      const after = [...head, ...y, ...tail];
      const d = diffRules(before.join('\n'), after.join('\n'));
      expect(d.lines.filter((l) => l.op !== '+').map((l) => l.line)).toEqual(before);
      expect(d.lines.filter((l) => l.op !== '-').map((l) => l.line)).toEqual(after);
      expect(d.added + d.removed).toBe(before.length + after.length - 2 * lcsLength(before, after));
    }), { numRuns: 300 });
  });

  it('a first sync against an empty table adds every line; a sync that changes one Service touches only its lines', () => {
    const services = Array.from({ length: 2000 }, (_, i) => `-A KUBE-SERVICES -d 10.96.${i >> 8}.${i & 255}/32 -j KUBE-SVC-${i}`);
    const table = `${services.join('\n')}\n`;
    expect(diffRules('', table)).toMatchObject({ added: 2000, removed: 0 });
    const changed = table.replace('-j KUBE-SVC-1000\n', '-j KUBE-SVC-1000b\n');
    const d = diffRules(table, changed);
    expect(d.text).toBe('- -A KUBE-SERVICES -d 10.96.3.232/32 -j KUBE-SVC-1000\n+ -A KUBE-SERVICES -d 10.96.3.232/32 -j KUBE-SVC-1000b\n');
  });
});
