// Making room: a workload that would start here too late may take the slots of planned ones that
// save less here (the local machine is priced per running workload, the cluster per CPU, so a wide
// job saves far more per CPU-hour here than a narrow one), when bursting them costs less than
// bursting it. Nobody waits longer for that: the ones moved to the cluster start there at once.
import type { CpuProfile } from './profile';
import type { Placement, SchedulerJob } from './schedulerTypes';

/** The planned workloads to burst, and the slot the workload they make room for then gets. */
export interface Room {
  readonly displaced: Placement[];
  readonly start: number;
}

export interface RoomContext {
  /** What running it here saves against the cluster, at the current prices. */
  saving(job: SchedulerJob): number;
  /** Still queued: not started or burst earlier in this pass. */
  isQueued(id: string): boolean;
  clusterCanTake(job: SchedulerJob): boolean;
}

/**
 * The planned workloads to burst so that `job` can start here by `latest`, when together they
 * save less here than `job` does: those that save least per CPU-second they hold go first. The
 * slot `job` then gets. Undefined when no such set exists; changes nothing.
 */
export function roomFor(job: SchedulerJob, profile: CpuProfile, placements: readonly Placement[], latest: number, context: RoomContext): Room | undefined {
  const saving = context.saving(job);
  if (saving <= 0) return undefined;
  const needed = latest + job.estimatedMs;
  const candidates = placements
    .filter((placement) => placement.start < needed && placement.entry.job.tier === undefined && context.isQueued(placement.entry.job.id))
    .map((placement) => ({ placement, saving: context.saving(placement.entry.job) }))
    .filter((candidate) => candidate.saving < saving)
    .sort((a, b) => a.saving / (a.placement.entry.job.cpus * a.placement.entry.job.estimatedMs) - b.saving / (b.placement.entry.job.cpus * b.placement.entry.job.estimatedMs));
  if (candidates.length === 0) return undefined;
  const trial = profile.clone();
  const displaced: Placement[] = [];
  let spent = 0;
  for (const { placement, saving: given } of candidates) {
    spent += given;
    if (spent >= saving) return undefined;
    if (!context.clusterCanTake(placement.entry.job)) {
      spent -= given;
      continue;
    }
    trial.release(placement.start, placement.entry.job.cpus, placement.entry.job.estimatedMs);
    displaced.push(placement);
    const start = trial.earliestStart(job.cpus, job.estimatedMs);
    if (start !== undefined && start <= latest) return { displaced, start };
  }
  return undefined;
}
