// The two options for a workload, this machine or the cluster: whether each can take it, when it
// would start and what it would cost at the current prices; and what running it here saves.
import { computeCost, type ComputePrices } from '../prices';
import { tooBig, usd } from './reasons';
import type { ClusterView, LocalCapacity, SchedulerJob, SchedulingPolicy } from './schedulerTypes';
import type { DecisionOption } from './types';

/** What the local option needs to know of the machine and the queue, asked only when needed. */
export interface LocalOutlook {
  readonly policy: SchedulingPolicy;
  machineLimit(): LocalCapacity;
  /** When it would start here after the queued ones ahead of it; undefined when the machine cannot say. */
  projectedStart(job: SchedulerJob, now: number): number | undefined;
  /** EASY backfill's test: it may start now without delaying the queue's head. */
  mayStartAheadOfQueue(job: SchedulerJob, now: number): boolean;
  fitsNow(job: SchedulerJob): boolean;
}

export function localOption(job: SchedulerJob, now: number, prices: ComputePrices, outlook: LocalOutlook): DecisionOption {
  const estimatedCostUsd = computeCost(prices, 'local', job.cpus, job.memoryGb, job.estimatedMs / 1000);
  const limit = outlook.machineLimit();
  if (job.cpus > limit.cpus || job.memoryGb > limit.memoryGb) {
    return { tier: 'local', possible: false, why: tooBig(job, limit), estimatedCostUsd };
  }
  if (job.tier === 'local') return { tier: 'local', possible: true, estimatedStart: now, estimatedCostUsd };
  const start = outlook.projectedStart(job, now);
  // NeuroLake's plan is conservative: a new workload starts now only in a slot no queued one holds.
  const startsNow = outlook.policy === 'neurolake' ? start !== undefined && start <= now : outlook.mayStartAheadOfQueue(job, now);
  if (outlook.fitsNow(job) && startsNow) return { tier: 'local', possible: true, estimatedStart: now, estimatedCostUsd };
  return start === undefined
    ? { tier: 'local', possible: true, why: 'the machine is too busy to say when it would have room', estimatedCostUsd }
    : { tier: 'local', possible: true, estimatedStart: start, estimatedCostUsd };
}

export function clusterOption(job: SchedulerJob, now: number, prices: ComputePrices, cluster: ClusterView): DecisionOption {
  const estimatedCostUsd = computeCost(prices, 'cluster', job.cpus, job.memoryGb, job.estimatedMs / 1000);
  if (!cluster.enabled) return { tier: 'cluster', possible: false, why: 'bursting to a cluster is turned off', estimatedCostUsd };
  if (job.budgetUsd !== undefined && estimatedCostUsd > job.budgetUsd) {
    return { tier: 'cluster', possible: false, why: `it would cost more than its budget of ${usd(job.budgetUsd)}`, estimatedCostUsd };
  }
  if (!cluster.available) return { tier: 'cluster', possible: false, why: cluster.reason ?? 'the cluster does not answer', estimatedCostUsd };
  return { tier: 'cluster', possible: true, estimatedStart: now + cluster.startDelayMs, estimatedCostUsd };
}

/** What running `job` here saves against the cluster, in dollars at the current prices. */
export function localSaving(prices: ComputePrices, job: SchedulerJob): number {
  const seconds = job.estimatedMs / 1000;
  return computeCost(prices, 'cluster', job.cpus, job.memoryGb, seconds) - computeCost(prices, 'local', job.cpus, job.memoryGb, seconds);
}
