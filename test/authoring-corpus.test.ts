import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { fakeIo } from './authoring-io.js';
import { ROOT } from './helpers.js';

/** test/corpus/bad/NAME.yaml must produce exactly the problems in expected.json (without the file name). */
const DIR = 'test/corpus/bad';
const expected = JSON.parse(readFileSync(join(ROOT, 'test', 'corpus', 'expected.json'), 'utf8')) as Record<string, string[]>;
const files = readdirSync(join(ROOT, DIR)).filter((name) => name.endsWith('.yaml')).sort();

describe('the bad-input corpus', () => {
  it('has at least 30 files, each with its expected message, and no message without a file', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s: exit 2, its message with a line number, no stack trace, fast', async (name) => {
    const io = fakeIo();
    const started = performance.now();
    const code = await run(['validate', `${DIR}/${name}`], io);
    const elapsedMs = performance.now() - started;
    expect(code).toBe(2);
    const lines = io.err().trimEnd().split('\n');
    expect(lines.pop()).toMatch(/^\d+ problems? in 1 of 1 file$/);
    expect(lines).toEqual(expected[name].map((message) => `${DIR}/${name}:${message}`));
    for (const line of lines) expect(line).toMatch(/^test\/corpus\/bad\/[\w.-]+:\d+:\d+: \S+: .+/);
    expect(io.err()).not.toMatch(/\n\s+at /);
    expect(io.out()).toBe('');
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('reports every file of several at once, and the valid ones as valid', async () => {
    const io = fakeIo();
    expect(await run(['validate', `${DIR}/duplicate-node.yaml`, 'scenarios/first-node.yaml', `${DIR}/bad-quantity.yaml`], io)).toBe(2);
    expect(io.out()).toBe('scenarios/first-node.yaml: valid (first-node: 2 nodes, 4 expectations)\n');
    expect(io.err()).toContain(`${DIR}/duplicate-node.yaml:9:13:`);
    expect(io.err()).toContain(`${DIR}/bad-quantity.yaml:8:24:`);
    expect(io.err().trimEnd().split('\n').at(-1)).toBe('3 problems in 2 of 3 files');
  });

  it('refuses a file over the size limit at once, without parsing it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kube-learn-big-')), 'huge.yaml');
    const node = (i: number) => `    - { name: worker-${i}, capacity: { cpu: "4", memory: 8Gi, pods: "110" }, labels: { zone: zone-${i % 3} } }\n`;
    writeFileSync(path, `apiVersion: kube-learn/v1\nkind: Scenario\nmetadata: { name: huge }\nspec:\n  nodes:\n${Array.from({ length: 30_000 }, (_, i) => node(i)).join('')}`);
    const io = fakeIo();
    const started = performance.now();
    expect(await run(['validate', path], io)).toBe(2);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(io.err()).toContain(`${path}:1:1: (root): the file is more than 2.0 MiB; a scenario is at most 2.0 MiB`);
  });

  it('answers from the real binary with exit 2 and only the messages', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kube-learn.js'), 'validate', `${DIR}/alias-bomb.yaml`, `${DIR}/binary.yaml`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${DIR}/alias-bomb.yaml:${expected['alias-bomb.yaml'][0]}\n${DIR}/binary.yaml:${expected['binary.yaml'][0]}\n2 problems in 2 of 2 files\n`,
    );
  });
});
