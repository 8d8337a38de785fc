import type { Actor, Process, Simulation } from '../../../sim/simulation.js';

/**
 * Runs several processes at once and waits for all of them, as the controllers' goroutine
 * fan-outs do (slowStartBatch's batch, the parallel pod deletions). Each result keeps its index.
 */
export function* parallel<T>(sim: Simulation, actor: Actor, processes: readonly Process<T>[]): Process<T[]> {
  if (processes.length === 0) return [];
  const results = (yield {
    start: (resume) => {
      const out: T[] = new Array(processes.length);
      let left = processes.length;
      processes.forEach((process, i) =>
        sim.spawn(actor, process, (result) => {
          out[i] = result;
          if (--left === 0) resume(out);
        }),
      );
    },
  }) as T[];
  return results;
}

/**
 * slowStartBatch: run `count` calls in batches of 1, 2, 4, ... and stop after the first batch with
 * a failure, so a controller that cannot create pods (quota, admission) sends one request, not
 * five hundred. Returns how many calls succeeded.
 */
export function* slowStartBatch(sim: Simulation, actor: Actor, count: number, call: () => Process<boolean>): Process<number> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = yield* parallel(sim, actor, Array.from({ length: batch }, () => call()));
    const ok = results.filter(Boolean).length;
    successes += ok;
    if (ok < batch) break;
    remaining -= batch;
  }
  return successes;
}
