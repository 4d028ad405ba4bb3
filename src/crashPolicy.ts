// Pure decision behind server restarts: at most `limit` restarts within a sliding window,
// so a server that crashes at start-up is not restarted forever. No vscode imports: unit-tested.

export const CRASH_WINDOW_MS = 3 * 60 * 1000;

export interface CrashDecision {
  readonly restart: boolean;
  /** Crashes within the window, this one included. */
  readonly crashes: number;
  readonly limit: number;
}

export class CrashPolicy {
  private crashTimes: number[] = [];

  constructor(
    private readonly limit: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  recordCrash(): CrashDecision {
    const now = this.now();
    this.crashTimes = this.crashTimes.filter((time) => now - time < CRASH_WINDOW_MS);
    this.crashTimes.push(now);
    const limit = this.limit();
    return { restart: this.crashTimes.length <= limit, crashes: this.crashTimes.length, limit };
  }

  /** A restart the user asked for starts a fresh count. */
  reset(): void {
    this.crashTimes = [];
  }
}
