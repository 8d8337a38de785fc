import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../src/cluster/cluster.js';
import { ExpectationTracker } from '../src/cluster/expectations.js';
import { run } from '../src/cli/main.js';
import { builtin } from './helpers.js';
import { fakeIo } from './authoring-io.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kube-learn-authoring-'));
}

const TWO_WORKERS = `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: lab }
spec:
  duration: 2m
  nodes: [{ name: worker-1 }, { name: worker-2 }]
`;

describe('kube-learn test', () => {
  it('passes on every built-in scenario and ends with "N passed, 0 failed"', async () => {
    const io = fakeIo();
    expect(await run(['test'], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^[1-9]\d* passed, 0 failed$/);
    expect(io.out()).toMatch(/^first-node {2}scenarios\/first-node\.yaml {2}seed=1$/m);
    expect(io.out()).toMatch(/^ {2}PASS {2}node\/worker-1 condition=Ready by 01:00\.000: held at 00:\d\d\.\d{3}$/m);
    expect(io.out()).not.toContain('FAIL');
    // The only warning is the one no-endpoints teaches: its Service selects no pod on purpose.
    expect(io.err()).toBe('scenarios/no-endpoints.yaml:44:19: spec.resources[1].spec.selector: warning: the selector app=api matches no pod in this scenario (namespace default), so the Service gets no endpoints\n');
  });

  it('fails with exit 1 on a false expectation, saying which, why, and how to rerun it', async () => {
    const dir = tempDir();
    const path = join(dir, 'lab.yaml');
    writeFileSync(path, `${TWO_WORKERS}  expect:
    - { by: 1m, wait: node/worker-1, for: condition=Ready }
    - { by: 1m, wait: node/worker-2, for: condition=Ready=Unknown }
    - { at: 90s, wait: node/worker-3, for: create }
`.replace('nodes: [{ name: worker-1 }, { name: worker-2 }]', 'nodes: [{ name: worker-1 }, { name: worker-2 }, { name: worker-3, joinAt: 100s }]'));
    const io = fakeIo({ cwd: dir });
    expect(await run(['test', 'lab.yaml'], io)).toBe(1);
    expect(io.out()).toContain('  PASS  node/worker-1 condition=Ready by 01:00.000: held at');
    expect(io.out()).toContain('  FAIL  node/worker-2 condition=Ready=Unknown by 01:00.000: did not hold; last seen Ready=True');
    expect(io.out()).toContain('  FAIL  node/worker-3 create at 01:30.000: did not hold; last seen not found');
    expect(io.out()).toContain('  reproduce: kube-learn run lab.yaml --seed 1');
    expect(io.out().trimEnd().split('\n').at(-1)).toBe('1 passed, 2 failed');
  });

  it('exits 2 for a path that is missing or a file that is not a valid scenario', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: kube-learn/v1\nkind: Scenario\n');
    const missing = fakeIo({ cwd: dir });
    expect(await run(['test', 'nope.yaml'], missing)).toBe(2);
    expect(missing.err()).toContain('kube-learn: nope.yaml: no such file or directory');
    const invalid = fakeIo({ cwd: dir });
    expect(await run(['test', '.'], invalid)).toBe(2);
    expect(invalid.err()).toContain('./broken.yaml:1:1: metadata: missing required field "metadata"');
    expect(invalid.err()).toContain('1 file is not a valid scenario (see above); it was not run');
    expect(invalid.out()).toBe('0 passed, 0 failed\n');
  });

  it('does not change what happens: the steps with expectations tracked are the steps without', () => {
    const scenario = builtin('node-goes-dark');
    const steps = (track: boolean) => {
      const cluster = new Cluster(scenario).start();
      if (track) new ExpectationTracker(cluster, scenario.spec.expect);
      cluster.runToEnd(4 * 60_000);
      return JSON.stringify(cluster.sim.recorder.steps);
    };
    expect(steps(true)).toBe(steps(false));
  });

  it('reports request expectations as pass or fail with what the packet walk saw', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lab.yaml'), `${TWO_WORKERS}  resources:
    - { apiVersion: v1, kind: Pod, metadata: { name: client }, spec: { containers: [{ name: curl, image: curlimages/curl }] } }
  expect:
    - at: 1m
      request: { from: pod/client, to: "http://nowhere.default.svc.cluster.local:80" }
      result: success
`);
    const io = fakeIo({ cwd: dir });
    expect([0, 1]).toContain(await run(['test', 'lab.yaml'], io));
    expect(io.out()).toMatch(/^ {2}(PASS|FAIL) {2}request pod\/client -> http:\/\/nowhere\.default\.svc\.cluster\.local:80 is success at 01:00\.000: /m);
    expect(io.err()).toBe('');
  });
});

describe('kube-learn new', () => {
  it('writes a commented scenario that validates and whose expectations pass', async () => {
    const dir = tempDir();
    const made = fakeIo({ cwd: dir });
    expect(await run(['new', 'my-lab'], made)).toBe(0);
    expect(made.out()).toContain('wrote my-lab.yaml');
    const text = readFileSync(join(dir, 'my-lab.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*scenario\.schema\.json\n/);
    expect(text).toContain('  name: my-lab ');
    expect(text.split('\n').filter((line) => line.includes('#')).length).toBeGreaterThan(15);
    const checked = fakeIo({ cwd: dir });
    expect(await run(['validate', 'my-lab.yaml'], checked)).toBe(0);
    expect(checked.out()).toBe('my-lab.yaml: valid (my-lab: 2 nodes, 4 expectations)\n');
    const tested = fakeIo({ cwd: dir });
    expect(await run(['test', 'my-lab.yaml'], tested)).toBe(0);
    expect(tested.out().trimEnd().split('\n').at(-1)).toBe('4 passed, 0 failed');
  });

  it('refuses to overwrite a file, exit 2, and leaves it as it was', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'my-lab.yaml'), 'mine\n');
    const io = fakeIo({ cwd: dir });
    expect(await run(['new', 'my-lab'], io)).toBe(2);
    expect(io.err()).toContain('kube-learn: my-lab.yaml already exists; not overwriting it');
    expect(readFileSync(join(dir, 'my-lab.yaml'), 'utf8')).toBe('mine\n');
  });

  it('copies a built-in scenario under the new name with --from', async () => {
    const dir = tempDir();
    expect(await run(['new', 'dark', '--from', 'node-goes-dark'], fakeIo({ cwd: dir }))).toBe(0);
    const text = readFileSync(join(dir, 'dark.yaml'), 'utf8');
    expect(text).toContain('\n  name: dark\n');
    expect(text).toContain('title: A worker node goes dark');
    const tested = fakeIo({ cwd: dir });
    expect(await run(['test', 'dark.yaml'], tested)).toBe(0);
    expect(tested.out()).toMatch(/^dark {2}dark\.yaml {2}seed=7$/m);
  });

  it('rejects a bad name or an unknown built-in with exit 2 and a hint', async () => {
    const dir = tempDir();
    const bad = fakeIo({ cwd: dir });
    expect(await run(['new', 'My_Lab'], bad)).toBe(2);
    expect(bad.err()).toContain('"My_Lab" is not a valid scenario name');
    const unknown = fakeIo({ cwd: dir });
    expect(await run(['new', 'x', '--from', 'first-nod'], unknown)).toBe(2);
    expect(unknown.err()).toContain('unknown built-in scenario "first-nod" (did you mean "first-node"?)');
  });
});

describe('checkpoints in run', () => {
  it('prints each checkpoint with its answer after the last step of its stage', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lab.yaml'), `${TWO_WORKERS}  checkpoints:
    - { after: authentication, question: Who is the kubelet before its CSR is signed?, choices: ["system:node:worker-1", "system:bootstrap:abcdef"], answer: 2 }
`);
    const io = fakeIo({ cwd: dir });
    expect(await run(['run', 'lab.yaml', '--brief', '--until', '30s'], io)).toBe(0);
    const lines = io.out().split('\n');
    const at = lines.findIndex((line) => line.includes('? checkpoint (after authentication)'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toMatch(/^\s+\d+ {2}\S+ {2}authentication /);
    // Routine heartbeats (watch bookmarks on the CSR watch, say) may still follow, as documented.
    expect(lines.slice(at + 1).some((line) => /^\s+\d+ {2}\S+ {2}authentication /.test(line) && !line.endsWith('(heartbeat)'))).toBe(false);
    expect(lines[at + 2]).toBe('         * 2. system:bootstrap:abcdef   <- answer');
  });

  it('prints the built-in checkpoints right after what they ask about', async () => {
    const io = fakeIo();
    expect(await run(['run', 'first-node', '--brief'], io)).toBe(0);
    const lines = io.out().split('\n');
    const at = lines.findIndex((line) => line.includes('? checkpoint (at 11ms)'));
    expect(lines.slice(0, at).some((line) => line.includes('kubelet/worker-1 → kubelet/worker-1  kubelet saves its client certificate'))).toBe(true);
    expect(lines.slice(0, at).some((line) => line.includes('kubelet/worker-1 → kube-apiserver  POST /api/v1/nodes'))).toBe(false);
    expect(lines[at + 2]).toBe('         * 2. system:bootstrap:abcdef   <- answer');
  });

  it('prints a step checkpoint right after that step, and an unreached one at the end', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lab.yaml'), `${TWO_WORKERS}  checkpoints:
    - { after: { step: 3 }, question: What was step 3?, choices: [a watch, a write], answer: 1, explanation: It lists and watches. }
    - { after: { step: 999999 }, question: Too late?, choices: ["yes", "no"], answer: 1 }
`);
    const io = fakeIo({ cwd: dir });
    expect(await run(['run', 'lab.yaml', '--brief', '--until', '10s'], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    const at = lines.findIndex((line) => line.includes('? checkpoint (after step 3): What was step 3?'));
    expect(lines[at - 1]).toMatch(/^\s+3 {2}/);
    expect(lines.slice(at + 1, at + 4)).toEqual(['         * 1. a watch   <- answer', '           2. a write', '         It lists and watches.']);
    expect(lines.at(-3)).toBe('       ? checkpoint (after step 999999; not reached in this run): Too late?');
  });

  it('leaves JSON Lines output to steps only', async () => {
    const io = fakeIo();
    expect(await run(['run', 'first-node', '--format', 'jsonl', '--until', '30s'], io)).toBe(0);
    for (const line of io.out().trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('list, schema and usage mistakes', () => {
  it('lists name, difficulty, stages and title; --long adds what each contains', async () => {
    const io = fakeIo();
    expect(await run(['list', '--long'], io)).toBe(0);
    expect(io.out()).toMatch(/^first-node +beginner +authentication,registration,synchronization +Two workers join the cluster$/m);
    expect(io.out()).toMatch(/^ +2 nodes, 0 timeline events, 4 expectations, 2 checkpoints$/m);
  });

  it('answers every usage mistake with exit 2 and no stack trace', async () => {
    for (const argv of [['validate'], ['new'], ['test', '--seed', 'x'], ['schema', 'extra'], ['validate', 'no-such-scenario'], ['test', 'test']]) {
      const io = fakeIo();
      expect(await run(argv, io), argv.join(' ')).toBe(2);
      expect(io.err(), argv.join(' ')).toMatch(/error|kube-learn:/);
      expect(io.err()).not.toMatch(/\n\s+at /);
    }
  });
});
