import { useEffect, useState } from 'react';
import type { StepSource } from '../../view/step-source.js';

/** Longest stretch of simulation between two chances for the UI to handle a key. */
const SLICE_MS = 12;

/**
 * Runs the simulation ahead in small slices between keypresses, so the header can show how many
 * steps the scenario has (`step N/M`) and `G` answers at once. Returns how many steps exist, which
 * re-renders the screen as the count grows. The simulation's outcome does not depend on when it runs.
 */
export function usePrefetch(source: StepSource, enabled: boolean, onError: (error: unknown) => void): number {
  // Not source.steps here: reading steps may build the session, which must wait for the first frame.
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let handle: NodeJS.Immediate | undefined;
    const slice = () => {
      if (cancelled) return;
      try {
        const until = performance.now() + SLICE_MS;
        while (!source.finished && performance.now() < until) source.ensure(source.steps.length + 32);
        setCount(source.steps.length);
        if (!source.finished) handle = setImmediate(slice);
      } catch (error) {
        onError(error);
      }
    };
    handle = setImmediate(slice);
    return () => {
      cancelled = true;
      if (handle) clearImmediate(handle);
    };
  }, [source, enabled, onError]);
  return count;
}
