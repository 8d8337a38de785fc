import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadScenarioText } from './load.js';
import { formatProblem } from './problems.js';
import { readdirSync } from 'node:fs';
import { readScenarioFile } from './read-file.js';
import { Cluster } from '../cluster/cluster.js';
import type { Scenario } from './types.js';
import { contractExampleWithWorker2, fixturePath, MINIMAL } from './testdata/fixtures.js';

/** Loading never throws; a failure always carries at least one well-formed, in-file problem. */
function checkNeverThrows(text: string): void {
  const result = loadScenarioText(text, 'fuzz.yaml');
  if (result.ok) return;
  expect(result.problems.length).toBeGreaterThan(0);
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const problem of result.problems) {
    expect(problem.file).toBe('fuzz.yaml');
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lines + 1);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(problem.message.length).toBeGreaterThan(0);
    // The loader's last-resort catch: reaching it means a check crashed on this input.
    expect(problem.message).not.toMatch(/^could not read this file as a scenario/);
    expect(formatProblem(problem)).toMatch(/^fuzz\.yaml:\d+:\d+: \S.*: .+/);
  }
}

const valid = contractExampleWithWorker2();
const YAML_BITS = [': ', '- ', '\n', '  ', '{', '}', '[', ']', ',', '&a ', '*a', '!!', '? ', '|', '>', '#', '"', "'", '---', '\t', 'nodes', '5m', 'x'];

describe('loading arbitrary text', () => {
  it('never throws for random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkNeverThrows), { numRuns: 200 });
  });

  it('never throws for random YAML-looking token soup', () => {
    const soup = fc.array(fc.constantFrom(...YAML_BITS), { maxLength: 80 }).map((bits) => bits.join(''));
    fc.assert(fc.property(soup, checkNeverThrows), { numRuns: 200 });
  });

  it('never throws for the valid example with random edits', () => {
    const edit = fc.record({
      at: fc.nat({ max: valid.length }),
      remove: fc.nat({ max: 20 }),
      insert: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...YAML_BITS)),
    });
    const edited = fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) =>
      edits.reduce((text, e) => text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove), valid),
    );
    fc.assert(fc.property(edited, checkNeverThrows), { numRuns: 200 });
  });

  it('never throws when any field of the example is replaced with any value', () => {
    const example = parse(valid) as Record<string, unknown>;
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(example, []);
    const replaced = fc.tuple(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.jsonValue({ maxDepth: 3 })).map(([path, value]) => {
      const copy = structuredClone(example);
      let parent: Record<string | number, unknown> = copy;
      for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
      parent[path[path.length - 1]] = value;
      return stringify(copy);
    });
    fc.assert(fc.property(replaced, checkNeverThrows), { numRuns: 250 });
  });
});

/** Every path into a parsed document, for "replace this field with anything". */
function pathsOf(document: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(document, []);
  return paths.filter((p) => p.length > 0);
}

const SCENARIOS = fixturePath('../../../scenarios');
const builtins = readdirSync(SCENARIOS).filter((name) => name.endsWith('.yaml')).map((name) => {
  const read = readScenarioFile(`${SCENARIOS}/${name}`);
  if (!read.ok) throw new Error(read.message);
  return read.text;
});

