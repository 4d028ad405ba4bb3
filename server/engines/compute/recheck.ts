// The re-check timer: the scheduler looks at its queue again when the next queued workload would
// have to burst to start on the cluster within its maximum wait, and as waiting priorities age.
import type { Clock, ClockTimer } from './clock';
import type { WaitQueue } from './waitQueue';

/**
 * When to look again: the earliest time a queued workload must burst by (its deadline less the
 * margin and the cluster's start delay), and at most `agingMs` from now. That time grows with the
 * deadline, so the first deadline whose time is still ahead gives the earliest.
 */
export function nextRecheck(queue: WaitQueue, now: number, agingMs: number, marginMs: number, clusterStartDelayMs: number): number {
  const mustStartBy = (deadline: number): number => deadline - marginMs - clusterStartDelayMs;
  const due = now + agingMs;
  const next = queue.firstBurstDeadline((deadline) => mustStartBy(deadline) > now);
  return next === undefined ? due : Math.min(due, mustStartBy(next));
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
