import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

/** Terminal size; `size` can be given outright (tests, or a caller that knows better). */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/**
 * Columns and rows of the output terminal, kept current through its `resize` events, so a
 * window that was too small and is enlarged recovers without a restart.
 */
export function useTerminalSize(size?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [measured, setMeasured] = useState(read);
  useEffect(() => {
    if (size) return;
    const onResize = () => setMeasured(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, size]);
  return size ?? measured;
}