describe('mutating the built-in scenarios', () => {
  it('never throws when a field is replaced, removed or duplicated, in any built-in scenario', () => {
    const docs = builtins.map((text) => parse(text) as Record<string, unknown>);
    const mutation = fc
      .nat({ max: docs.length - 1 })
      .chain((i) => fc.tuple(fc.constant(i), fc.constantFrom(...pathsOf(docs[i])), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined)), fc.boolean()));
    fc.assert(
      fc.property(mutation, ([i, path, value, copyToSibling]) => {
        const copy = structuredClone(docs[i]);
        let parent: Record<string | number, unknown> = copy;
        for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
        const last = path[path.length - 1];
        if (copyToSibling && Array.isArray(parent)) parent.push(structuredClone(parent[last as number]));
        else if (value === undefined) delete parent[last];
        else parent[last] = value;
        checkNeverThrows(stringify(copy));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when a built-in scenario is cut off anywhere', () => {
    const cut = fc.nat({ max: builtins.length - 1 }).chain((i) => fc.tuple(fc.constant(builtins[i]), fc.nat({ max: builtins[i].length })));
    fc.assert(fc.property(cut, ([text, at]) => checkNeverThrows(text.slice(0, at))), { numRuns: 200 });
  });
});

it('the fixtures used above are valid to begin with', () => {
  for (const text of builtins) expect(loadScenarioText(text, 'builtin.yaml').ok).toBe(true);
  expect(loadScenarioText(valid, 'x.yaml').ok).toBe(true);
  expect(loadScenarioText(MINIMAL, 'x.yaml').ok).toBe(true);
});

it('loads deeply nested input without overflowing the stack', () => {
  checkNeverThrows('['.repeat(20_000));
  checkNeverThrows(`apiVersion: kube-learn/v1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  nodes: [{ name: a }]\n  resources: [${'{a: '.repeat(2_000)}1${'}'.repeat(2_000)}]\n`);
});

type Segment = string | number;
interface Edit {
  readonly path: readonly Segment[];
  readonly value: unknown;
}

const QUANTITY = fc.constantFrom('0', '1m', '100m', '1', '2', '4', '64Mi', '8Gi', '1e3', '1k', '0.5', '110', '9007199254740991m', '8Pi', '1Ei', '-1');
const DURATION = fc.oneof(
  fc.constantFrom('0s', '1ms', '1s', '30s', '90s', '2m', '10m', '90m', '24h', '25h', '-1s'),
  fc.nat({ max: 200_000 }).map((ms) => `${ms}ms`),
);
const SERVICE_CIDR = fc.constantFrom('10.96.0.0/12', '10.96.0.0/16', '10.96.0.0/24', '10.96.0.0/27', '10.96.0.0/28', '10.96.0.0/29', '10.96.0.0/30', '10.96.0.0/32', '10.0.0.0/8', '192.168.0.0/28', '10.244.0.0/16', 'fd00::/112');
const REPLICAS = fc.oneof(fc.nat({ max: 6 }), fc.constantFrom(-1, 2.5, 30_001, 2_147_483_647, 2_147_483_648, 1e12));

/** Optional fields a scenario may add, at places that exist in `doc`: the knobs that size and time a run. */
function insertions(doc: Record<string, unknown>): fc.Arbitrary<Edit> {
  const spec = (doc.spec ?? {}) as { nodes?: unknown[]; resources?: { kind?: string }[]; timeline?: unknown[] };
  const nodes = spec.nodes?.length ?? 0;
  const resources = spec.resources ?? [];
  const timeline = spec.timeline?.length ?? 0;
  const indexOf = (kinds: string[]) => resources.flatMap((r, i) => (kinds.includes(r.kind ?? '') ? [i] : []));
  const workloads = indexOf(['Deployment', 'ReplicaSet']);
  const templated = indexOf(['Deployment', 'ReplicaSet', 'DaemonSet']);
  const pods = indexOf(['Pod']);
  const requests = fc.record({ cpu: QUANTITY, memory: QUANTITY }, { requiredKeys: [] }).map((r) => ({ requests: r }));
  const options: fc.Arbitrary<Edit>[] = [
    SERVICE_CIDR.map((value) => ({ path: ['spec', 'cluster', 'serviceCIDR'], value })),
    DURATION.map((value) => ({ path: ['spec', 'duration'], value })),
    fc.oneof(fc.nat(), fc.constantFrom(4_294_967_295, 4_294_967_296)).map((value) => ({ path: ['spec', 'seed'], value })),
    fc.nat({ max: 3 }).map((n) => ({ path: ['spec', 'nodes', nodes], value: { name: `worker-extra-${n}` } })),
  ];
  if (nodes > 0) {
    options.push(
      fc.tuple(fc.nat({ max: nodes - 1 }), DURATION).map(([i, value]) => ({ path: ['spec', 'nodes', i, 'joinAt'], value })),
      fc.tuple(fc.nat({ max: nodes - 1 }), fc.record({ cpu: QUANTITY, memory: QUANTITY, pods: QUANTITY }, { requiredKeys: [] })).map(([i, value]) => ({ path: ['spec', 'nodes', i, 'capacity'], value })),
    );
  }
  if (workloads.length > 0) options.push(fc.tuple(fc.constantFrom(...workloads), REPLICAS).map(([i, value]) => ({ path: ['spec', 'resources', i, 'spec', 'replicas'], value })));
  if (templated.length > 0) options.push(fc.tuple(fc.constantFrom(...templated), requests).map(([i, value]) => ({ path: ['spec', 'resources', i, 'spec', 'template', 'spec', 'containers', 0, 'resources'], value })));
  if (pods.length > 0) options.push(fc.tuple(fc.constantFrom(...pods), requests).map(([i, value]) => ({ path: ['spec', 'resources', i, 'spec', 'containers', 0, 'resources'], value })));
  const names = (spec.nodes ?? []).map((node) => (node as { name?: unknown }).name).filter((name): name is string => typeof name === 'string');
  const targets = resources.flatMap((r) => {
    const name = (r as { metadata?: { name?: unknown } }).metadata?.name;
    return typeof name === 'string' && r.kind ? [`${r.kind.toLowerCase()}/${name}`] : [];
  });
  options.push(timelineEvent(names, targets).map((value) => ({ path: ['spec', 'timeline', timeline], value })));
  if (timeline > 0) options.push(fc.tuple(fc.nat({ max: timeline - 1 }), fc.constantFrom('at', 'for'), DURATION).map(([i, key, value]) => ({ path: ['spec', 'timeline', i, key], value })));
  return fc.oneof(...options);
}

const NODE_ACTIONS = ['crash-node', 'restart-node', 'stop-kubelet', 'start-kubelet', 'stop-kube-proxy', 'start-kube-proxy', 'partition', 'heal', 'expire-certificate'];
const SMALL_MANIFESTS = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'extra', labels: { app: 'extra' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'extra' }, spec: { selector: { app: 'extra' }, ports: [{ port: 80 }] } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'extra' }, spec: { replicas: 3, selector: { matchLabels: { app: 'extra' } }, template: { metadata: { labels: { app: 'extra' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'extra' }, spec: { selector: { matchLabels: { app: 'ds' } }, template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } } },
];

