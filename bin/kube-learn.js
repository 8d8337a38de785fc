#!/usr/bin/env node
// The kube-learn command: hands argv to the built CLI and turns its answer into the exit code.
import { run } from '../dist/cli/main.js';

process.stdout.on('error', (error) => {
  // `kube-learn run ... | head` closes the pipe early: stop quietly, as other CLIs do.
  if (error && error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
