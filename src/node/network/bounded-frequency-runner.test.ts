import { describe, expect, it } from 'vitest';
import { Actor, Simulation } from '../../sim/simulation.js';
import { BoundedFrequencyRunner } from './bounded-frequency-runner.js';

function setup() {
  const sim = new Simulation(1);
  const runs: { t: number; periodic: boolean }[] = [];
  const runner = new BoundedFrequencyRunner(sim, new Actor('kube-proxy'), (periodic) => runs.push({ t: sim.nowMs, periodic }), 1_000, 30_000, 2);
  return { sim, runs, runner };
}

describe("kube-proxy's sync runner", () => {
  it('runs a burst of two at once, then at most one per minSyncPeriod, folding requests together', () => {
    const { sim, runs, runner } = setup();
    for (let i = 0; i < 5; i++) {
      runner.run();
      sim.runUntil(sim.nowMs + 1);
    }
    sim.runUntil(5_000);
    expect(runs.filter((r) => !r.periodic).map((r) => r.t)).toEqual([0, 1, 1000]);
  });

  it('syncs at least once per syncPeriod even when nothing asks', () => {
    const { sim, runs, runner } = setup();
    runner.run();
    sim.runUntil(95_000);
    expect(runs).toEqual([{ t: 0, periodic: false }, { t: 30_000, periodic: true }, { t: 60_000, periodic: true }, { t: 90_000, periodic: true }]);
  });

  it('restarts the periodic timer after every sync', () => {
    const { sim, runs, runner } = setup();
    runner.run();
    sim.runUntil(20_000);
    runner.run();
    sim.runUntil(55_000);
    expect(runs.map((r) => r.t)).toEqual([0, 20_000, 50_000]);
  });

  it('stops with its actor', () => {
    const sim = new Simulation(1);
    const actor = new Actor('kube-proxy');
    const runs: number[] = [];
    const runner = new BoundedFrequencyRunner(sim, actor, () => runs.push(sim.nowMs), 1_000, 30_000);
    runner.run();
    sim.runUntil(10);
    actor.stop();
    sim.runUntil(100_000);
    expect(runs).toEqual([0]);
  });
});
