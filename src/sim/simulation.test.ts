import { describe, expect, it } from 'vitest';
import { Actor, Simulation, type Batch } from './simulation.js';

describe('Simulation.scheduleBatched', () => {
  it('runs callbacks in the order separate events would have run, around other events', () => {
    const sim = new Simulation(1);
    const a = new Actor('a');
    const b = new Actor('b');
    const batch: Batch = { open: undefined };
    const ran: string[] = [];
    sim.schedule(a, 5, () => ran.push('before'));
    sim.scheduleBatched(batch, a, 5, () => ran.push('a1'));
    sim.scheduleBatched(batch, b, 5, () => ran.push('b1'));
    // Something else scheduled in between: later deliveries must run after it, as they would.
    sim.schedule(a, 5, () => ran.push('between'));
    sim.scheduleBatched(batch, a, 5, () => ran.push('a2'));
    // Due earlier: a batch never holds callbacks due at different moments.
    sim.scheduleBatched(batch, b, 2, () => ran.push('b-early'));
    while (sim.runNext());
    expect(ran).toEqual(['b-early', 'before', 'a1', 'b1', 'between', 'a2']);
  });

  it('skips the callbacks of an actor stopped by an earlier callback of the same batch', () => {
    const sim = new Simulation(1);
    const a = new Actor('a');
    const b = new Actor('b');
    const batch: Batch = { open: undefined };
    const ran: string[] = [];
    sim.scheduleBatched(batch, a, 1, () => {
      ran.push('a');
      b.stop();
    });
    sim.scheduleBatched(batch, b, 1, () => ran.push('b'));
    sim.scheduleBatched(batch, a, 1, () => ran.push('a again'));
    while (sim.runNext());
    expect(ran).toEqual(['a', 'a again']);
  });

  it('runs what a callback schedules for the same moment after the whole batch, as separate events would', () => {
    const sim = new Simulation(1);
    const a = new Actor('a');
    const batch: Batch = { open: undefined };
    const ran: string[] = [];
    sim.scheduleBatched(batch, a, 0, () => {
      ran.push('first');
      // Joins nothing: the running batch is closed, so this is a new event after it.
      sim.scheduleBatched(batch, a, 0, () => ran.push('scheduled by first'));
    });
    sim.scheduleBatched(batch, a, 0, () => ran.push('second'));
    while (sim.runNext());
    expect(ran).toEqual(['first', 'second', 'scheduled by first']);
  });

  it('keeps one queue entry for deliveries that share a moment', () => {
    const sim = new Simulation(1);
    const batch: Batch = { open: undefined };
    for (let i = 0; i < 1000; i++) sim.scheduleBatched(batch, new Actor(`w${i}`), 3, () => {});
    expect(sim.queue.size).toBe(1);
  });
});
