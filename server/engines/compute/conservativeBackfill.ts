// NeuroLake's pass over the queue: conservative backfill in the served order. Each queued workload
// holds the earliest slot that leaves every one ahead of it its own, so a later arrival never
// pushes a queued one past its maximum wait. Workloads allowed to start after their maximum wait
// (the on-time target's budget, onTimeBudget.ts) come after all the others: they take only the
// room no workload still within its maximum wait needs, and hold none against later arrivals.
import type { Room } from './makingRoom';
import type { CpuProfile } from './profile';
import type { Placement, Queued, SchedulerJob } from './schedulerTypes';

/** What one pass works with and does; the scheduler provides it. */
export interface ConservativePass {
  readonly now: number;
  readonly canBurst: boolean;
  readonly startDelayMs: number;
  /** Burst this long before the maximum wait runs out, so the cluster start still makes it. */
  readonly marginMs: number;
  readonly freeMemoryGb: number;
  /** The machine with only the running workloads in it; the pass reserves each slot in it. */
  readonly profile: CpuProfile;
  /** The workloads waiting for the machine, in the order they are served. */
  readonly queue: readonly Queued[];
  isQueued(id: string): boolean;
  startHere(entry: Queued): void;
  roomFor(job: SchedulerJob, profile: CpuProfile, placements: readonly Placement[], latest: number): Room | undefined;
  /** Bursts `moved` so that `forJob` runs here in time. */
  moveForRoom(moved: Queued, forJob: SchedulerJob): void;
  /** Bursts a workload that would start here too late; false when the cluster cannot take it. */
  burstLate(job: SchedulerJob): boolean;
  /** Lets a workload that would start here too late wait past its maximum wait instead (marks it `late`); false when it may not. */
  mayWaitLate(entry: Queued): boolean;
}

/**
 * NeuroLake's pass: conservative backfill in the served order. Each queued workload takes the
 * earliest slot the ones ahead of it leave; it starts when that slot is now, and when the slot
 * would be after its maximum wait it bursts, or cheaper ones planned ahead burst to make room.
 */
export function planLocal(pass: ConservativePass): void {
  const { now, profile } = pass;
  let freeMemory = pass.freeMemoryGb;
  const placements: Placement[] = [];
  let blocked = false;
  const place = (entry: Queued, start: number): void => {
    const job = entry.job;
    profile.reserve(start, job.cpus, job.estimatedMs);
    if (start <= now && job.memoryGb <= freeMemory) {
      pass.startHere(entry);
      freeMemory -= job.memoryGb;
    } else {
      blocked = true;
      placements.push({ entry, start });
    }
  };
  for (const entry of pass.queue) {
    if (!pass.isQueued(entry.job.id)) continue; // burst earlier in this pass to make room
    if (entry.late === true) continue;
    const job = entry.job;
    const start = profile.earliestStart(job.cpus, job.estimatedMs);
    if (job.tier === 'local') {
      // Asked to run here: it starts as soon as nothing ahead of it waits, even over the limit.
      if (!blocked) place(entry, now);
      else if (start !== undefined) place(entry, start);
      continue;
    }
    const deadline = job.submittedAt + job.maxWaitMs;
    const mustStartBy = deadline - pass.marginMs - pass.startDelayMs;
    const latest = now >= mustStartBy ? now : deadline;
    if (start !== undefined && start <= latest) {
      place(entry, start);
      continue;
    }
    const room = pass.canBurst ? pass.roomFor(job, profile, placements, latest) : undefined;
    if (room !== undefined) {
      for (const moved of room.displaced) {
        profile.release(moved.start, moved.entry.job.cpus, moved.entry.job.estimatedMs);
        placements.splice(placements.indexOf(moved), 1);
        pass.moveForRoom(moved.entry, job);
      }
      place(entry, room.start);
      continue;
    }
    if (pass.canBurst && start !== undefined && pass.mayWaitLate(entry)) continue;
    if (pass.canBurst && pass.burstLate(job)) continue;
    if (start !== undefined) place(entry, start);
    else blocked = true;
  }
  // Those past their maximum wait, in the served order, in the room the others leave.
  for (const entry of pass.queue) {
    if (entry.late !== true || !pass.isQueued(entry.job.id)) continue;
    const start = profile.earliestStart(entry.job.cpus, entry.job.estimatedMs);
    if (start !== undefined) place(entry, start);
  }
}
