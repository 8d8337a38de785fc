import { describe, expect, it, vi } from 'vitest';
import type { Simulation } from '../src/sim/simulation.js';
import { run } from '../src/cli/main.js';
import { fakeIo } from './authoring-io.js';

/**
 * A run that throws is a bug in kube-learn, not a failed expectation: `test` says where it stopped,
 * goes on with the other scenarios, and exits 3. The crash is injected into the simulation's slice
 * runner for the one scenario that lasts 2m (first-node), since no scenario that validates crashes today.
 */
vi.mock('../src/cli/slices.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/cli/slices.js')>();
  return {
    ...original,
    runInSlices: async (sim: Simulation, untilMs: number, options?: Parameters<typeof original.runInSlices>[2]) => {
      if (untilMs === 120_000) {
        await original.runInSlices(sim, 30_000, options);
        throw new Error('injected crash at 30s');
      }
      return original.runInSlices(sim, untilMs, options);
    },
  };
});

describe('kube-learn test on a run that crashes', () => {
  it('reports the crash as an ERROR line, still tests the other scenarios, and exits 3', async () => {
    const io = fakeIo();
    const code = await run(['test', 'first-node', 'no-endpoints'], io);
    expect(code).toBe(3);
    expect(io.out()).toContain('  ERROR  the run stopped: injected crash at 30s\n');
    expect(io.out()).toMatch(/^no-endpoints {2}scenarios\/no-endpoints\.yaml {2}seed=\d+\n( {2}PASS .*\n)+/m);
    expect(io.out()).not.toMatch(/\n\s+at /);
  });
});
