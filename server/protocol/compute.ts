// Custom messages of the compute engine and the shapes they carry: Schedule Workload, the
// Workloads view, the task provider and the status bar use these. Method strings live here only.
import { notification, request } from './descriptors';

export type WorkloadTypeName = 'query' | 'etl' | 'ml' | 'migration';

/** What each type asks for when the workload does not say (the engine's own defaults; a unit test checks they agree). */
export const WORKLOAD_TYPE_DEFAULTS: Readonly<Record<WorkloadTypeName, { readonly cpus: number; readonly memoryGb: number; readonly estimatedMinutes: number; readonly maxWaitMinutes: number }>> = {
  query: { cpus: 1, memoryGb: 2, estimatedMinutes: 5, maxWaitMinutes: 5 },
  etl: { cpus: 2, memoryGb: 4, estimatedMinutes: 30, maxWaitMinutes: 60 },
  ml: { cpus: 4, memoryGb: 16, estimatedMinutes: 120, maxWaitMinutes: 120 },
  migration: { cpus: 2, memoryGb: 8, estimatedMinutes: 60, maxWaitMinutes: 240 },
};
export type ComputeTierName = 'local' | 'cluster';
export type RunStateName = 'queued' | 'starting' | 'running' | 'completed' | 'failed' | 'cancelled' | 'timed-out' | 'lost' | 'refused';

/** What a workload runs: a shell command, or a script file run by its interpreter. */
export type WireWorkloadCommand =
  | { readonly kind: 'shell'; readonly command: string }
  | { readonly kind: 'script'; readonly file: string; readonly interpreter?: string; readonly args?: readonly string[] };

/** A workload as the quick input or a tasks.json task describes it; missing resources come from its type. */
export interface WireWorkloadSpec {
  readonly id?: string;
  readonly name: string;
  readonly type: WorkloadTypeName;
  readonly run: WireWorkloadCommand;
  readonly workingFolder?: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly cpus?: number;
  readonly memoryGb?: number;
  readonly estimatedMinutes?: number;
  readonly priority?: number;
  readonly maxWaitMinutes?: number;
  readonly budgetUsd?: number;
  readonly timeoutMinutes?: number;
  readonly retries?: number;
  readonly noRetryExitCodes?: readonly number[];
  readonly inputs?: readonly string[];
  readonly outputs?: readonly string[];
  readonly tier?: ComputeTierName;
}

export interface WireDecisionOption {
  readonly tier: ComputeTierName;
  readonly possible: boolean;
  readonly why?: string;
  /** Milliseconds since the epoch. */
  readonly estimatedStart?: number;
  readonly estimatedCostUsd: number;
}

/** Where a workload runs and why, in words, with each option's start and cost, before it runs. */
export interface WireDecision {
  readonly verdict: 'local' | 'cluster' | 'queue' | 'refuse';
  readonly tier?: ComputeTierName;
  readonly reason: string;
  readonly options: readonly WireDecisionOption[];
  readonly decidedAt: number;
  /** On a preview: the price preset its costs are from and the date of those prices (YYYY-MM-DD). */
  readonly prices?: { readonly preset: string; readonly asOf: string };
}

/** One run of a workload, as the Workloads view and Show Details show it. */
export interface WireRun {
  readonly id: string;
  readonly workload: Required<Pick<WireWorkloadSpec, 'name' | 'type' | 'run'>> & {
    readonly id: string;
    readonly workingFolder: string;
    readonly cpus: number;
    readonly memoryGb: number;
    readonly estimatedMinutes: number;
    readonly priority: number;
    readonly maxWaitMinutes: number;
    readonly budgetUsd?: number;
    readonly tier?: ComputeTierName;
  };
  readonly attempt: number;
  readonly state: RunStateName;
  readonly decision: WireDecision;
  readonly submittedAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly tier?: ComputeTierName;
  readonly exitCode?: number;
  readonly cpuSeconds?: number;
  readonly peakMemoryBytes?: number;
  readonly costUsd?: number;
  readonly detail?: string;
  readonly retriedBy?: string;
  /** Where its output is, on this machine. */
  readonly logFile?: string;
  /** The Slurm job id of a cluster run. */
  readonly jobId?: number;
}

