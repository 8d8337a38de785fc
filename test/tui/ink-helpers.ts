import { act } from 'react';
import { EventEmitter } from 'node:events';

/**
 * Key sequences and a flush for ink-testing-library tests: write a key to stdin, await one
 * flush, then assert on lastFrame(). No fixed sleeps: the flush lets one macrotask pass (Ink
 * releases a lone Esc on the next immediate) inside React's `act`, which then runs every render
 * and effect React has queued, however busy the machine is.
 */
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
export const KEY = {
  RIGHT: '\u001B[C',
  LEFT: '\u001B[D',
  UP: '\u001B[A',
  DOWN: '\u001B[B',
  PAGE_UP: '\u001B[5~',
  PAGE_DOWN: '\u001B[6~',
  ENTER: '\r',
  ESC: '\u001B',
  TAB: '\t',
  SPACE: ' ',
  CTRL_C: '\u0003',
} as const;

export const flush = (): Promise<void> => during(() => undefined);

/** Runs `fn` (a key write, a timer advance) and then one flush, all inside `act`. */
export function during(fn: () => void): Promise<void> {
  return act(async () => {
    fn();
    await new Promise((resolve) => setImmediate(resolve));
  });
}

/** Writes each key and awaits one flush after it. */
export async function press(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const key of keys) await during(() => stdin.write(key));
}

/** ink-testing-library's render, inside `act` so the first frame and its effects are done. */
export async function mount<T>(render: () => T): Promise<T> {
  let result: T | undefined;
  await act(async () => {
    result = render();
    await new Promise((resolve) => setImmediate(resolve));
  });
  return result!;
}

/** The `step N/M` counter's N on a frame. */
export function stepOnScreen(frame: string | undefined): number {
  const match = /step (\d+)\//.exec(frame ?? '');
  if (!match) throw new Error(`no step counter on screen:\n${frame}`);
  return Number(match[1]);
}

/**
 * Waits until the app listens for keys: Ink attaches its stdin listener in an effect that runs
 * after the first frame. Polls by flushing, never by sleeping.
 */
export async function ready(stdin: { listenerCount(event: string): number }): Promise<void> {
  for (let i = 0; i < 100 && stdin.listenerCount('readable') === 0; i++) await flush();
}

/**
 * Streams for Ink's own `render`, for the few tests that need what ink-testing-library hides:
 * the exit value (`waitUntilExit`) or a terminal size other than 100 columns.
 */
export function fakeTerminal(columns: number, rows: number) {
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows,
    isTTY: true,
    frames: [] as string[],
    write(frame: string) {
      stdout.frames.push(frame);
      return true;
    },
    lastFrame: () => stdout.frames[stdout.frames.length - 1],
  });
  const stderr = Object.assign(new EventEmitter(), { write: () => true });
  let data: string | null = null;
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    isRaw: false,
    setRawMode(raw: boolean) {
      stdin.isRaw = raw;
    },
    setEncoding() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read() {
      const chunk = data;
      data = null;
      return chunk;
    },
    write(chunk: string) {
      data = chunk;
      stdin.emit('readable');
    },
  });
  return { stdout, stderr, stdin };
}
