// The compute engine: workloads decided, queued and run on this machine or burst to a Slurm
// cluster, with a durable run history. The only module others import.
export { ComputeEngine, type ClusterSettings, type ComputeChange, type ComputeOptions, type ComputeSettings, type ComputeStatus, type ListOptions } from './compute';
export { ComputeError, type ComputeErrorCode } from './errors';
export type { Execution, ExecutionOutcome, ExecutionRequest, Executor } from './executor';
export type { MachineSnapshot } from './machine';
export { Scheduler, type ClusterView, type LocalCapacity, type SchedulerJob, type SchedulerOptions, type SchedulingPolicy } from './scheduler';
export { SimulatedClock, systemClock, type Clock, type ClockTimer } from './clock';
export { scontrolTokenSource, staticTokenSource, tokenExpiry, type SlurmTokenSource } from './slurm/tokens';
export type { ComputeStats } from './stats';
export * from './types';
export { normaliseWorkload, workloadId } from './workload';
export { duration } from './reasons';
export { stagedJobScript, INPUT_MISSING_EXIT, type BurstTransfer, type StagedFiles } from './slurm/transfer';
