import { describe, expect, it } from 'vitest';
import type { Step } from '../src/sim/trace.js';
import { checkpointStep, type CheckpointRun } from '../src/view/checkpoint-placement.js';
import { builtin, play } from './helpers.js';

type Obj = Record<string, any>;
type Event = { readonly what: string; readonly is: (s: Step) => boolean };

const saved = (node: string): Event => ({ what: `${node} saves its certificate`, is: (s) => s.from === `kubelet/${node}` && s.summary.startsWith('kubelet saves its client certificate') });
const post = (who: string, path: string, status?: number): Event => ({
  what: `${who} POST ${path}`,
  is: (s) => s.from === who && s.method === 'POST' && s.path === path && (status === undefined || s.status === status),
});
const unknown = (node: string): Event => ({
  what: `${node} turns Unknown`,
  is: (s) => s.method === 'PUT' && s.path === `/api/v1/nodes/${node}/status` && (s.after as Obj)?.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'Unknown'),
});
const summary = (what: string, re: RegExp): Event => ({ what, is: (s) => re.test(s.summary) });
const walk = (to: string): Event => ({ what: `the walk to ${to} ends`, is: (s) => s.to === to && typeof (s.detail as Obj | undefined)?.result === 'string' });

/**
 * For each built-in scenario, the event each checkpoint asks about, in file order, and how long
 * after it (virtual ms) the question may come. A question must come after its event, and soon.
 */
const ABOUT: Record<string, readonly (readonly [Event, number])[]> = {
  'first-node': [[saved('worker-1'), 5], [post('kubelet/worker-1', '/api/v1/nodes', 201), 5]],
  'rejected-token': [[{ what: 'worker-2 gets a 401', is: (s) => s.from === 'kubelet/worker-2' && s.status === 401 }, 1_000]],
  'node-goes-dark': [[unknown('worker-2'), 5_000], [summary('the evicted pod is deleted', /^toleration of .* ran out/), 5_000]],
  'kubelet-stops': [[summary('a replacement is scheduled', /^schedule .* → worker-1$/), 5_000]],
  'apiserver-restart': [[summary('kube-apiserver is back', /^kube-apiserver started$/), 100], [summary('a watch gets 410', /410 Expired/), 5_000]],
  'etcd-quorum-loss': [
    [{ what: 'a write fails without quorum', is: (s) => s.method === 'PUT' && s.status === 500 }, 5_000],
    [{ what: 'a Lease is renewed after quorum returns', is: (s) => s.t > 240_000 && s.method === 'PUT' && /leases\/worker-1$/.test(s.path ?? '') && s.status === 200 }, 5_000],
  ],
  'certificate-rotation': [[post('kubelet/worker-2', '/apis/certificates.k8s.io/v1/certificatesigningrequests', 201), 3_000], [post('kubelet/worker-2', '/apis/certificates.k8s.io/v1/certificatesigningrequests', 201), 3_000]],
  'service-networking': [[walk('http://web.default.svc.cluster.local:80'), 0], [walk('http://web.default.svc.cluster.local:80'), 0]],
  'calico-bgp': [[walk('http://web.default.svc.cluster.local:80'), 0]],
  'weave-mesh': [[walk('http://web.default.svc.cluster.local:80'), 0]],
  'no-endpoints': [[walk('http://api'), 0], [walk('http://apii'), 0]],
  'short-partition': [
    [{ what: "worker-2's kubelet PATCHes its status after the heal", is: (s) => s.t > 180_000 && s.from === 'kubelet/worker-2' && s.method === 'PATCH' && s.path === '/api/v1/nodes/worker-2/status' && s.status === 200 }, 5_000],
    [{ what: 'the node lifecycle controller takes the NoExecute taint off', is: (s) => s.t > 180_000 && s.from === 'node-lifecycle-controller' && s.method === 'PATCH' && s.path === '/api/v1/nodes/worker-2' && !JSON.stringify((s.after as { spec?: unknown })?.spec ?? {}).includes('NoExecute') }, 5_000],
  ],
  'zone-outage': [[summary('no mass eviction', /^every node looks unhealthy: no mass eviction/), 10_000]],
};

describe('every built-in checkpoint is asked soon after the event it asks about', () => {
  it.each(Object.keys(ABOUT))('%s', (name) => {
    const scenario = builtin(name);
    const cluster = play(scenario);
    const steps = cluster.sim.recorder.steps;
    const run: CheckpointRun = {
      count: steps.length,
      finished: true,
      timeOf: (n) => steps[n - 1].t,
      lastOfStage: (stage) => steps.filter((s) => s.stage === stage && !s.heartbeat).at(-1)?.step,
      actionStep: (i) => cluster.timelineSteps.get(i),
    };
    expect(scenario.spec.checkpoints).toHaveLength(ABOUT[name].length);
    scenario.spec.checkpoints.forEach((checkpoint, i) => {
      const [event, within] = ABOUT[name][i];
      const at = checkpointStep(checkpoint, run);
      expect(at, `checkpoint ${i} is placed`).toBeDefined();
      // The latest occurrence of the event before the question (the first, for a one-off).
      const happened = steps.slice(0, at).filter(event.is).at(-1);
      expect(happened, `checkpoint ${i} comes after: ${event.what}`).toBeDefined();
      expect(steps[at! - 1].t - happened!.t, `checkpoint ${i} comes within ${within}ms of: ${event.what}`).toBeLessThanOrEqual(within);
    });
  });
});
