import { describe, expect, it } from 'vitest';
import { kernelTables } from '../src/node/network/index.js';
import type { Step } from '../src/sim/trace.js';
import { builtin, play } from './helpers.js';

type Obj = Record<string, any>;

/** What each kube-proxy sync records: the rules and their diff when they change, nothing else when they do not. */
describe('kube-proxy sync steps', () => {
  const cluster = play(builtin('service-networking'));
  const syncs = (node: string): Step[] => cluster.sim.recorder.steps.filter((s) => s.from === `kube-proxy/${node}` && s.to === `kernel/${node}`);

  it('the first sync programs the whole table: every line added, the diff is the table', () => {
    const first = syncs('worker-1')[0].detail as Obj;
    const lines = (first.rules as string).trimEnd().split('\n');
    expect(first.added).toBe(lines.length);
    expect(first.removed).toBe(0);
    expect(first.diff).toBe(lines.map((l) => `+ ${l}\n`).join(''));
  });

  it('an unchanged resync carries no rule text; the last change carries the table now in the kernel', () => {
    const steps = syncs('worker-2');
    const unchanged = steps.filter((s) => s.summary.includes('rules unchanged'));
    expect(unchanged.length).toBeGreaterThan(3);
    for (const s of unchanged) {
      expect(s.heartbeat).toBe(true);
      expect(s.detail).toEqual({ mode: 'iptables', periodic: expect.any(Boolean), unchanged: true, added: 0, removed: 0 });
    }
    const lastChange = steps.filter((s) => !s.summary.includes('rules unchanged')).pop()!;
    expect((lastChange.detail as Obj).rules).toBe(kernelTables(cluster.sim).get('worker-2')!.text);
    expect(lastChange.summary).toMatch(/programs iptables: \+\d+ -\d+ lines/);
  });
});

/** Partial syncs: each later sync's diff is exactly the whole-table diff, and nodes share one render per Service port. */
describe('kube-proxy partial syncs', () => {
  const cluster = play(builtin('service-networking'));
  const syncs = cluster.sim.recorder.steps.filter((s) => s.from === 'kube-proxy/worker-1' && s.to === 'kernel/worker-1' && !s.summary.includes('rules unchanged'));

  it('every change after the first is the diff of the two iptables-save texts', async () => {
    const { diffRules } = await import('../src/node/proxy/index.js');
    expect(syncs.length).toBeGreaterThan(1);
    for (let i = 1; i < syncs.length; i++) {
      const [was, is] = [syncs[i - 1].detail as Obj, syncs[i].detail as Obj];
      const full = diffRules(was.rules as string, is.rules as string);
      expect({ added: is.added, removed: is.removed }).toEqual({ added: full.added, removed: full.removed });
      expect((is.diff as string).split('\n').sort()).toEqual(full.text.split('\n').sort());
    }
  });

  it('two nodes with the same Services and EndpointSlices hold the same rendered fragment', () => {
    const [a, b] = ['worker-1', 'worker-2'].map((n) => kernelTables(cluster.sim).get(n)!.fragments!);
    const shared = [...a].filter(([key, f]) => b.get(key) === f);
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.length).toBe(a.size);
  });
});

/**
 * Every sync of a cluster whose Services come and go, checked as it is recorded against a render
 * of everything in that kube-proxy's caches (the proxier without change tracking): the counts in
 * the summary, the rules, and the lines added and removed.
 */
