// What every `neurolake storage` subcommand shares: opening the data folder's storage and always
// closing it, and turning storage failures into one line and an exit code.
import { CancelledError } from '../engines/common';
import { StorageEngine, StorageError, type StorageErrorCode } from '../engines/storage';
import { EXIT } from './exitCodes';
import { CliError, type Io } from './output';

export interface StorageCliContext {
  readonly io: Io;
  /** Resolved lazily: the options are only known once commander has parsed them. */
  dataFolder(): string;
}

/** Exit codes beyond the shared ones, for what only storage can hit. */
export const STORAGE_EXIT = {
  ...EXIT,
  /** The cloud tier is unreachable or refused us (after the retries). */
  unavailable: 6,
  /** The object is archived and being restored: try again later. */
  restoring: 7,
  /** The disk or the local tier is full. */
  noSpace: 8,
} as const;

export const STORAGE_EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  general failure (index, lock, a file that cannot be read or written)
  2  usage: unknown command or option, missing argument
  3  not found: no such object or file
  5  invalid input: a refused key or configuration
  6  the cloud tier is unreachable, refused the credentials, or is not configured
  7  the object is archived and being restored; try again later
  8  no space: the disk or the local tier is full (nothing was stored)
  9  a copy does not match its checksum
  130 cancelled with Ctrl-C before anything was changed`;

export function storageExitCode(code: StorageErrorCode): number {
  switch (code) {
    case 'not-found':
      return EXIT.notFound;
    case 'invalid-key':
    case 'invalid-config':
    case 'invalid-argument':
      return EXIT.invalidInput;
    case 'cloud-unavailable':
    case 'not-configured':
      return STORAGE_EXIT.unavailable;
    case 'restoring':
      return STORAGE_EXIT.restoring;
    case 'no-space':
      return STORAGE_EXIT.noSpace;
    case 'checksum-mismatch':
      return 9;
    case 'storage':
      return EXIT.general;
  }
}

/** Opens storage, runs `work`, and closes it whatever happened (closing compacts the index). */
export async function withStorage<T>(ctx: StorageCliContext, work: (engine: StorageEngine) => Promise<T>): Promise<T> {
  const engine = await asCliError(() => StorageEngine.open({ dataFolder: ctx.dataFolder(), onWarning: (message) => ctx.io.err(`neurolake: warning: ${message}`) }));
  let result: T;
  try {
    result = await asCliError(() => work(engine));
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  await asCliError(() => engine.close());
  return result;
}

export async function asCliError<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StorageError) throw new CliError(oneLine(error.message), storageExitCode(error.code));
    if (error instanceof CancelledError) throw new CliError(oneLine(error.message), EXIT.cancelled);
    throw error;
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
