// The re-check timer: the scheduler looks at its queue again when the next queued workload would
// have to burst to start on the cluster within its maximum wait, and as waiting priorities age.
import type { Clock, ClockTimer } from './clock';
import type { Queued } from './schedulerTypes';

/** When to look again: the earliest time a queued workload must burst by, and at most `agingMs` from now. */
export function nextRecheck(queue: Iterable<Queued>, now: number, agingMs: number, marginMs: number, clusterStartDelayMs: number): number {
  let due = now + agingMs;
  for (const entry of queue) {
    if (entry.tier !== 'local' || entry.job.tier === 'local') continue;
    const mustStartBy = entry.job.submittedAt + entry.job.maxWaitMs - marginMs - clusterStartDelayMs;
    if (mustStartBy > now) due = Math.min(due, mustStartBy);
  }
  return due;
}

export class RecheckTimer {
  private timer: ClockTimer | undefined;
  private timerDue = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: () => void,
  ) {}

  /** Wakes up at `due`, unless a wake-up already set comes first. */
  wakeBy(due: number, now: number): void {
    if (this.timer !== undefined && this.timerDue <= due && this.timerDue > now) return;
    this.timer?.cancel();
    this.timerDue = due;
    this.timer = this.clock.setTimer(due - now, () => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      this.onDue();
    });
  }

  /** Nothing waits: no wake-up. */
  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  /** The scheduler is going away; the queue stays as it is. */
  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
