import { useLayoutEffect, useRef } from 'react';

/** The shortest time between two frames while playing: at most 20 redraws a second. */
export const FRAME_MS = 50;

/**
 * While playing, calls `advance(n)` on a timer at `rate` steps per second. Fast rates advance
 * several steps per tick instead of ticking faster, so the terminal is redrawn at most 20 times
 * a second whatever the speed.
 */
export function usePlayback(playing: boolean, rate: number, advance: (steps: number) => void, onError: (error: unknown) => void): void {
  const latest = useRef(advance);
  latest.current = advance;
  // A layout effect, so the timer runs from the very render that shows "playing".
  useLayoutEffect(() => {
    if (!playing) return;
    const intervalMs = Math.max(FRAME_MS, Math.round(1000 / rate));
    const perTick = Math.max(1, Math.round((rate * intervalMs) / 1000));
    const timer = setInterval(() => {
      try {
        latest.current(perTick);
      } catch (error) {
        onError(error);
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [playing, rate, onError]);
}
