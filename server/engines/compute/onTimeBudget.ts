// The on-time target as an error budget: of the workloads submitted since the scheduler started,
// at most the share `1 - target` may start after their maximum wait. NeuroLake spends that budget
// only on workloads that would cost the most to burst (what the cluster charges beyond running
// here), ranked among the last `COST_RANK_WINDOW` submitted: those are the ones a hindsight
// schedule would let wait, since a late start of one of them saves more than a late start of any
// other, and the budget counts workloads, not dollars. A target of 1 keeps every maximum wait a
// deadline, and nothing is counted.
import type { SchedulerJob } from './schedulerTypes';

/** How many recent workloads a workload's cost to burst is ranked among. */
export const COST_RANK_WINDOW = 1000;

export class OnTimeBudget {
  private submitted = 0;
  private late = 0;
  /** Submitted and not started yet, and whether each is already counted late. */
  private readonly pending = new Map<string, { readonly extraCostUsd: number; late: boolean }>();
  /** The costs to burst of the last `COST_RANK_WINDOW` submitted, in arrival order and ascending. */
  private readonly recent: number[] = [];
  private readonly recentSorted: number[] = [];

  /** `target` is the share of workloads that must start within their maximum wait, 0..1. */
  constructor(readonly target: () => number) {}

  private get strict(): boolean {
    return !(this.target() < 1);
  }

  /** A workload was submitted; `extraCostUsd` is what bursting it costs beyond running it here. */
  noteSubmitted(job: SchedulerJob, extraCostUsd: number): void {
    if (this.strict) return;
    this.submitted++;
    this.pending.set(job.id, { extraCostUsd, late: false });
    this.recent.push(extraCostUsd);
    this.recentSorted.splice(firstAbove(this.recentSorted, extraCostUsd), 0, extraCostUsd);
    if (this.recent.length > COST_RANK_WINDOW) {
      const old = this.recent.shift()!;
      this.recentSorted.splice(firstAbove(this.recentSorted, old) - 1, 1);
    }
  }

  /** It is allowed to start after its maximum wait: it counts as late from now on. */
  noteWaitingLate(id: string): void {
    const pending = this.pending.get(id);
    if (pending === undefined || pending.late) return;
    pending.late = true;
    this.late++;
  }

  /** It started (here or there), `late` when after its maximum wait; or it left the queue unstarted. */
  noteStarted(id: string, late: boolean): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    if (late && !pending.late) this.late++;
  }

  /** A started one is queued again (its start failed); `countedLate` when its start counted as late. */
  noteRequeued(job: SchedulerJob, extraCostUsd: number, countedLate: boolean): void {
    if (this.strict || this.pending.has(job.id)) return;
    this.pending.set(job.id, { extraCostUsd, late: countedLate });
  }

  noteGone(id: string): void {
    this.pending.delete(id);
  }

  /**
   * May this workload, which would start here after its maximum wait, wait for the machine rather
   * than burst? Only when one more late start keeps the on-time share at the target, and bursting
   * it would cost more than bursting all but the costliest `1 - target` of the recent workloads.
   * A workload not submitted yet (a preview) is weighed as if it were.
   */
  mayWaitPastMaxWait(id: string, extraCostUsd: number): boolean {
    if (this.strict) return false;
    const pending = this.pending.get(id);
    if (pending?.late === true) return false;
    const share = 1 - this.target();
    const known = pending !== undefined;
    if (this.late + 1 > Math.floor(share * (this.submitted + (known ? 0 : 1)) + 1e-9)) return false;
    const ranked = this.recentSorted.length + (known ? 0 : 1);
    const costlier = this.recentSorted.length - firstAbove(this.recentSorted, pending?.extraCostUsd ?? extraCostUsd);
    return costlier < Math.max(1, Math.floor(share * ranked + 1e-9));
  }
}

/** The index of the first value > `value` in an ascending list. */
function firstAbove(list: readonly number[], value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
