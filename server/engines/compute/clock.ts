// Time for the scheduler, injectable: the engine runs on the wall clock and the benchmark replays
// months of a batch trace through the same scheduler on a simulated clock in seconds.

export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once, `delayMs` from now. */
  setTimer(delayMs: number, callback: () => void): ClockTimer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (delayMs, callback) => {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    // A pending re-check must not keep the CLI or a test process alive on its own.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * A clock that moves only when told: `advanceTo` runs every timer due by then, in time order, with
 * `now()` equal to each timer's due time while it runs.
 */
export class SimulatedClock implements Clock {
  private current: number;
  private readonly timers: { due: number; seq: number; callback: () => void; cancelled: boolean }[] = [];
  private seq = 0;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void): ClockTimer {
    const timer = { due: this.current + Math.max(0, delayMs), seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** The due time of the next live timer, if any. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const timer of this.timers) if (!timer.cancelled && (next === undefined || timer.due < next)) next = timer.due;
    return next;
  }

  advanceTo(timeMs: number): void {
    for (;;) {
      let index = -1;
      for (let i = 0; i < this.timers.length; i++) {
        const timer = this.timers[i]!;
        if (timer.cancelled || timer.due > timeMs) continue;
        const best = index < 0 ? undefined : this.timers[index]!;
        if (best === undefined || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq)) index = i;
      }
      if (index < 0) break;
      const [timer] = this.timers.splice(index, 1);
      this.current = Math.max(this.current, timer!.due);
      timer!.callback();
    }
    for (let i = this.timers.length - 1; i >= 0; i--) if (this.timers[i]!.cancelled) this.timers.splice(i, 1);
    this.current = Math.max(this.current, timeMs);
  }
}
