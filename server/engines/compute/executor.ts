// The one interface every place a workload can run implements. Two exist: `local` (a process
// group on this machine) and `slurm` (a batch job through slurmrestd). Another backend (Kubernetes
// Jobs, AWS Batch) is one more class with these four methods:
//
// - `start` launches the run and resolves as soon as it has an id the backend can find again
//   (a pid, a job id): the engine journals that `ExecutionRef` before telling anyone it runs.
// - `attach` finds a run again from its ref after a restart; a run that cannot be found ends as
//   `lost`, with the reason, never as a made-up success or failure.
// - `Execution.cancel` stops it (the engine also uses it for timeouts); `done` then resolves.
// - Output goes to the ref's `logFile`, a file on this machine that grows while it runs (or, for a
//   backend that cannot stream, appears when it ends); readers follow that file.
import type { ComputeTier, ExecutionRef, Workload } from './types';

export interface ExecutionRequest {
  readonly runId: string;
  readonly workload: Workload;
  /** This run's own folder in the data folder, for its log and status files. */
  readonly runFolder: string;
}

export type ExecutionEnd = 'completed' | 'failed' | 'cancelled' | 'timed-out' | 'lost';

export interface ExecutionOutcome {
  readonly state: ExecutionEnd;
  readonly exitCode?: number;
  /** When it really started (a cluster job may have waited in the cluster's queue). */
  readonly startedAt?: number;
  readonly endedAt: number;
  readonly cpuSeconds?: number;
  readonly peakMemoryBytes?: number;
  /** Why it ended so, in words: "killed by SIGKILL", "the cluster no longer knows job 12". */
  readonly detail?: string;
  /** Where the log ended up, when it moved (a cluster log fetched into the data folder). */
  readonly logFile?: string;
}

export interface Execution {
  readonly ref: ExecutionRef;
  /** Resolves once, when the run has ended however it ended; never rejects. */
  readonly done: Promise<ExecutionOutcome>;
  /** Resolves when it is really running (a cluster job left the cluster's queue). */
  readonly running: Promise<number>;
  cancel(why: 'cancelled' | 'timed-out'): Promise<void>;
}

export interface Executor {
  readonly tier: ComputeTier;
  start(request: ExecutionRequest): Promise<Execution>;
  attach(ref: ExecutionRef, request: ExecutionRequest): Promise<Execution>;
  /** Stops watching (polls, samplers); the runs themselves go on. */
  close(): void;
}
