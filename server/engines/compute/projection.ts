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
  /**
   * Every term of `overflowCpuMs` and the sum are whole, not negative and exact as numbers: the
   * sum is the same in any order, so a workload queued in the middle may be added last.
   */
  overflowExact: boolean;
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
  const cpuMs = job.cpus * job.estimatedMs;
  projection.overflowCpuMs += cpuMs;
  projection.overflowExact &&= isExactTerm(cpuMs) && Number.isSafeInteger(projection.overflowCpuMs);
}

function isExactTerm(cpuMs: number): boolean {
  return Number.isSafeInteger(cpuMs) && cpuMs >= 0;
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
      projection = { profile: this.source.machineProfile(now), placements: [], planned: 0, plannedUntil: now, overflowCpuMs: 0, overflowExact: true };
      for (const entry of this.source.queuedForMachine()) {
        if (this.source.effectivePriority(entry.job, now) < priority) break;
        addToProjection(projection, entry);
      }
      this.cache.set(priority, projection);
    }
    return projection;
  }

  /**
   * A workload was queued for the machine at `place` in the served order `served` (the queue's
   * own, kept while the clock stands still). Each projection kept stays what planning it again
   * would give: one of a higher priority does not hold it; one where it comes last adds it last;
   * one that plans the first `PLANNED_AHEAD` before it only adds its work to the sum past them,
   * when that sum is exact in any order. Any other is planned again when next asked for, and all
   * are when the served order is not at hand or workloads wait for the cluster among them.
   */
  queued(entry: Queued, now: number, served: readonly Queued[] | undefined, place: number, onlyMachineWaiters: boolean): void {
    const cache = this.cache;
    if (cache === undefined || this.cacheAt !== now || served === undefined || served[place] !== entry || !onlyMachineWaiters) {
      this.cache = undefined;
      return;
    }
    const job = entry.job;
    const own = this.source.effectivePriority(job, now);
    const next = served[place + 1];
    const nextPriority = next === undefined ? Number.NEGATIVE_INFINITY : this.source.effectivePriority(next.job, now);
    const cpuMs = job.cpus * job.estimatedMs;
    for (const [priority, projection] of cache) {
      if (own < priority) continue;
      if (nextPriority < priority) {
        addToProjection(projection, entry);
        continue;
      }
      const sum = projection.overflowCpuMs + cpuMs;
      if (place >= PLANNED_AHEAD && projection.planned >= PLANNED_AHEAD && projection.overflowExact && isExactTerm(cpuMs) && Number.isSafeInteger(sum)) {
        projection.overflowCpuMs = sum;
        continue;
      }
      cache.delete(priority);
    }
  }
}