/** A timeline action at a random time, on the scenario's nodes and objects, sometimes undone after `for:`. */
function timelineEvent(nodes: string[], targets: string[]): fc.Arbitrary<Record<string, unknown>> {
  const node = nodes.length > 0 ? fc.constantFrom(...nodes, 'worker-9') : fc.constant('worker-1');
  const target = fc.constantFrom(...targets, 'deployment/extra', 'pod/extra', 'service/extra', 'constructor/web', 'toString/x');
  const event = fc.oneof(
    fc.record({ action: fc.constantFrom(...NODE_ACTIONS), node }),
    fc.record({ action: fc.constantFrom('stop-apiserver', 'start-apiserver', 'revoke-bootstrap-token') }),
    fc.record({ action: fc.constantFrom('stop-etcd-member', 'start-etcd-member'), member: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ action: fc.constant('scale'), target, replicas: REPLICAS }),
    fc.record({ action: fc.constant('delete'), target }),
    fc.record({ action: fc.constant('apply'), manifest: fc.constantFrom(...SMALL_MANIFESTS) }),
    fc.record({ action: fc.constant('request'), from: fc.constantFrom(...targets.filter((t) => t.startsWith('pod/')), 'pod/extra', 'node/worker-1'), to: fc.constantFrom('http://web.default.svc.cluster.local', 'http://extra', 'http://10.96.0.10:53', 'http://kubernetes.default') }),
  );
  return fc.tuple(event, DURATION, fc.option(DURATION, { nil: undefined })).map(([e, at, undo]) => ({ at, ...e, ...(undo === undefined ? {} : { for: undo }) }));
}

