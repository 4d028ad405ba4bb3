// How an engine tells its caller about long work (uploads, moves, restores, imports, jobs) and
// learns that the caller gave up. Plain types, no LSP: the server maps them onto work-done
// progress and the request's cancellation token, the CLI onto a progress bar.

/** One step of long work; `done` and `total` count in `unit`, so a caller can show a rate and ETA. */
export interface ProgressUpdate {
  /** What is happening now, in the user's words ("Uploading datasets/sales.parquet"). */
  readonly message?: string;
  readonly done?: number;
  readonly total?: number;
  readonly unit?: 'bytes' | 'items';
}

export interface ProgressReporter {
  report(update: ProgressUpdate): void;
}

/** What every long engine operation accepts: both optional, so short callers pass nothing. */
export interface WorkOptions {
  readonly progress?: ProgressReporter;
  readonly signal?: AbortSignal;
}

export const NO_PROGRESS: ProgressReporter = { report: () => undefined };

/** Raised when the caller aborted; engines throw it before anything irreversible happens. */
export class CancelledError extends Error {
  constructor(what = 'The operation') {
    super(`${what} was cancelled; nothing was changed.`);
    this.name = 'CancelledError';
  }
}

/** Throws `CancelledError` when the signal has fired; call it between steps of long work. */
export function throwIfCancelled(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted === true) throw new CancelledError(what);
}
