// The compute engine's words: a workload (what to run and what it needs), the decision where to
// run it, and a run (one attempt at it, from queued to finished), as kept in the history.
import type { ComputeTier } from '../prices';

export type { ComputeTier } from '../prices';

export const WORKLOAD_TYPES = ['query', 'etl', 'ml', 'migration'] as const;
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];

export interface Resources {
  readonly cpus: number;
  readonly memoryGb: number;
  /** How long it is expected to run; prices the options and plans the queue. */
  readonly estimatedMinutes: number;
}

/** What each type asks for when the workload does not say. */
export const TYPE_DEFAULTS: Readonly<Record<WorkloadType, Resources & { readonly maxWaitMinutes: number }>> = {
  query: { cpus: 1, memoryGb: 2, estimatedMinutes: 5, maxWaitMinutes: 5 },
  etl: { cpus: 2, memoryGb: 4, estimatedMinutes: 30, maxWaitMinutes: 60 },
  ml: { cpus: 4, memoryGb: 16, estimatedMinutes: 120, maxWaitMinutes: 120 },
  migration: { cpus: 2, memoryGb: 8, estimatedMinutes: 60, maxWaitMinutes: 240 },
};

/** What runs: a shell command, or a script file run by its interpreter. */
export type WorkloadCommand =
  | { readonly kind: 'shell'; readonly command: string }
  | { readonly kind: 'script'; readonly file: string; readonly interpreter?: string; readonly args?: readonly string[] };

/** A workload as a caller describes it; everything but the name, type and command has a default. */
export interface WorkloadSpec {
  /** Stable id: submitting the same id again is another run of the same workload. Generated when absent. */
  readonly id?: string;
  readonly name: string;
  readonly type: WorkloadType;
  readonly run: WorkloadCommand;
  readonly workingFolder?: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly cpus?: number;
  readonly memoryGb?: number;
  readonly estimatedMinutes?: number;
  /** 1 (lowest) to 10 (highest); 5 when absent. */
  readonly priority?: number;
  /** How long it may wait before it must have started somewhere. */
  readonly maxWaitMinutes?: number;
  /** The most it may cost on the cluster, in dollars; no cap when absent. */
  readonly budgetUsd?: number;
  /** Killed when it runs longer; three times the estimate (at least 10 minutes) when absent. */
  readonly timeoutMinutes?: number;
  /** Extra attempts after a failing exit code; 0 when absent. */
  readonly retries?: number;
  /** Exit codes that mean "retrying will not help" (126 and 127, not executable and not found, always are). */
  readonly noRetryExitCodes?: readonly number[];
  /** Files (relative to the working folder) a cluster run needs, copied in before it starts. */
  readonly inputs?: readonly string[];
  /** Files (relative to the working folder) a cluster run makes, copied back when it ends. */
  readonly outputs?: readonly string[];
  /** Where it must run; absent lets the scheduler decide ("Run Again Locally / On Cluster"). */
  readonly tier?: ComputeTier;
}

/** A workload with every default filled in, as validated and kept in the history. */
export interface Workload extends Resources {
  readonly id: string;
  readonly name: string;
  readonly type: WorkloadType;
  readonly run: WorkloadCommand;
  readonly workingFolder: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly priority: number;
  readonly maxWaitMinutes: number;
  readonly budgetUsd?: number;
  readonly timeoutMinutes: number;
  readonly retries: number;
  readonly noRetryExitCodes: readonly number[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly tier?: ComputeTier;
}

/** One place it could run, priced and timed before anything runs. */
export interface DecisionOption {
  readonly tier: ComputeTier;
  /** Whether this option can be taken at all, and when not, why. */
  readonly possible: boolean;
  readonly why?: string;
  /** Milliseconds since the epoch; absent when it cannot start there at all. */
  readonly estimatedStart?: number;
  readonly estimatedCostUsd: number;
}

export type DecisionVerdict = 'local' | 'cluster' | 'queue' | 'refuse';

export interface Decision {
  readonly verdict: DecisionVerdict;
  /** Where a queued workload is expected to run once it leaves the queue. */
  readonly tier?: ComputeTier;
  /** Why, in words a user reads in the quick input and the details. */
  readonly reason: string;
  readonly options: readonly DecisionOption[];
  readonly decidedAt: number;
  /** The prices its costs are from, on a preview: the preset and the date they are of. */
  readonly prices?: DecisionPrices;
}

export interface DecisionPrices {
  readonly preset: string;
  /** YYYY-MM-DD. */
  readonly asOf: string;
}

export type RunState = 'queued' | 'starting' | 'running' | 'completed' | 'failed' | 'cancelled' | 'timed-out' | 'lost' | 'refused';

export const FINISHED_STATES: ReadonlySet<RunState> = new Set(['completed', 'failed', 'cancelled', 'timed-out', 'lost', 'refused']);

/** Where a started run lives, enough for a later process to find it again (re-attach). */
export type ExecutionRef =
  | { readonly tier: 'local'; readonly pid: number; readonly statusFile: string; readonly logFile: string }
  | {
      readonly tier: 'cluster';
      readonly jobId: number;
      readonly logFile: string;
      /** The run's folder in the shared folder, when its files travel that way. */
      readonly folder?: string;
      /** The staging prefix in the cloud tier, when its files travel by presigned URLs instead. */
      readonly staged?: string;
    };

/** A run: one attempt at a workload, kept durably from submission to its end. */
export interface Run {
  readonly id: string;
  readonly workload: Workload;
  readonly attempt: number;
  readonly state: RunState;
  readonly decision: Decision;
  readonly submittedAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly tier?: ComputeTier;
  readonly execution?: ExecutionRef;
  readonly exitCode?: number;
  readonly cpuSeconds?: number;
  readonly peakMemoryBytes?: number;
  readonly costUsd?: number;
  /** What happened, in words: why it failed, was lost, or was retried. */
  readonly detail?: string;
  /** The process that runs it, so another process knows whether its owner is still alive. */
  readonly owner?: { readonly pid: number; readonly since: number };
  /** A later run that retries this one after a failing exit. */
  readonly retriedBy?: string;
}
