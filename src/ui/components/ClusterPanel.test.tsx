import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { ClusterPanel } from './ClusterPanel.js';
import { clusterPanel } from '../../view/cluster-panel.js';
import { ClusterStateIndex } from '../../view/cluster-state.js';
import { screenLayout } from '../../view/layout.js';
import { builtin, play } from '../../../test/helpers.js';
import type { Step } from '../../sim/trace.js';

afterEach(() => cleanup());

/** The panel as the player draws it after step `n` of a built-in scenario, at a terminal size. */
function panelAt(steps: readonly Step[], n: number, nodes: string[], columns: number, rows: number): string {
  const layout = screenLayout(columns, rows, nodes.length);
  const model = clusterPanel(new ClusterStateIndex(() => steps).at(n), nodes);
  const { lastFrame } = render(<ClusterPanel model={model} atStep={n} width={layout.panelWidth} height={layout.panelRows} podRows={layout.podRows} />);
  // eslint-disable-next-line no-control-regex
  return lastFrame()!.replace(/\u001B\[[0-9;]*m/g, '');
}

const fits = (frame: string, width: number) => frame.split('\n').every((line) => [...line].length <= width);

describe('the cluster panel shows what the API says', () => {
  const dark = play(builtin('node-goes-dark')).sim.recorder.steps;
  const nodes = ['worker-1', 'worker-2', 'worker-3'];
  // The moment the node lifecycle controller has both unreachable taints on worker-2.
  const tainted = dark.find((s) => s.key === '/registry/minions/worker-2' && ((s.after as { spec?: { taints?: unknown[] } } | null)?.spec?.taints?.length ?? 0) >= 2)!;

  it('a cut-off node: Ready stays True until the controller notices, with "cut off" beside it', () => {
    const partition = dark.find((s) => s.kind === 'failure')!;
    const frame = panelAt(dark, partition.step, nodes, 120, 40);
    expect(frame).toMatch(/worker-2 +True +[0-9ms]+ +cut off /);
  });

  for (const [columns, rows] of [[120, 40], [80, 24]] as const) {
    it(`at ${columns}x${rows}: Ready Unknown, every taint with its effect, pod READY and names that tell replicas apart, nothing overflowing`, () => {
      const layout = screenLayout(columns, rows, nodes.length);
      const frame = panelAt(dark, tainted.step, nodes, columns, rows);
      expect(frame).toMatch(/worker-2 +Unknown +[0-9ms]+ +cut off +unreachable:NoSchedule,NoExecute/);
      expect(frame).toMatch(/^NAMESPACE +POD +READY +PHASE +NODE +IP/m);
      expect(frame).toMatch(/ 1\/1 +Running /);
      const podLines = frame.split('\n').filter((l) => / (Running|Pending|Terminating) /.test(l));
      const names = podLines.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
      expect(new Set(names).size).toBe(names.length);
      expect(fits(frame, layout.panelWidth)).toBe(true);
    });
  }

  it('a stopped kubelet: "kubelet stopped" beside the node, Ready as the API has it', () => {
    const steps = play(builtin('kubelet-stops')).sim.recorder.steps;
    const stop = steps.find((s) => s.kind === 'failure')!;
    expect(panelAt(steps, stop.step, ['worker-1', 'worker-2'], 80, 24)).toMatch(/worker-2 +True +[0-9ms]+ +kubelet stopped /);
  });

  it('the component line marks etcd without quorum and the controllers that lost their leader lease', () => {
    const steps = play(builtin('etcd-quorum-loss')).sim.recorder.steps;
    const [one, two] = steps.filter((s) => s.kind === 'failure');
    const lost = steps.find((s) => s.summary.includes('leader election lost'))!;
    expect(panelAt(steps, one.step, ['worker-1', 'worker-2'], 120, 40)).toContain('◐ etcd 2/3 members ● apiserver ● controller-manager ● scheduler');
    expect(panelAt(steps, two.step, ['worker-1', 'worker-2'], 120, 40)).toContain('○ etcd 1/3 members, no quorum');
    for (const [columns, rows] of [[120, 40], [80, 24]] as const) {
      const frame = panelAt(steps, lost.step, ['worker-1', 'worker-2'], columns, rows);
      expect(frame).toMatch(/○ (kube-)?controller-manager lost leader lease/);
      expect(frame).toMatch(/○ (kube-)?scheduler lost leader lease/);
      expect(fits(frame, screenLayout(columns, rows, 2).panelWidth)).toBe(true);
    }
  });

  it('kube-apiserver stopped is marked so on the component line', () => {
    const steps = play(builtin('apiserver-restart')).sim.recorder.steps;
    const stop = steps.find((s) => s.kind === 'failure')!;
    expect(panelAt(steps, stop.step, ['worker-1', 'worker-2'], 80, 24)).toContain('○ kube-apiserver stopped');
  });
});
