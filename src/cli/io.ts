import { fstatSync, writeSync } from 'node:fs';
import { EXIT, KubeLearnError } from './errors.js';

/** Where the CLI writes; tests pass a fake, `bin/` passes the process's streams. */
export interface CliIo {
  readonly stdout: { write(text: string): boolean; readonly isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: { write(text: string): boolean };
  readonly stdin?: { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long commands (`run`, `test`) stop between slices and exit 130. */
  readonly signal?: AbortSignal;
}

/** The part of a Node stream the output guard needs. */
export interface GuardedStream {
  write(text: string): boolean;
  readonly writableErrored?: Error | null;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  off?(event: 'drain', listener: () => void): unknown;
  readonly isTTY?: boolean;
  columns?: number;
  rows?: number;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EIO: 'input/output error',
  EBADF: 'the stream is closed',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
  EACCES: 'permission denied',
};

/** `cannot write to standard output: no space left on device (ENOSPC)`. */
export function writeErrorMessage(name: string, error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  const reason = REASONS[code] ?? error.message.split('\n')[0].replace(/^[A-Z]+: /, '').replace(/, write$/, '');
  return `cannot write to ${name}: ${reason}${code ? ` (${code})` : ''}`;
}

/** True when `fd` is a file or a device (not a terminal, not a pipe): writes to it can be synchronous. */
function isFileOrDevice(fd: number, isTTY: boolean | undefined): boolean {
  if (isTTY) return false;
  try {
    const stats = fstatSync(fd);
    return stats.isFile() || stats.isCharacterDevice() || stats.isBlockDevice();
  } catch {
    return false;
  }
}

/** Guarded stdout: the CLI's writer, and whether a write failed after the command had finished. */
type CliStdout = CliIo['stdout'];
export interface GuardedStdout extends CliStdout {
  /** 'drain', for a writer that waits when a pipe is full (backpressure). */
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
  /** The one-line message of a write error no write reported yet (it came after the last write). */
  lateFailure(): string | undefined;
}

/**
 * Stdout as the CLI writes to it, with write errors handled once:
 * - the reader went away (EPIPE, `kube-learn test | head -1`): later output is dropped, and the
 *   exit code still says how the run went (1 when a test failed);
 * - any other error (a full disk, `> /dev/full`): the write throws a KubeLearnError, so the
 *   command stops at once and exits 3 with one line on stderr, never a stack trace. A file or
 *   device is written synchronously (`fd`), so the error is seen at the write that failed.
 */
export function guardStdout(stream: GuardedStream, fd?: number, name = 'standard output'): GuardedStdout {
  let closed = false;
  let failure: NodeJS.ErrnoException | undefined;
  let reported = false;
  const direct = fd !== undefined && isFileOrDevice(fd, stream.isTTY);
  // A writer waiting for 'drain' must not wait for ever on a pipe that closed or failed.
  const waiting = new Set<() => void>();
  const wake = (): void => {
    for (const listener of [...waiting]) listener();
    waiting.clear();
  };
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') closed = true;
    else failure ??= error;
    wake();
  });
  const fail = (error: NodeJS.ErrnoException): never => {
    failure ??= error;
    reported = true;
    throw new KubeLearnError(writeErrorMessage(name, error), EXIT.internal);
  };
  return {
    write(text: string): boolean {
      if (failure) fail(failure);
      if (closed) return true;
      if (!direct) return stream.write(text);
      try {
        writeSync(fd, text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EPIPE') closed = true;
        else fail(error as NodeJS.ErrnoException);
      }
      return true;
    },
    lateFailure: () => (failure && !reported ? writeErrorMessage(name, failure) : undefined),
    // A closed pipe or a synchronous write never waits for 'drain'.
    once: (event, listener) => {
      if (closed || failure || direct) return listener();
      const once = (): void => {
        waiting.delete(once);
        stream.off?.(event, once);
        listener();
      };
      waiting.add(once);
      return stream.once?.(event, once);
    },
    off: () => undefined,
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
  };
}
