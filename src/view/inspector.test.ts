import { describe, expect, it } from 'vitest';
import { inspectStep, toYaml, wrapInspector } from './inspector.js';
import { diffLines, withContext } from './diff.js';
import { fixtureSteps } from '../../test/tui/fixtures.js';

const steps = fixtureSteps();
const texts = (n: number) => inspectStep(steps[n - 1]).map((l) => l.text);

describe('inspectStep', () => {
  it('shows the request and response bodies as YAML', () => {
    const lines = texts(2);
    expect(lines).toContain('Request body');
    expect(lines).toContain('  kind: CertificateSigningRequest');
    expect(lines).toContain('    signerName: kubernetes.io/kube-apiserver-client-kubelet');
    expect(lines).toContain('Response body');
    expect(lines).toContain('    name: csr-abc');
  });

  it('shows who asked: the user and its groups', () => {
    const lines = texts(4);
    expect(lines).toContain('  user    system:node:worker-1');
    expect(lines).toContain('  groups  system:nodes, system:authenticated');
  });

  it('shows where the write landed: store key and revision', () => {
    const lines = texts(6);
    expect(lines).toContain('  key       /registry/minions/worker-1');
    expect(lines).toContain('  revision  43');
  });

  it('shows an update as a diff of the stored object, before (-) and after (+)', () => {
    const lines = inspectStep(steps[5]);
    const changed = lines.filter((l) => l.tone === 'add' || l.tone === 'remove').map((l) => l.text);
    expect(changed).toContain('-       status: "False"');
    expect(changed).toContain('+       status: "True"');
    expect(changed).toContain('+   podCIDR: 10.244.0.0/24');
    expect(changed.some((t) => t.includes('node.kubernetes.io/not-ready') && t.startsWith('-'))).toBe(true);
    expect(lines.find((l) => l.tone === 'heading' && l.text.startsWith('Stored object'))?.text).toBe('Stored object (updated: - before, + after)');
  });

  it('shows a created object as all additions', () => {
    const lines = inspectStep(steps[3]);
    const start = lines.findIndex((l) => l.text.startsWith('Stored object (created')) + 1;
    const body = lines.slice(start).filter((l) => l.text !== '');
    expect(body.length).toBeGreaterThan(3);
    expect(body.every((l) => l.tone === 'add')).toBe(true);
  });

  it('puts why it happened first, before the records, and marks failed requests by what failed', () => {
    const lines = inspectStep(steps[17]);
    expect(lines[2]).toEqual({ text: 'POST /api/v1/nodes  →  refused', tone: 'error' });
    expect(lines.slice(3, 6).map((l) => l.text)).toEqual(['', 'Why', 'Explanation of step 18.']);
    expect(lines.findIndex((l) => l.text === 'Why')).toBeLessThan(lines.findIndex((l) => l.text === 'Response body'));
  });

  it('writes shared objects in full rather than as YAML aliases', () => {
    const shared = { a: 1 };
    expect(toYaml({ x: shared, y: shared }).join('\n')).not.toContain('*');
  });
});

describe('diffLines', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
    ]);
  });

  it('folds long unchanged stretches into one line', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const after = before.map((l, i) => (i === 10 ? 'changed' : l));
    const shown = withContext(diffLines(before, after), 2).map((l) => `${l.op}${l.text}`);
    expect(shown).toEqual([' … 8 unchanged lines', ' line 8', ' line 9', '-line 10', '+changed', ' line 11', ' line 12', ' … 7 unchanged lines']);
  });
});

describe('wrapInspector', () => {
  it('continues long lines below, indented, instead of cutting them; a word longer than a line is split', () => {
    const wrapped = wrapInspector([{ text: `  request: ${'A'.repeat(30)}`, tone: 'plain' }], 20);
    expect(wrapped.map((l) => l.text)).toEqual(['  request:', '    AAAAAAAAAAAAAAAA', '    AAAAAAAAAAAAAA']);
  });

  it('breaks prose between words, never inside one', () => {
    const text = 'The kubelet renews its Lease every 10s (a quarter of leaseDurationSeconds=40). This small write is the heartbeat.';
    const wrapped = wrapInspector([{ text, tone: 'plain' }], 30).map((l) => l.text);
    expect(wrapped.slice(0, 2)).toEqual(['The kubelet renews its Lease', 'every 10s (a quarter of']);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(30);
    const words = wrapped.flatMap((l) => l.trim().split(' '));
    expect(words).toEqual(text.split(' '));
  });
});
