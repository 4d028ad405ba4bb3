// Runs the `neurolake` CLI in-process and captures what it prints, as a shell would see it.
import { runCli } from '../../../server/cli/program';
import { type Io } from '../../../server/cli/output';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCaptured(argv: readonly string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: Io = { out: (text) => (out += `${text}\n`), err: (text) => (err += `${text}\n`) };
  const code = await runCli(argv, io);
  return { code, out, err };
}