/** The Machine node: CPU and memory now, and what NeuroLake's own workloads hold. */
export interface WireMachine {
  readonly cpuCount: number;
  readonly cpuBusyPct: number;
  readonly memoryTotalGb: number;
  readonly memoryAvailableGb: number;
  readonly diskFreeGb?: number;
  readonly ownCores: number;
  readonly ownMemoryGb: number;
}

export interface WireComputeStats {
  readonly runs: number;
  readonly byTier: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
  readonly byState: Readonly<Record<string, number>>;
  readonly costUsd: number;
  readonly cloudOnlyCostUsd: number;
  readonly savedUsd: number;
  readonly queueWaitSeconds?: { readonly p50: number; readonly p95: number; readonly p99: number };
}

export interface ComputeListParams {
  readonly states?: readonly RunStateName[];
  /** A page of the newest-first history, so the view never loads it all at once. */
  readonly offset?: number;
  readonly limit?: number;
}

export interface ComputeListResult {
  readonly runs: readonly WireRun[];
  /** Runs in those states in all, for "Show more…". */
  readonly total: number;
}

export interface ComputeLogParams {
  readonly runId: string;
  /** Bytes already shown; the answer carries what came after. */
  readonly offset: number;
}

export interface ComputeLogResult {
  readonly text: string;
  readonly offset: number;
  /** True once the run has ended and everything was read. */
  readonly complete: boolean;
}

/** Error data of a refused compute request; `code` is the engine's (invalid-workload, already-active…). */
export interface ComputeErrorData {
  readonly code: string;
}

/** Sent by the extension for the last step of Schedule Workload: the decision, nothing runs. */
export const ComputePreviewRequest = request<WireWorkloadSpec, WireDecision, ComputeErrorData>('neurolake/compute/preview');
/** Sent by the extension to run a workload (Run, Run Again, a task); answers once the run is durably recorded. */
export const ComputeSubmitRequest = request<WireWorkloadSpec, WireRun, ComputeErrorData>('neurolake/compute/submit');
/** Sent by the Workloads view for a page of runs. */
export const ComputeListRequest = request<ComputeListParams, ComputeListResult, ComputeErrorData>('neurolake/compute/list');
/** Sent by Show Details. */
export const ComputeGetRequest = request<{ readonly id: string }, WireRun, ComputeErrorData>('neurolake/compute/get');
/** Sent by Cancel; answers once the run's end is recorded. */
export const ComputeCancelRequest = request<{ readonly id: string }, WireRun, ComputeErrorData>('neurolake/compute/cancel');
/**
 * Sent by the Schedule Workload and Run Current File notifications: answers once the run has ended.
 * Cancelling the request stops only the waiting (LSP RequestCancelled); the run goes on.
 */
export const ComputeWaitRequest = request<{ readonly id: string }, WireRun, ComputeErrorData>('neurolake/compute/wait');
/** Sent by Show Output to follow a run's log. */
export const ComputeLogRequest = request<ComputeLogParams, ComputeLogResult, ComputeErrorData>('neurolake/compute/log');
export const ComputeStatsRequest = request<void, WireComputeStats, ComputeErrorData>('neurolake/compute/stats');
/** Sent by the Machine node. */
export const ComputeMachineRequest = request<void, WireMachine, ComputeErrorData>('neurolake/compute/machine');

/**
 * Sent by the server when the Slurm cluster refused the token (expired, wrong, or none set), so
 * the extension offers to set a new one. The token itself never travels in a message.
 */
export const ComputeTokenRefusedNotification = notification<{ readonly message: string }>('neurolake/compute/tokenRefused');
/** Sent by the server when a run changed (any process's), so the view, status bar and tasks follow. */
export const DidChangeComputeNotification = notification<{ readonly runId?: string; readonly kind: 'run' | 'status' | 'machine' }>('neurolake/compute/didChange');
