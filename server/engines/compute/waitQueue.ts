// The wait queue in the order it is served: effective priority (a waiting workload gains a level
// per `agingMs`, so low priorities are not starved), then arrival (FIFO within a priority).
import type { Clock } from './clock';
import type { Queued, SchedulerJob } from './schedulerTypes';
import type { ComputeTier } from './types';

export class WaitQueue {
  private readonly entries = new Map<string, Queued>();

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

  /** In arrival order, for looking at every one whatever its place. */
  values(): IterableIterator<Queued> {
    return this.entries.values();
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

  enqueue(entry: Queued): void {
    this.entries.set(entry.job.id, entry);
    const cache = this.orderCache;
    if (cache === undefined || cache.at !== this.clock.now()) return;
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
  }

  dequeue(id: string): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    this.entries.delete(id);
    const index = this.orderCache?.list.indexOf(entry) ?? -1;
    if (index >= 0) this.orderCache!.list.splice(index, 1);
    return true;
  }

  effectivePriority(job: SchedulerJob, now: number): number {
    return job.priority + Math.floor(Math.max(0, now - job.submittedAt) / this.agingMs);
  }
}
