import { describe, expect, it } from 'vitest';
import { Actor, Simulation } from '../sim/simulation.js';
import { Pacer } from './pacer.js';

describe('Pacer', () => {
  it('runs the events the wall clock has reached, times speed, and moves the clock to that point', () => {
    const sim = new Simulation(1);
    const actor = new Actor('a');
    const ran: number[] = [];
    for (const at of [1_000, 5_000, 25_000]) sim.schedule(actor, at, () => ran.push(sim.nowMs));
    let wall = 0;
    const pacer = new Pacer(sim, { speed: 10, now: () => wall });
    pacer.start();
    wall = 600; // 6 s of virtual time at 10x
    pacer.slice();
    expect(ran).toEqual([1_000, 5_000]);
    expect(sim.nowMs).toBe(6_000);
    pacer.stop();
  });

  it('stops the clock at untilMs', () => {
    const sim = new Simulation(1);
    let wall = 0;
    const pacer = new Pacer(sim, { speed: 1, untilMs: 2_000, now: () => wall });
    pacer.start();
    wall = 10_000;
    pacer.slice();
    expect(sim.nowMs).toBe(2_000);
    pacer.stop();
  });

  it('reports an event that throws and goes on with the next', () => {
    const sim = new Simulation(1);
    const actor = new Actor('a');
    const errors: unknown[] = [];
    let after = false;
    sim.schedule(actor, 10, () => {
      throw new Error('boom');
    });
    sim.schedule(actor, 20, () => (after = true));
    let wall = 0;
    const pacer = new Pacer(sim, { speed: 1, now: () => wall, onError: (e) => errors.push(e) });
    pacer.start();
    wall = 100;
    pacer.slice();
    expect(errors).toHaveLength(1);
    expect(after).toBe(true);
    pacer.stop();
  });
});