describe('kube-proxy syncs with change tracking equal a full render', async () => {
  const { Cluster } = await import('../src/cluster/cluster.js');
  const { diffRules, renderIptables } = await import('../src/node/proxy/index.js');
  const { scenarioFrom } = await import('./helpers.js');
  const deployment = (name: string, replicas: number): string => `    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: ${name} }
      spec:
        replicas: ${replicas}
        selector: { matchLabels: { app: ${name} } }
        template:
          metadata: { labels: { app: ${name} } }
          spec: { containers: [{ name: c, image: nginx:1.27, ports: [{ name: http, containerPort: 8080 }] }] }`;
  const service = (name: string, spec = ''): string =>
    `{ apiVersion: v1, kind: Service, metadata: { name: ${name} }, spec: { selector: { app: ${name} }, ports: [{ name: http, port: 80, targetPort: http${spec ? ', nodePort: 30080' : ''} }]${spec} } }`;
  const cluster = new Cluster(scenarioFrom(`apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: services-come-and-go }
spec:
  duration: 4m
  nodes: [{ name: worker-1 }, { name: worker-2 }, { name: worker-3 }]
  resources:
${deployment('web', 2)}
${deployment('api', 3)}
    - ${service('web')}
    - ${service('api', ', type: NodePort, externalTrafficPolicy: Local, internalTrafficPolicy: Local')}
    - ${service('nothing')}
  timeline:
    - { at: 40s, action: scale, target: deployment/web, replicas: 5 }
    - { at: 50s, action: delete, target: service/web }
    - { at: 55s, action: apply, manifest: ${service('web')} }
    - { at: 70s, action: stop-kube-proxy, node: worker-2, for: 20s }
    - { at: 75s, action: scale, target: deployment/web, replicas: 3 }
    - { at: 100s, action: crash-node, node: worker-3, for: 40s }
    - { at: 170s, action: scale, target: deployment/api, replicas: 0 }
    - { at: 200s, action: delete, target: service/nothing }
`));
  type Seen = { node: string; step: Step; kind: 'first' | 'change' | 'unchanged' };
  const seen: Seen[] = [];
  const problems: string[] = [];
  cluster.sim.recorder.onStep((step) => {
    if (!step.from.startsWith('kube-proxy/') || step.to !== `kernel/${step.node}`) return;
    const node = step.node!;
    const proxy = cluster.nodes.get(node)!.kubeProxy!;
    const ports = proxy.servicePorts();
    const context = { nodeName: node, nodeIP: proxy.nodeIP()!, clusterCIDR: cluster.config.podCIDR, serviceCIDR: cluster.config.serviceCIDR };
    const text = renderIptables(ports, context).save;
    const before = kernelTables(cluster.sim).get(node);
    const detail = step.detail as Obj;
    const count = `(${new Set(ports.map((p) => `${p.namespace}/${p.name}`)).size} Services, ${ports.reduce((n, p) => n + p.endpoints.length, 0)} endpoints)`;
    const fail = (what: string): void => void problems.push(`step ${step.step} on ${node}: ${what}`);
    if (!step.summary.endsWith(count)) fail(`summary ${step.summary} does not end with ${count}`);
    if (detail.unchanged) {
      seen.push({ node, step, kind: 'unchanged' });
      if (before?.text !== text) fail('rules unchanged, but a full render differs from the kernel');
      return;
    }
    seen.push({ node, step, kind: before ? 'change' : 'first' });
    const whole = diffRules(before?.text ?? '', text);
    if (detail.rules !== text) fail('rules differ from a full render');
    if (detail.added !== whole.added || detail.removed !== whole.removed) fail(`+${detail.added} -${detail.removed}, a full diff gives +${whole.added} -${whole.removed}`);
    const sorted = (t: string): string[] => t.split('\n').sort();
    if (JSON.stringify(sorted(detail.diff)) !== JSON.stringify(sorted(whole.text))) fail('the diff has other lines than a full diff');
  });
  cluster.start();
  cluster.runToEnd();

  it('checks first syncs (boot and after the crash), changes and unchanged resyncs on every node', () => {
    for (const node of ['worker-1', 'worker-2', 'worker-3']) {
      const kinds = seen.filter((s) => s.node === node).map((s) => s.kind);
      expect(kinds.filter((k) => k === 'first').length).toBe(node === 'worker-3' ? 2 : 1);
      expect(kinds.filter((k) => k === 'change').length).toBeGreaterThan(3);
      expect(kinds).toContain('unchanged');
    }
    // The kube-proxy started again on worker-2 diffs against the rules its predecessor left,
    // and web was scaled down while it was stopped.
    const restart = seen.find((s) => s.node === 'worker-2' && s.step.t >= 90_000)!;
    expect(restart.kind).toBe('change');
    expect(restart.step.summary).toMatch(/programs iptables: \+\d+ -[1-9]\d* lines/);
  });

  it('finds no difference', () => {
    expect(problems).toEqual([]);
  });
});
