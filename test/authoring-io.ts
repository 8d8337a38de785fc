import type { CliIo } from '../src/cli/io.js';
import { ROOT } from './helpers.js';

/** A CliIo that keeps what the CLI writes, for assertions. */
export function fakeIo(options: { cwd?: string } = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => ((out += t), true), isTTY: false },
    stderr: { write: (t: string) => ((err += t), true) },
    stdin: { isTTY: false },
    env: {},
    cwd: options.cwd ?? ROOT,
    out: () => out,
    err: () => err,
  };
}