/** `doc` with `value` at `path`, making the mappings on the way; a path through a missing list item is left alone. */
function applyEdit(doc: Record<string, unknown>, { path, value }: Edit): void {
  let parent: Record<Segment, unknown> = doc;
  for (const [n, segment] of path.slice(0, -1).entries()) {
    let next = parent[segment];
    if (next === undefined || next === null) {
      if (typeof segment === 'number') return;
      next = parent[segment] = typeof path[n + 1] === 'number' ? [] : {};
    }
    if (typeof next !== 'object') return;
    parent = next as Record<Segment, unknown>;
  }
  parent[path[path.length - 1]] = value;
}

/** Pods a scenario asks for, to keep the suite's runs small (the limits themselves are tested in the corpus). */
function podsOf(scenario: Scenario): number {
  return scenario.spec.resources.reduce((sum, object) => {
    const replicas = (object as { spec?: { replicas?: unknown } }).spec?.replicas;
    if (object.kind === 'Pod') return sum + 1;
    if (object.kind === 'DaemonSet') return sum + scenario.spec.nodes.length;
    return sum + (typeof replicas === 'number' ? replicas : 1);
  }, 0);
}

/** Events one run of up to two virtual minutes may take; built-in scenarios take about ten thousand. A livelock at one instant exhausts it. */
const MAX_EVENTS = 2_000_000;
const FUZZ_RUNS = Number(process.env.KUBE_LEARN_FUZZ_RUNS ?? 0);

describe('running the mutants that validate', () => {
  it('never crashes (an internal error) and always reaches min(duration, 2m), with optional fields inserted', () => {
    const docs = builtins.map((text) => parse(text) as Record<string, unknown>);
    const replace = (doc: Record<string, unknown>) => fc.tuple(fc.constantFrom(...pathsOf(doc)), fc.jsonValue({ maxDepth: 2 })).map(([path, value]): Edit => ({ path, value }));
    // Keys that are also names on Object.prototype, added to any mapping.
    const protoKey = (doc: Record<string, unknown>) =>
      fc.tuple(fc.constantFrom(...pathsOf(doc)), fc.constantFrom('toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__'), fc.jsonValue({ maxDepth: 1 })).map(([path, key, value]): Edit => ({ path: [...path, key], value }));
    const mutant = fc
      .nat({ max: docs.length - 1 })
      .chain((i) => fc.tuple(fc.constant(i), fc.array(fc.oneof({ arbitrary: insertions(docs[i]), weight: 4 }, { arbitrary: replace(docs[i]), weight: 1 }, { arbitrary: protoKey(docs[i]), weight: 1 }), { minLength: 1, maxLength: FUZZ_RUNS > 0 ? 6 : 3 })));
    let ran = 0;
    let refused = 0;
    fc.assert(
      fc.property(mutant, ([i, edits]) => {
        const copy = structuredClone(docs[i]);
        for (const edit of edits) applyEdit(copy, edit);
        const text = stringify(copy);
        checkNeverThrows(text);
        const loaded = loadScenarioText(text, 'fuzz.yaml');
        if (!loaded.ok) return void refused++;
        const { scenario } = loaded;
        if (podsOf(scenario) > 300 || scenario.spec.nodes.length > 40) return;
        ran++;
        const untilMs = Math.min(scenario.spec.durationMs, 120_000);
        const cluster = new Cluster(scenario).start();
        let events = 0;
        while (!cluster.sim.runSlice(untilMs, 10_000)) {
          events += 10_000;
          if (events >= MAX_EVENTS) throw new Error(`no end in sight: ${events} events and the clock at ${cluster.sim.nowMs} ms of ${untilMs}\n${text}`);
        }
        expect(cluster.sim.nowMs).toBe(untilMs);
      }),
      { numRuns: FUZZ_RUNS > 0 ? FUZZ_RUNS : 150, seed: FUZZ_RUNS > 0 ? undefined : 11 },
    );
    if (FUZZ_RUNS > 0) console.log(`ran ${ran} mutants, ${refused} refused`);
    // Both sides are exercised: enough mutants validate and run, and enough are refused.
    expect(ran).toBeGreaterThanOrEqual(FUZZ_RUNS > 0 ? 1 : 30);
    expect(refused).toBeGreaterThanOrEqual(FUZZ_RUNS > 0 ? 1 : 10);
  }, 600_000);
});
