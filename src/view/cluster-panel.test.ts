import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClusterPanelCache, clusterPanel } from './cluster-panel.js';
import { ClusterStateIndex } from './cluster-state.js';
import { clusterPanelLines } from './cluster-table.js';
import { builtin, play } from '../../test/helpers.js';

describe('the cluster panel kept between frames', () => {
  const steps = play(builtin('node-goes-dark')).sim.recorder.steps;
  const nodes = ['worker-1', 'worker-2', 'worker-3'];

  it('gives the same nodes and pods, in the same order, as one built afresh, whatever order the steps are visited in', () => {
    const index = new ClusterStateIndex(() => steps, 64);
    const cache = new ClusterPanelCache();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: steps.length }), { minLength: 1, maxLength: 20 }), (ns) => {
        for (const n of ns) expect(clusterPanel(index.at(n), nodes, cache)).toEqual(clusterPanel(index.at(n), nodes));
      }),
      { numRuns: 30 },
    );
  });

  it('lays out only the pods that fit, counts the rest, and keeps NAMESPACE when a hidden pod is outside default', () => {
    const model = clusterPanel(new ClusterStateIndex(() => steps).at(steps.length), nodes);
    expect(model.pods.some((p) => p.namespace !== 'default')).toBe(true);
    const lines = clusterPanelLines(model, 80, 12, 3);
    expect(lines.pods.length).toBe(2);
    expect(lines.hiddenPods).toBe(model.pods.length - 2);
    expect(lines.podHeader).toMatch(/^NAMESPACE +POD /);
    expect(lines.pods.map((p) => p.key)).toEqual(model.pods.slice(0, 2).map((p) => `${p.namespace}/${p.name}`));
  });
});
