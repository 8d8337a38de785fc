import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { loadScenarioText } from '../src/scenario/index.js';
import { fakeIo } from './authoring-io.js';
import { ROOT } from './helpers.js';

/** Bad input from the command line and the file system: exit 2 (or 3 for a write error), one clear line, never a stack trace or a hang. */

const BIN = join(ROOT, 'bin', 'kube-learn.js');
const FIRST_NODE = join(ROOT, 'scenarios', 'first-node.yaml');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kube-learn-bad-input-'));
}

async function cli(argv: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo({ cwd });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function noStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('internal error');
}

describe('absurd flags', () => {
  it.each([
    [['run', FIRST_NODE, '--until', '-1s'], `error: option '--until <duration>' argument '-1s' is invalid. "-1s" is negative; --until is a virtual time from the start of the scenario, such as 90s or 5m.`],
    [['run', FIRST_NODE, '--until', '25h'], `error: option '--until <duration>' argument '25h' is invalid. "25h" is more than a run can cover; the simulation runs at most 24h of virtual time.`],
    [['run', FIRST_NODE, '--until', 'banana'], `error: option '--until <duration>' argument 'banana' is invalid. expected a duration such as 90s, 5m, 1m30s or 500ms, got "banana".`],
    [['play', FIRST_NODE, '--until', '-1s'], `error: option '--until <duration>' argument '-1s' is invalid. "-1s" is negative; --until is a virtual time from the start of the scenario, such as 90s or 5m.`],
    [['run', FIRST_NODE, '--seed', '-5'], `error: option '--seed <n>' argument '-5' is invalid. expected a whole number from 0 to 4294967295.`],
    [['test', FIRST_NODE, '--seed', '1e99'], `error: option '--seed <n>' argument '1e99' is invalid. expected a whole number from 0 to 4294967295.`],
    [['run', FIRST_NODE, '--seed', '4294967296'], `error: option '--seed <n>' argument '4294967296' is invalid. expected a whole number from 0 to 4294967295.`],
    [['run', FIRST_NODE, '--format', 'xml'], `error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, jsonl.`],
    [['serve', 'first-node', '--speed', '0'], `error: option '--speed <n>' argument '0' is invalid. expected a number above 0 and at most 1000 (1 = real time).`],
    [['serve', 'first-node', '--port', '70000'], `error: option '--port <n>' argument '70000' is invalid. expected a port number from 0 to 65535 (0 picks a free one).`],
  ])('%j: exit 2 with one line saying what is allowed', async (argv, message) => {
    const { code, out, err } = await cli(argv);
    expect(code).toBe(2);
    expect(err).toBe(`${message}\n`);
    expect(out).toBe('');
  });
});

describe('files that are not regular scenario files', () => {
  it('a FIFO is refused at once by validate, run and test, without waiting for a writer', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.yaml');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) return void console.warn('skipped: mkfifo is not available here');
    for (const command of ['validate', 'run', 'test']) {
      // Reading a FIFO with no writer blocks forever; the timeout turns a hang into a failure.
      const r = spawnSync(process.execPath, [BIN, command, 'pipe.yaml'], { cwd: dir, encoding: 'utf8', timeout: 15_000 });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('pipe.yaml: this is a named pipe (FIFO), not a regular file; a scenario is read from a file');
      noStack(r.stderr);
    }
  });

  it('names a symlink loop and a dangling link as such', async () => {
    const dir = tempDir();
    symlinkSync('loop-b.yaml', join(dir, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(dir, 'loop-b.yaml'));
    symlinkSync('nowhere.yaml', join(dir, 'dangling.yaml'));
    const loop = await cli(['validate', 'loop-a.yaml'], dir);
    expect(loop.code).toBe(2);
    expect(loop.err).toBe('kube-learn: loop-a.yaml: too many levels of symbolic links (a symlink loop)\n');
    const dangling = await cli(['run', 'dangling.yaml'], dir);
    expect(dangling.code).toBe(2);
    expect(dangling.err).toBe('kube-learn: dangling.yaml: a symbolic link to a file that does not exist\n');
  });

  it('says "is a directory" when run is given a directory named like a file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'lab.yaml'));
    const r = await cli(['run', 'lab.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe('kube-learn: lab.yaml: is a directory, not a scenario file\n');
  });

  it('names permission denied (as an unprivileged user when the tests run as root, since root ignores file modes)', () => {
    const dir = tempDir();
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, 'apiVersion: kube-learn/v1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  nodes: [{ name: a }]\n');
    chmodSync(file, 0o000);
    chmodSync(dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    // As root, the child drops to nobody (65534); it still needs to read the project's files.
    const as = asRoot ? { uid: 65534, gid: 65534 } : {};
    // A checkout under a directory only root may enter (mktemp -d makes them 0700) is out of nobody's reach.
    const reach = spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(BIN)}, 4)`], { encoding: 'utf8', timeout: 15_000, ...as });
    if (reach.error || reach.status !== 0) return void console.warn(`skipped: an unprivileged user cannot read ${BIN} here`);
    const r = spawnSync(process.execPath, [BIN, 'validate', file], { encoding: 'utf8', timeout: 15_000, ...as });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${file}:1:1: (root): permission denied\n1 problem in 1 of 1 file\n`);
  });

  it('says a missing top-level apiVersion is missing, not undefined', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lab.yaml'), 'kind: Scenario\nmetadata: { name: lab }\nspec:\n  nodes: [{ name: worker-1 }]\n');
    const r = await cli(['validate', 'lab.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe('lab.yaml:1:1: apiVersion: missing required field "apiVersion" (it must be "kube-learn/v1")\n1 problem in 1 of 1 file\n');
    expect(r.err).not.toContain('undefined');
  });
});

