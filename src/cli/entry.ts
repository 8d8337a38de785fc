import { guardStdout } from './io.js';
import { stopsOnSignal } from './slices.js';

/**
 * The process entry behind `bin/kube-learn.js`: hands argv to the CLI and turns its answer into
 * the exit code. Only this file touches the process (signals, exit code).
 */
// Write errors on stdout (a closed pipe, a full disk) are handled by guardStdout (io.ts).
const stdout = guardStdout(process.stdout, 1);
const interrupt = new AbortController();
// Interrupted is 130 whichever signal did it. `run`, `test` and `play` without a terminal stop
// between two slices of the simulation and return 130 after writing what they have; anything
// else (or a second signal) ends at once. The terminal UI restores the terminal first.
const onSignal = (): void => {
  if (interrupt.signal.aborted || !stopsOnSignal()) process.exit(130);
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered without loading the commands or the simulation core: as fast as node starts.
  const { VERSION } = await import('./version.js');
  stdout.write(`${VERSION}\n`);
} else {
  const { run } = await import('./main.js');
  process.exitCode = await run(argv, {
    stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal: interrupt.signal,
  });
}
// On a terminal every write has already been made (TTY writes are synchronous), so end now rather
// than wait for Node to tear the heap down page by page: after the player, a few tens of ms
// sooner back at the prompt. Anything else drains the event loop first (a pipe may hold output).
if (process.stdout.isTTY === true && process.stderr.isTTY === true) process.exit();
// A write to a pipe can fail after the command is done (the error comes from the event loop).
process.once('beforeExit', () => {
  const late = stdout.lateFailure();
  if (late === undefined) return;
  process.stderr.write(`kube-learn: ${late}\n`);
  process.exitCode = 3;
});
