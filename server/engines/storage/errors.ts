// Every storage failure carries a code callers branch on (exit codes in the CLI, ResponseError
// codes in the server) and a message that names the object and what to do.

export type StorageErrorCode =
  /** The key was refused: the message says which rule it broke. */
  | 'invalid-key'
  | 'not-found'
  /** The local disk (or the local tier's capacity) has no room; nothing was written. */
  | 'no-space'
  /** The cloud or archive tier is needed but not configured. */
  | 'not-configured'
  /** The S3 endpoint did not answer, or answered with errors after the retries. */
  | 'cloud-unavailable'
  /** The archived object is being restored; readable around the time in the message. */
  | 'restoring'
  /** A copy's content does not match the checksum recorded when it was stored. */
  | 'checksum-mismatch'
  | 'invalid-config'
  /** An argument other than a key was refused (a presigned URL's expiry): the message says which and why. */
  | 'invalid-argument'
  /** Local files or the index could not be written or read. */
  | 'storage';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** The message of any error, for wrapping into a StorageError. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
