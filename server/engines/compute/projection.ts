// The plan of the queue ahead of a new workload, for "when would it start here?": the queued ones
// of its priority and above placed by conservative backfill, kept per priority while nothing
// changes and the clock stands still, so many decisions in a row cost one plan.
import type { CpuProfile } from './profile';
import type { Placement, Queued, SchedulerJob } from './schedulerTypes';

/** Conservative-backfill plan of the queue ahead; past `PLANNED_AHEAD` workloads only their total work counts. */
export interface Projection {
  readonly profile: CpuProfile;
  /** Where each planned workload sits in `profile`. */
  readonly placements: Placement[];
  planned: number;
  plannedUntil: number;
  overflowCpuMs: number;
}

/** Planning each queued workload costs a pass over the plan: past this many, a sum keeps decisions fast. */
const PLANNED_AHEAD = 128;

function addToProjection(projection: Projection, entry: Queued): void {
  const job = entry.job;
  if (projection.planned < PLANNED_AHEAD) {
    const start = projection.profile.place(job.cpus, job.estimatedMs);
    projection.planned++;
    if (start !== undefined) {
      projection.plannedUntil = Math.max(projection.plannedUntil, start + job.estimatedMs);
      projection.placements.push({ entry, start });
    }
    return;
  }
  projection.overflowCpuMs += job.cpus * job.estimatedMs;
}

/** What a projection is made of: the machine now and the queue waiting for it. */
export interface ProjectionSource {
  /** The machine's free CPUs over time with only the running workloads in it. */
  machineProfile(now: number): CpuProfile;
  /** The workloads waiting for the machine, in the order they are served. */
  queuedForMachine(): readonly Queued[];
  effectivePriority(job: SchedulerJob, now: number): number;
  /** CPUs free for our workloads now, in total, for the work past the planned ones. */
  capacityCpus(): number;
}

export class Projections {
  /** Projections by priority, valid while nothing changes and the clock stands still. */
  private cache: Map<number, Projection> | undefined;
  private cacheAt = Number.NaN;

  constructor(private readonly source: ProjectionSource) {}

  /** Something changed: the queue, what runs, or what the machine has. */
  invalidate(): void {
    this.cache = undefined;
  }

  /** When a new workload of this priority would start here: after the queued ones ahead of it. */
  projectedLocalStart(job: SchedulerJob, now: number): number | undefined {
    const projection = this.projection(job.priority, now);
    const slot = projection.profile.earliestStart(job.cpus, job.estimatedMs);
    if (slot === undefined || projection.overflowCpuMs === 0) return slot;
    // Past the planned ones, the rest of the queue ahead takes its total work on the whole machine.
    const capacity = Math.max(1, this.source.capacityCpus());
    return Math.max(slot, projection.plannedUntil + projection.overflowCpuMs / capacity);
  }

  projection(priority: number, now: number): Projection {
    if (this.cache === undefined || this.cacheAt !== now) {
      this.cache = new Map();
      this.cacheAt = now;
    }
    let projection = this.cache.get(priority);
    if (projection === undefined) {
      projection = { profile: this.source.machineProfile(now), placements: [], planned: 0, plannedUntil: now, overflowCpuMs: 0 };
      for (const entry of this.source.queuedForMachine()) {
        if (this.source.effectivePriority(entry.job, now) < priority) break;
        addToProjection(projection, entry);
      }
      this.cache.set(priority, projection);
    }
    return projection;
  }

  /** A workload was queued last among its priority: the projection of its own priority still holds with it added. */
  queuedLast(entry: Queued, now: number): void {
    const job = entry.job;
    const same = this.cache?.get(job.priority);
    const aged = this.source.effectivePriority(job, now) !== job.priority;
    this.cache = undefined;
    if (same === undefined || aged) return;
    addToProjection(same, entry);
    this.cache = new Map([[job.priority, same]]);
  }
}