describe('write errors and closed pipes', () => {
  it('run > /dev/full: one line, exit 3, no stack trace', () => {
    if (!existsSync('/dev/full')) return void console.warn('skipped: no /dev/full here');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" run first-node > /dev/full`], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('kube-learn: cannot write to standard output: no space left on device (ENOSPC)\n');
  });

  it('test FAILING | head -1 keeps exit 1: the closed pipe does not hide the failure', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'failing.yaml'), `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: failing }
spec:
  duration: 1m
  nodes: [{ name: worker-1 }]
  expect:
    - { by: 1m, wait: node/worker-1, for: condition=Ready=Unknown }
`);
    // The name line comes first; head exits after it, so the PASS/FAIL lines meet a closed pipe.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" test failing.yaml | head -1; exit \${PIPESTATUS[0]}`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (r.error) return void console.warn(`skipped: no bash here (${r.error.message})`);
    expect(r.stdout).toBe('failing  failing.yaml  seed=1\n');
    expect(r.status).toBe(1);
    noStack(r.stderr);
  });
});

describe('YAML merge keys', () => {
  it('are read as kubectl reads them: the merged fields are in the manifest, and ones written beside the key win', () => {
    const loaded = loadScenarioText(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: merge }
spec:
  nodes: [{ name: worker-1 }]
  resources:
    - apiVersion: v1
      kind: Pod
      metadata: { name: a }
      spec: &base
        containers: [{ name: c, image: nginx:1.27 }]
        restartPolicy: Always
    - apiVersion: v1
      kind: Pod
      metadata: { name: b }
      spec:
        <<: *base
        restartPolicy: Never
`, 'merge.yaml');
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
    const b = loaded.scenario.spec.resources[1] as unknown as { spec: Record<string, unknown> };
    expect(b.spec).toEqual({ containers: [{ name: 'c', image: 'nginx:1.27' }], restartPolicy: 'Never' });
    expect(Object.keys(b.spec)).not.toContain('<<');
  });
});

const SERVICE_WITHOUT_PODS = `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: lonely }
spec:
  duration: 1m
  nodes: [{ name: worker-1 }]
  resources:
    - apiVersion: v1
      kind: Pod
      metadata: { name: web, labels: { app: web } }
      spec: { containers: [{ name: web, image: nginx:1.27 }] }
    - apiVersion: v1
      kind: Service
      metadata: { name: api }
      spec:
        selector: { app: api }
        ports: [{ port: 80 }]
`;

const HEAL_WITHOUT_PARTITION = `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: heal }
spec:
  duration: 2m
  nodes: [{ name: worker-1 }, { name: worker-2 }]
  timeline:
    - { at: 30s, action: partition, node: worker-1, for: 10s }
    - { at: 60s, action: heal, node: worker-1 }
    - { at: 70s, action: heal, node: worker-2 }
`;

describe('warnings: printed, exit 0; --strict makes them errors', () => {
  it('validate warns about a Service selector that matches no pod', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lonely.yaml'), SERVICE_WITHOUT_PODS);
    const warned = await cli(['validate', 'lonely.yaml'], dir);
    expect(warned.code).toBe(0);
    expect(warned.err).toBe('lonely.yaml:16:19: spec.resources[1].spec.selector: warning: the selector app=api matches no pod in this scenario (namespace default), so the Service gets no endpoints\n');
    expect(warned.out).toBe('lonely.yaml: valid (lonely: 1 node, 0 expectations)\n');
    const strict = await cli(['validate', '--strict', 'lonely.yaml'], dir);
    expect(strict.code).toBe(2);
    expect(strict.err).toBe('lonely.yaml:16:19: spec.resources[1].spec.selector: warning: the selector app=api matches no pod in this scenario (namespace default), so the Service gets no endpoints\n1 problem in 1 of 1 file\n');
    expect(strict.out).toBe('');
  });

  it('validate warns about a heal of a node that is not cut off, whether its partition ended or never began', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'heal.yaml'), HEAL_WITHOUT_PARTITION);
    const warned = await cli(['validate', 'heal.yaml'], dir);
    expect(warned.code).toBe(0);
    expect(warned.err.trimEnd().split('\n')).toEqual([
      'heal.yaml:9:38: spec.timeline[1].node: warning: heal of worker-1 does nothing: its partition has already ended (for:)',
      'heal.yaml:10:38: spec.timeline[2].node: warning: heal of worker-2 does nothing: no partition before it cuts it off',
    ]);
    const strict = await cli(['validate', '--strict', 'heal.yaml'], dir);
    expect(strict.code).toBe(2);
    expect(strict.err).toContain('heal.yaml:10:38: spec.timeline[2].node: warning: heal of worker-2 does nothing');
    expect(strict.err).toMatch(/\n2 problems in 1 of 1 file\n$/);
  });

  it('run prints the same warnings and still runs; --strict refuses to run', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lonely.yaml'), SERVICE_WITHOUT_PODS);
    const warned = await cli(['run', 'lonely.yaml', '--until', '5s', '--brief'], dir);
    expect(warned.code).toBe(0);
    expect(warned.err).toContain('warning: the selector app=api matches no pod');
    expect(warned.out.length).toBeGreaterThan(0);
    const strict = await cli(['run', 'lonely.yaml', '--until', '5s', '--strict'], dir);
    expect(strict.code).toBe(2);
    expect(strict.out).toBe('');
  });

  it('test warns about an expectation met before the first timeline action, and a checkpoint step beyond the run', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'early.yaml'), `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: early }
spec:
  duration: 2m
  nodes: [{ name: worker-1 }]
  timeline:
    - { at: 90s, action: stop-kubelet, node: worker-1 }
  expect:
    - { by: 2m, wait: node/worker-1, for: condition=Ready }
  checkpoints:
    - after: { step: 999999 }
      question: Which request comes first?
      choices: [a, b]
      answer: 1
`);
    const warned = await cli(['test', 'early.yaml'], dir);
    expect(warned.code).toBe(0);
    const warnings = warned.err.trimEnd().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^early\.yaml:10:7: spec\.expect\[0\]: warning: already held at \d+(\.\d+)?s, before the first timeline action \(1m30s\), so it does not test the timeline; use at: or an earlier by:$/);
    expect(warnings[1]).toMatch(/^early\.yaml:12:22: spec\.checkpoints\[0\]\.after\.step: warning: step 999999 is beyond the run, which has \d+ steps; the question is never asked$/);
    expect(warned.out).toMatch(/1 passed, 0 failed\n$/);
    const strict = await cli(['test', '--strict', 'early.yaml'], dir);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/1 passed, 2 failed\n$/);
  });
});

describe('run, play and test refuse a bad scenario with the lines validate prints', () => {
  const DIR = 'test/corpus/bad';
  const expected = JSON.parse(readFileSync(join(ROOT, 'test', 'corpus', 'expected.json'), 'utf8')) as Record<string, string[]>;
  it.each(Object.keys(expected))('%s', async (name) => {
    const lines = expected[name].map((message) => `${DIR}/${name}:${message}`);
    const count = lines.length;
    for (const command of ['run', 'play']) {
      const r = await cli([command, `${DIR}/${name}`]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`kube-learn: ${DIR}/${name} is not a valid scenario (${count} problem${count === 1 ? '' : 's'}); nothing was run\n${lines.join('\n')}\n`);
      expect(r.out).toBe('');
    }
    const tested = await cli(['test', `${DIR}/${name}`]);
    expect(tested.code).toBe(2);
    expect(tested.err).toBe(`${lines.join('\n')}\n1 file is not a valid scenario (see above); it was not run\n`);
  });
});
