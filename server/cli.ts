// Entry point of the `neurolake` CLI (dist/cli.js).
import { runCli } from './cli/program';
import { processIo } from './cli/output';

// A reader that stops early (`neurolake … | head`) closes the pipe. The command still finishes what
// it started, so nothing is left half done; only the rest of its output goes nowhere, as with any
// Unix tool whose reader has gone. Any other output failure is still an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

void runCli(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
