import { useEffect, useRef, useState } from 'react';
import type { StepSource } from '../../view/step-source.js';

/** Longest stretch of simulation between two chances for the UI to handle a key. */
const SLICE_MS = 12;
/**
 * How far past the step on screen the simulation runs on its own. Beyond it, a long scenario
 * (300 nodes for 24 hours) is simulated only when a key asks for it, so memory follows how far
 * the learner has gone, not the scenario's length.
 */
export const PREFETCH_AHEAD = 20_000;
/** How often to look again once far enough ahead. */
const IDLE_MS = 100;

/**
 * Runs the simulation ahead in small slices between keypresses, so the header can show how many
 * steps the scenario has (`step N/M`) and `G` answers at once in a short scenario. Returns how
 * many steps exist, which re-renders the screen as the count grows. The simulation's outcome
 * does not depend on when it runs.
 */
export function usePrefetch(source: StepSource, enabled: boolean, onError: (error: unknown) => void, current = 0): number {
  // Not source.steps here: reading steps may build the session, which must wait for the first frame.
  const [count, setCount] = useState(0);
  const at = useRef(current);
  at.current = current;
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let immediate: NodeJS.Immediate | undefined;
    let timer: NodeJS.Timeout | undefined;
    const slice = () => {
      if (cancelled) return;
      try {
        const until = performance.now() + SLICE_MS;
        const far = () => source.steps.length >= at.current + PREFETCH_AHEAD;
        while (!source.finished && !far() && performance.now() < until) source.ensure(source.steps.length + 32);
        setCount(source.steps.length);
        if (source.finished) return;
        if (far()) timer = setTimeout(slice, IDLE_MS);
        else immediate = setImmediate(slice);
      } catch (error) {
        onError(error);
      }
    };
    immediate = setImmediate(slice);
    return () => {
      cancelled = true;
      if (immediate) clearImmediate(immediate);
      if (timer) clearTimeout(timer);
    };
  }, [source, enabled, onError]);
  return count;
}
