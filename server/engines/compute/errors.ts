// Every compute failure carries a code callers can branch on and a message a person can act on.

export type ComputeErrorCode =
  /** The workload was refused as given: a bad field, a command that is empty, CPUs out of range. */
  | 'invalid-workload'
  | 'not-found'
  /** The workload already has a run queued or running; one workload never runs twice at once. */
  | 'already-active'
  /** Nowhere can run it: too big for this machine and the cluster is off, down or over budget. */
  | 'refused'
  /** The cluster (slurmrestd) did not answer, or answered with an error. */
  | 'cluster'
  /** The run history could not be read or written. */
  | 'storage'
  | 'closed';

export class ComputeError extends Error {
  constructor(
    readonly code: ComputeErrorCode,
    message: string,
    /** A `cluster` error because the cluster refused the token: a new token, not a retry, helps. */
    readonly tokenRefused = false,
  ) {
    super(message);
    this.name = 'ComputeError';
  }
}
