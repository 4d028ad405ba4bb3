// The wait queue in the order it is served: effective priority (a waiting workload gains a level
// per `agingMs`, so low priorities are not starved), then arrival (FIFO within a priority).
import type { Clock } from './clock';
import type { Queued, SchedulerJob } from './schedulerTypes';
import type { ComputeTier } from './types';

export class WaitQueue {
  private readonly entries = new Map<string, Queued>();
  /**
   * The maximum-wait deadlines (submitted + max wait) of the queued workloads that may burst,
   * ascending, so the re-check finds the next one without walking the whole queue.
   */
  private readonly burstDeadlines: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly agingMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The queue in the order it is served: effective priority (with aging), then arrival. */
  ordered(tier?: ComputeTier): Queued[] {
    const list = this.servedOrder();
    return tier === undefined ? [...list] : list.filter((entry) => entry.tier === tier);
  }

  private servedOrder(): Queued[] {
    const now = this.clock.now();
    if (this.orderCache === undefined || this.orderCache.at !== now) {
      const list = [...this.entries.values()];
      const effective = new Map(list.map((entry) => [entry, this.effectivePriority(entry.job, now)]));
      list.sort((a, b) => effective.get(b)! - effective.get(a)! || a.seq - b.seq);
      this.orderCache = { at: now, list };
    }
    return this.orderCache.list;
  }

  /** The first in the served order waiting for `tier`, without copying the queue. */
  head(tier: ComputeTier): Queued | undefined {
    if (this.entries.size === 0) return undefined;
    return this.servedOrder().find((entry) => entry.tier === tier);
  }

  /** The served order, kept while the clock stands still; inserts and removals keep it current. */
  private orderCache: { at: number; list: Queued[] } | undefined;

  /**
   * Adds a workload; returns its place in the served order, or -1 when that order is not kept now
   * (the clock moved since it was last asked for).
   */
  enqueue(entry: Queued): number {
    this.entries.set(entry.job.id, entry);
    if (entry.tier === 'cluster') this.clusterWaiters++;
    const deadline = burstDeadline(entry);
    if (deadline !== undefined) this.burstDeadlines.splice(firstAtLeast(this.burstDeadlines, deadline), 0, deadline);
    const cache = this.orderCache;
    if (cache === undefined || cache.at !== this.clock.now()) return -1;
    const now = cache.at;
    const priority = this.effectivePriority(entry.job, now);
    let low = 0;
    let high = cache.list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = cache.list[mid]!;
      const otherPriority = this.effectivePriority(other.job, now);
      if (otherPriority > priority || (otherPriority === priority && other.seq < entry.seq)) low = mid + 1;
      else high = mid;
    }
    cache.list.splice(low, 0, entry);
    return low;
  }

  /** The served order as kept now, when it is (see `enqueue`); not to be changed. */
  servedNow(): readonly Queued[] | undefined {
    return this.orderCache !== undefined && this.orderCache.at === this.clock.now() ? this.orderCache.list : undefined;
  }

  /** How many queued workloads wait for the cluster to come back rather than for the machine. */
  get waitingForCluster(): number {
    return this.clusterWaiters;
  }

  private clusterWaiters = 0;

  /**
   * The smallest burst deadline that `ahead` accepts; `ahead` must accept every deadline after one
   * it accepts (it is "still ahead of now").
   */
  firstBurstDeadline(ahead: (deadline: number) => boolean): number | undefined {
    const list = this.burstDeadlines;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (ahead(list[mid]!)) high = mid;
      else low = mid + 1;
    }
    return list[low];
  }

  dequeue(id: string): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    this.entries.delete(id);
    if (entry.tier === 'cluster') this.clusterWaiters--;
    const deadline = burstDeadline(entry);
    if (deadline !== undefined) this.burstDeadlines.splice(firstAtLeast(this.burstDeadlines, deadline), 1);
    const index = this.orderCache?.list.indexOf(entry) ?? -1;
    if (index >= 0) this.orderCache!.list.splice(index, 1);
    return true;
  }

  effectivePriority(job: SchedulerJob, now: number): number {
    return job.priority + Math.floor(Math.max(0, now - job.submittedAt) / this.agingMs);
  }
}

/** A workload waiting for the machine may burst before its maximum wait runs out, unless it must run here. */
function burstDeadline(entry: Queued): number | undefined {
  if (entry.tier !== 'local' || entry.job.tier === 'local') return undefined;
  const deadline = entry.job.submittedAt + entry.job.maxWaitMs;
  // NaN never comes due (no comparison holds), and would break the order.
  return Number.isNaN(deadline) ? undefined : deadline;
}

/** The index of the first value >= `value` in an ascending list. */
function firstAtLeast(list: readonly number[], value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
