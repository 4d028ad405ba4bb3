// How every CLI subcommand answers: JSON for scripts, short text for people, and on failure one
// line on stderr with a non-zero exit code.

/** A failure the CLI reports as one line, with the exit code scripts can branch on. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface OutputOptions {
  readonly json?: boolean;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr when it is a terminal, for progress bars (see progress.ts); else plain lines go to `err`. */
  readonly terminal?: NodeJS.WriteStream;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  terminal: process.stderr.isTTY ? process.stderr : undefined,
};

export function print(io: Io, options: OutputOptions, value: unknown, asText: () => string): void {
  io.out(options.json === true ? JSON.stringify(value, null, 2) : asText());
}
