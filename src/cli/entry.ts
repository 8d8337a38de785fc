import { run } from './main.js';

/**
 * The process entry behind `bin/kube-learn.js`: hands argv to the CLI and turns its answer into
 * the exit code. Only this file touches the process (signals, exit code).
 */
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `kube-learn run ... | head` closes the pipe early: stop quietly, as other CLIs do.
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
// Interrupted is 130 whichever signal did it; the terminal UI restores the terminal first.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(130));

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
