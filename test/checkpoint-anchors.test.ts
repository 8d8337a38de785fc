import { describe, expect, it } from 'vitest';
import { writeTranscript } from '../src/cli/transcript.js';
import { play, scenarioFrom } from './helpers.js';

/** Four actions: a partition (a banner), a scale (kubectl's PATCH), a request (a packet walk) and a heal. */
const SCENARIO = `apiVersion: kube-learn/v1
kind: Scenario
metadata: { name: anchors }
spec:
  duration: 3m
  nodes: [{ name: worker-1 }, { name: worker-2 }]
  resources:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        replicas: 1
        selector: { matchLabels: { app: web } }
        template:
          metadata: { labels: { app: web } }
          spec: { containers: [{ name: web, image: nginx:1.27 }] }
  timeline:
    - { at: 1m, action: partition, node: worker-2 }
    - { at: 80s, action: scale, target: deployment/web, replicas: 2 }
    - { at: 90s, action: request, from: node/worker-1, to: "http://10.96.0.1:443" }
    - { at: 2m, action: heal, node: worker-2 }
  checkpoints:
    - { after: { action: 1 }, question: Scaled?, choices: [a, b], answer: 1 }
    - { after: { at: 100s }, question: Later?, choices: [a, b], answer: 1 }
`;

describe('the step of each timeline action', () => {
  const cluster = play(scenarioFrom(SCENARIO));
  const step = (i: number) => cluster.sim.recorder.steps[cluster.timelineSteps.get(i)! - 1];

  it('is the banner of a failure', () => {
    expect(step(0)).toMatchObject({ kind: 'failure', t: 60_000, summary: 'worker-2 partitioned from the control plane' });
    expect(step(3)).toMatchObject({ kind: 'failure', t: 120_000, summary: 'worker-2 reconnected' });
  });

  it('is kubectl’s write for apply, delete and scale, not the read before it', () => {
    expect(step(1)).toMatchObject({ from: 'kubectl', method: 'PATCH', path: '/apis/apps/v1/namespaces/default/deployments/web/scale', status: 200 });
    expect(step(1).t).toBeGreaterThan(80_000);
  });

  it('is the last hop of a packet walk, which carries its result', () => {
    expect(step(2)).toMatchObject({ t: 90_000, from: 'node/worker-1', to: 'http://10.96.0.1:443', detail: { result: 'success' } });
  });
});

describe('kube-learn run places anchored checkpoints', () => {
  const out: string[] = [];
  const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => {} } } as never;
  writeTranscript(scenarioFrom(SCENARIO), io, { format: 'text', brief: true });
  const lines = out.join('').split('\n');

  it('right after the action’s step, and at the first step at or after a time', () => {
    const scaled = lines.findIndex((l) => l.includes('? checkpoint (after scale deployment/web to 2 at 1m20s): Scaled?'));
    expect(lines[scaled - 1]).toMatch(/kubectl → kube-apiserver\s+PATCH \/apis\/apps\/v1\/namespaces\/default\/deployments\/web\/scale\s+200/);
    const later = lines.findIndex((l) => l.includes('? checkpoint (at 1m40s): Later?'));
    const before = lines[later - 1];
    const time = (line: string) => /\s(\d\d):(\d\d)\.(\d{3})\s/.exec(line)!.slice(1).map(Number);
    const [m, s] = time(before);
    expect(m * 60 + s).toBeGreaterThanOrEqual(100);
    // The step printed before it (skipping the checkpoint lines) is still earlier than 1m40s.
    const previous = lines.slice(0, later - 1).reverse().find((l) => /^\s+\d+\s+\d\d:\d\d\.\d{3}/.test(l))!;
    const [pm, ps] = time(previous);
    expect(pm * 60 + ps).toBeLessThan(100);
  });
});
