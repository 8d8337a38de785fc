/**
 * The real clock, for the parts of kube-learn that face the outside world in real time: `serve`
 * paces the simulation to it, times external watches by it and dates the certificates kubectl
 * checks against it. The simulation itself never reads it (same scenario and seed, same
 * transcript); tests pass a clock of their own.
 */
export interface WallClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): WallTimer;
  clearTimeout(timer: WallTimer): void;
}

export type WallTimer = ReturnType<typeof globalThis.setTimeout>;

export const systemClock: WallClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (timer) => globalThis.clearTimeout(timer),
};
