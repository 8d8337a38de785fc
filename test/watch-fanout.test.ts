import { describe, expect, it } from 'vitest';
import { formatStepJson, formatStepText } from '../src/cli/output/text.js';
import { inspectStep, receiverLines, wrapInspector } from '../src/view/inspector.js';
import { messageLine } from '../src/view/message-list.js';
import type { Step } from '../src/sim/trace.js';
import { builtin, play } from './helpers.js';

type Obj = Record<string, any>;

/** A watch event delivered to many watchers is one step naming its receivers; each watcher still gets its copy. */
describe('watch fan-out', () => {
  const cluster = play(builtin('service-networking'));
  const steps = cluster.sim.recorder.steps;
  const fanOuts = steps.filter((s) => s.recipients !== undefined);

  it('records one step per event and moment, with every receiver', () => {
    expect(fanOuts.length).toBeGreaterThan(10);
    for (const s of fanOuts) {
      expect(s.kind).toBe('watch');
      expect(s.recipients!.length).toBeGreaterThan(1);
      expect(s.to).toBe(`${s.recipients!.length} watchers`);
    }
    // No event is recorded twice at the same moment: single deliveries and fan-outs do not overlap.
    const seen = new Set<string>();
    for (const s of steps.filter((x) => x.kind === 'watch' && !x.summary.includes('BOOKMARK'))) {
      const key = `${s.t} ${s.summary} ${s.revision}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('an EndpointSlice change reaches every node\'s kube-proxy, and every kube-proxy cache holds it', () => {
    const slice = fanOuts.filter((s) => s.summary.startsWith('watch MODIFIED EndpointSlice default/')).pop()!;
    expect(slice).toBeDefined();
    const proxies = slice.recipients!.filter((r) => r.startsWith('kube-proxy/'));
    expect(proxies.length).toBe(cluster.scenario.spec.nodes.length);
    const name = (slice.after as Obj).metadata.name as string;
    for (const proxy of proxies) {
      const node = proxy.split('/')[1];
      const cached = cluster.nodes.get(node)!.kubeProxy!.endpointSlices.cache.get(`default/${name}`) as Obj | undefined;
      expect(Number(cached?.metadata.resourceVersion)).toBeGreaterThanOrEqual(slice.revision!);
    }
  });

  it('reads as one line in run text and jsonl, one row in the message list, and the inspector lists the receivers', () => {
    const s = fanOuts.find((x) => x.recipients!.length > 3)!;
    const text = formatStepText(s, true);
    expect(text).toContain(`kube-apiserver → ${s.recipients!.length} watchers (`);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    const json = JSON.parse(formatStepJson(s)) as Obj;
    expect(json.to).toBe(`${s.recipients!.length} watchers`);
    expect(json.recipients).toEqual(s.recipients);
    expect(json.detail.watches).toHaveLength(s.recipients!.length);
    expect(messageLine(s).route).toBe(`kube-apiserver → ${s.recipients!.length} watchers`);
    const lines = inspectStep(s).map((l) => l.text);
    const at = lines.indexOf(`Delivered to ${s.recipients!.length} watchers`);
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 1 + s.recipients!.length)).toEqual(s.recipients!.map((r) => `  ${r}`));
  });

  it('the inspector names every receiver of an event that reaches each node, an agent\'s nodes on one wrapped line', () => {
    const s = fanOuts.filter((x) => x.recipients!.filter((r) => r.startsWith('kube-proxy/')).length === 2).pop()!;
    expect(s).toBeDefined();
    const lines = inspectStep(s).map((l) => l.text);
    const at = lines.indexOf(`Delivered to ${s.recipients!.length} watchers`);
    const listed = lines.slice(at + 1, lines.indexOf('', at + 1));
    expect(listed).toContain('  kube-proxy on 2 nodes: worker-1, worker-2');
    expect(listed.length).toBeLessThan(s.recipients!.length);
  });

  it('a thousand nodes\' receivers fit in a few wrapped lines, each node named once', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => `worker-${i + 1}`);
    const recipients = ['kube-controller-manager', 'kube-controller-manager', 'kube-scheduler', ...nodes.map((n) => `kube-proxy/${n}`), 'kubelet/worker-7', 'kube-proxy/worker-3'];
    expect(receiverLines(recipients)).toEqual([
      'kube-controller-manager ×2',
      'kube-scheduler',
      `kube-proxy on 1000 nodes: worker-1, worker-2, worker-3 ×2, ${nodes.slice(3).join(', ')}`,
      'kubelet/worker-7',
    ]);
    const wrapped = wrapInspector(
      receiverLines(recipients).map((text) => ({ text: `  ${text}`, tone: 'plain' as const })),
      116,
    );
    expect(wrapped.length).toBeLessThan(150);
    expect(wrapped.every((l) => [...l.text].length <= 116)).toBe(true);
  });

  it('names a process with two watches once, with a count', () => {
    const s = fanOuts.find((x) => x.recipients!.filter((r) => r === 'kube-controller-manager').length === 2) as Step;
    expect(formatStepText(s, true)).toContain('kube-controller-manager ×2');
  });
});
