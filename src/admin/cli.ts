#!/usr/bin/env node
import { runCli } from './run.js';

// The entry point of `npm run admin` and the `oai-admin` bin: arguments in, exit code out.

// Output piped into `head` may be cut short; that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} catch (error) {
  // An unexpected failure: one line for the admin, and still nothing half-written (imports are transactions).
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 70;
}
