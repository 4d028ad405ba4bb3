// Entry point of the `neurolake` CLI (dist/cli.js).
import { runCli } from './cli/program';
import { processIo } from './cli/output';

void runCli(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
