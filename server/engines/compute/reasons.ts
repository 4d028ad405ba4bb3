// The decision in words: why a workload runs here, waits, bursts or is refused, with what each
// option would cost and when it would start. Shown in the quick input, the details and the CLI.
import type { LocalCapacity, SchedulerJob, SchedulingPolicy } from './schedulerTypes';
import type { ComputeTier, DecisionOption, DecisionVerdict } from './types';

export interface ReasonInput {
  readonly verdict: DecisionVerdict;
  readonly tier?: ComputeTier;
  readonly job: SchedulerJob;
  readonly local: DecisionOption;
  readonly cluster: DecisionOption;
  readonly now: number;
  readonly deadline: number;
  readonly policy: SchedulingPolicy;
  readonly forced?: ComputeTier;
}

export function explainDecision(input: ReasonInput): string {
  const { verdict, local, cluster, now, job } = input;
  const localCost = usd(local.estimatedCostUsd);
  const clusterCost = usd(cluster.estimatedCostUsd);
  const maxWait = duration(job.maxWaitMs);
  const clusterNo = cluster.why ?? 'it is not available';
  if (input.forced === 'local' && verdict === 'local') return `Runs on this machine now, as asked (about ${localCost}).`;
  if (input.forced === 'cluster' && verdict === 'cluster') return `Runs on the cluster, as asked (about ${clusterCost}).`;
  switch (verdict) {
    case 'local':
      return `Runs on this machine now: it fits under the CPU and memory limits (about ${localCost}; the cluster would cost ${clusterCost}).`;
    case 'cluster': {
      if (input.policy === 'cloud-only') return `Runs on the cluster (about ${clusterCost}).`;
      if (!local.possible) return `Runs on the cluster: ${local.why ?? 'this machine cannot run it'} (about ${clusterCost}).`;
      if (input.policy === 'naive-burst') return `Runs on the cluster: this machine has no room now (about ${clusterCost}).`;
      const when = local.estimatedStart === undefined ? 'not within its maximum wait' : `in ${duration(local.estimatedStart - now)}`;
      return `Runs on the cluster: this machine would start it ${when}, later than its maximum wait of ${maxWait} (about ${clusterCost}; here it would cost ${localCost}).`;
    }
    case 'queue': {
      if (input.tier === 'cluster') return `Waits for the cluster: ${clusterNo}; it starts there once the cluster answers again (about ${clusterCost}).`;
      if (local.estimatedStart === undefined) {
        return `Waits for this machine, which is too busy now to say when it will have room: the cluster cannot take it because ${clusterNo} (about ${localCost}).`;
      }
      const when = `in about ${duration(Math.max(0, local.estimatedStart - now))}`;
      if (local.estimatedStart <= input.deadline) {
        return `Waits for this machine: it is busy now and should have room ${when}, within the maximum wait of ${maxWait} (about ${localCost}; the cluster would cost ${clusterCost}).`;
      }
      return `Waits for this machine, which should have room ${when}, later than its maximum wait of ${maxWait}: the cluster cannot take it because ${clusterNo} (about ${localCost}).`;
    }
    case 'refuse': {
      const here = local.possible ? 'this machine is not allowed for it' : (local.why ?? 'this machine cannot run it');
      return `Cannot run anywhere: ${here}, and the cluster cannot take it because ${clusterNo}.`;
    }
  }
}

/** Why a workload that could start here in time holds CPUs that work saving more here needs. */
export function explainKeepingRoom(job: SchedulerJob, local: DecisionOption, cluster: DecisionOption): string {
  return (
    `Runs on the cluster: it would hold ${job.cpus} CPUs here for ${duration(job.estimatedMs)}, longer than its maximum wait of ${duration(job.maxWaitMs)}, ` +
    `while this machine has been sending work that saves more here per CPU-hour to the cluster for want of room (about ${usd(cluster.estimatedCostUsd)}; here it would cost ${usd(local.estimatedCostUsd)}).`
  );
}

/** Why a workload waits for this machine past its maximum wait: the on-time target leaves room for it. */
export function explainWaitingPastMaxWait(job: SchedulerJob, local: DecisionOption, cluster: DecisionOption, now: number, target: number): string {
  const when = local.estimatedStart === undefined ? 'when it has room' : `in about ${duration(Math.max(0, local.estimatedStart - now))}`;
  return (
    `Waits for this machine past its maximum wait of ${duration(job.maxWaitMs)}: the cluster would cost ${usd(cluster.estimatedCostUsd)} against ${usd(local.estimatedCostUsd)} here, ` +
    `more than nearly every recent workload, and the on-time target of ${percent(target)} leaves room for a late start. This machine should start it ${when}, after the workloads still within their maximum wait.`
  );
}

function percent(share: number): string {
  const value = share * 100;
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}

/** Why a queued workload bursts: `forJob` needs its room here. */
export function explainMovedForRoom(forJob: SchedulerJob, local: DecisionOption, cluster: DecisionOption): string {
  return `Runs on the cluster: it makes room on this machine for ${forJob.id}, which would otherwise miss its maximum wait and saves more by running here (about ${usd(cluster.estimatedCostUsd)}; here it would cost ${usd(local.estimatedCostUsd)}).`;
}

/** Added to the reason of a workload that others make room for. */
export function explainMakingRoom(count: number): string {
  return count === 1
    ? 'To make room in time, one queued workload that saves less here runs on the cluster instead.'
    : `To make room in time, ${count} queued workloads that save less here run on the cluster instead.`;
}

export function tooBig(job: SchedulerJob, limit: LocalCapacity): string {
  if (job.cpus > limit.cpus) return `it needs ${job.cpus} CPUs and this machine gives NeuroLake at most ${round(limit.cpus)}`;
  return `it needs ${job.memoryGb} GB of memory and this machine gives NeuroLake at most ${round(limit.memoryGb)} GB`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** "45 s", "12 min", "2 h 5 min". */
export function duration(ms: number): string {
  const seconds = Math.round(Math.max(0, ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
