import { guardStdout } from './io.js';
import { run } from './main.js';

/**
 * The process entry behind `bin/kube-learn.js`: hands argv to the CLI and turns its answer into
 * the exit code. Only this file touches the process (signals, exit code).
 */
// Write errors on stdout (a closed pipe, a full disk) are handled by guardStdout (io.ts).
const stdout = guardStdout(process.stdout, 1);
// Interrupted is 130 whichever signal did it; the terminal UI restores the terminal first.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(130));

process.exitCode = await run(process.argv.slice(2), {
  stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
// A write to a pipe can fail after the command is done (the error comes from the event loop).
process.once('beforeExit', () => {
  const late = stdout.lateFailure();
  if (late === undefined) return;
  process.stderr.write(`kube-learn: ${late}\n`);
  process.exitCode = 3;
});
