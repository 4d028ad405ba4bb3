// What the scheduler is given (a workload, the machine's capacity, the cluster's state, its options)
// and what it keeps while a workload waits or runs. Shared by the scheduler's parts; others reach
// the public ones through index.ts.
import type { ComputePrices } from '../prices';
import type { Clock } from './clock';
import type { ComputeTier, Decision } from './types';

export interface SchedulerJob {
  readonly id: string;
  readonly cpus: number;
  readonly memoryGb: number;
  readonly estimatedMs: number;
  /** 1 (lowest) to 10 (highest). */
  readonly priority: number;
  readonly maxWaitMs: number;
  readonly budgetUsd?: number;
  readonly submittedAt: number;
  /** Where it must run, when the user said so. */
  readonly tier?: ComputeTier;
}

/** What NeuroLake's own workloads may hold in total right now (the limit minus everyone else's use). */
export interface LocalCapacity {
  readonly cpus: number;
  readonly memoryGb: number;
}

export interface ClusterView {
  /** Bursting is turned on and a cluster is configured. */
  readonly enabled: boolean;
  /** It answers; when not, `reason` says why. */
  readonly available: boolean;
  readonly reason?: string;
  /** How long a job takes to start there, for the estimate. */
  readonly startDelayMs: number;
}

/**
 * `neurolake` decides per workload; the others are the baselines the benchmark compares against:
 * everything here (FCFS with EASY backfill), everything on the cluster, and burst whenever a
 * workload would have to wait.
 */
export type SchedulingPolicy = 'neurolake' | 'local-only' | 'cloud-only' | 'naive-burst';

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly prices: ComputePrices;
  readonly policy?: SchedulingPolicy;
  /** Free for our workloads now, in total (running ones included). */
  capacity(): LocalCapacity;
  /** The most the machine could ever give our workloads (an idle machine at the limit). */
  machineLimit(): LocalCapacity;
  cluster(): ClusterView;
  /** A workload that must burst while the cluster is down waits for it (`queue`) or is refused. */
  /** A function when the setting may change while the scheduler runs. */
  readonly whenClusterDown?: 'queue' | 'refuse' | (() => 'queue' | 'refuse');
  /** A waiting workload gains one priority level per this many milliseconds. */
  readonly agingMsPerLevel?: number;
  /** Burst this long before the maximum wait runs out, so the cluster start still makes it. */
  readonly burstMarginMs?: number;
  /**
   * The share of workloads that must start within their maximum wait (0..1, default 1: every
   * maximum wait is a deadline). Below 1, NeuroLake's policy lets the workloads costliest to burst
   * wait past it while the recent on-time share stays at the target (onTimeBudget.ts).
   */
  readonly onTimeTarget?: number | (() => number);
  /** Called when a workload should start; its capacity is already held. */
  start(job: SchedulerJob, tier: ComputeTier, decision: Decision): void;
  /** Called when a queued workload can run nowhere any more (the cluster went away, refuse is set). */
  refuse?(job: SchedulerJob, decision: Decision): void;
}

export interface Queued {
  readonly job: SchedulerJob;
  readonly seq: number;
  /** `cluster` while it waits for the cluster to come back; `local` waits for the machine. */
  tier: ComputeTier;
  decision: Decision;
  /** Allowed to start after its maximum wait (the on-time target): planned after all the others. */
  late?: boolean;
}

/** A queued workload's slot in the plan of the machine. */
export interface Placement {
  readonly entry: Queued;
  readonly start: number;
}

export interface Running {
  readonly job: SchedulerJob;
  readonly tier: ComputeTier;
  readonly startedAt: number;
}
