import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/main.js';
import type { CliIo } from '../src/cli/io.js';
import { ROOT } from './helpers.js';

function fakeIo(options: { tty?: boolean; cwd?: string } = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => ((out += t), true), isTTY: options.tty },
    stderr: { write: (t: string) => ((err += t), true) },
    stdin: { isTTY: options.tty },
    env: {},
    cwd: options.cwd ?? ROOT,
    out: () => out,
    err: () => err,
  };
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-learn-cli-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('kube-learn CLI', () => {
  it('prints the version and help with exit 0', async () => {
    const io = fakeIo();
    expect(await run(['--version'], io)).toBe(0);
    expect(io.out().trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = fakeIo();
    expect(await run(['--help'], help)).toBe(0);
    expect(help.out()).toContain('run [options] <scenario>');
    expect(help.out()).toContain('play [options] <scenario>');
  });

  it('answers usage mistakes with exit 2 and a message, never a stack trace', async () => {
    for (const argv of [['frobnicate'], ['run'], ['run', 'first-node', '--seed', 'abc'], ['run', 'first-node', '--format', 'xml'], ['run', 'first-node', '--until', 'soon']]) {
      const io = fakeIo();
      expect(await run(argv, io), argv.join(' ')).toBe(2);
      expect(io.err()).toMatch(/error|kube-learn:/);
      expect(io.err()).not.toMatch(/\n\s+at /);
    }
  });

  it('rejects an unknown scenario and a missing file with exit 2 and a hint', async () => {
    const io = fakeIo();
    expect(await run(['run', 'no-such-scenario'], io)).toBe(2);
    expect(io.err()).toContain('unknown scenario "no-such-scenario"');
    expect(io.err()).toContain('kube-learn list');
    const missing = fakeIo();
    expect(await run(['run', './missing.yaml'], missing)).toBe(2);
    expect(missing.err()).toContain('./missing.yaml: no such file');
  });

  it('points at FILE:LINE:COLUMN for a scenario with a mistake, exit 2', async () => {
    const path = tempFile('typo.yaml', 'apiVersion: kube-learn/v1\nkind: Scenario\nmetadata:\n  name: typo\nspec:\n  nodes:\n    - name: worker-1\n      capacty: { cpu: "2" }\n');
    const io = fakeIo();
    expect(await run(['run', path], io)).toBe(2);
    expect(io.err()).toContain(`${path}:8:7: spec.nodes[0]`);
    expect(io.err()).toContain('capacty');
  });

  it('lists the built-in scenarios', async () => {
    const io = fakeIo();
    expect(await run(['list'], io)).toBe(0);
    expect(io.out()).toMatch(/^NAME\s+DIFFICULTY\s+STAGES\s+TITLE$/m);
    expect(io.out()).toMatch(/^first-node\s+beginner/m);
    expect(io.out()).toMatch(/^rejected-token\s+beginner/m);
  });

  it('prints one JSON object per step with --format jsonl, the seed line on stderr', async () => {
    const io = fakeIo();
    expect(await run(['run', 'first-node', '--format', 'jsonl', '--until', '20s'], io)).toBe(0);
    expect(io.err()).toMatch(/^seed=1 scenario=first-node nodes=2 .*until=20s\n$/);
    const steps = io.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(steps[0]).toMatchObject({ step: 1, t: 0, stage: 'authentication', kind: 'decision' });
    const csr = steps.find((s) => s.method === 'POST' && s.path === '/apis/certificates.k8s.io/v1/certificatesigningrequests');
    expect(csr).toMatchObject({ status: 201, user: 'system:bootstrap:abcdef', key: expect.stringMatching(/^\/registry\/certificatesigningrequests\/node-csr-/), revision: expect.any(Number) });
    expect(csr!.request).toBeTruthy();
    expect(csr!.response).toBeTruthy();
    expect(steps.every((s) => typeof s.explanation === 'string' && (s.explanation as string).length > 20)).toBe(true);
    expect(steps.at(-1)!.t as number).toBeLessThanOrEqual(20_000);
  });

  it('is byte-identical for the same scenario and seed, and differs for another seed', async () => {
    const a = fakeIo();
    const b = fakeIo();
    const c = fakeIo();
    await run(['run', 'first-node', '--format', 'jsonl'], a);
    await run(['run', 'first-node', '--format', 'jsonl'], b);
    await run(['run', 'first-node', '--format', 'jsonl', '--seed', '2'], c);
    expect(a.out().length).toBeGreaterThan(10_000);
    expect(a.out()).toBe(b.out());
    expect(c.out()).not.toBe(a.out());
  });

  it("prints the README's `kube-learn run first-node` example line for line", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```text\n\$ kube-learn run first-node\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README has the run example').not.toBeNull();
    const example = block![1].split('\n').filter((line) => line !== '' && line !== '...');
    expect(example.length).toBeGreaterThan(8);
    const io = fakeIo();
    expect(await run(['run', 'first-node'], io)).toBe(0);
    const printed = new Set(io.out().split('\n'));
    for (const line of example) expect(printed.has(line), line).toBe(true);
  });

  it('play prints the transcript when stdout is not a terminal', async () => {
    const io = fakeIo({ tty: false });
    expect(await run(['play', 'first-node', '--until', '10s'], io)).toBe(0);
    expect(io.out()).toMatch(/^seed=1 scenario=first-node/);
    expect(io.out()).toContain('POST /api/v1/nodes  201  as system:node:worker-1');
  });
});

describe('the built binary', () => {
  it('ends quietly when piped into head', () => {
    const result = spawnSync('bash', ['-c', `node ${join(ROOT, 'bin/kube-learn.js')} play first-node | head -n 3; echo "exit=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^seed=1 scenario=first-node/);
    expect(lines.at(-1)).toBe('exit=0');
    expect(result.stderr).toBe('');
  });

  it('exits 2 on a bad flag from the real process', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kube-learn.js'), 'run', 'first-node', '--seed', '-1'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("option '--seed <n>' argument '-1' is invalid");
    void execFileSync;
  });
});
