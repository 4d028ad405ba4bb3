// The local machine's free CPUs over time, as a step function: what is free now, plus what each
// running workload gives back when it is expected to end, minus what queued workloads reserve.
// Placing each queued workload in order at its earliest slot (conservative backfill) answers
// "when would this one start here?" for decisions, before anything runs.
import type { Running } from './schedulerTypes';

export class CpuProfile {
  /** `free[i]` CPUs are free from `times[i]` until `times[i + 1]` (the last step lasts for ever). */
  private readonly times: number[];
  private readonly free: number[];

  /** `releases` are [time, cpus] a running workload frees when it ends. */
  constructor(now: number, freeNow: number, releases: Iterable<readonly [number, number]>) {
    const sorted = [...releases].map(([time, cpus]) => [Math.max(time, now), cpus] as const).sort((a, b) => a[0] - b[0]);
    this.times = [now];
    this.free = [freeNow];
    for (const [time, cpus] of sorted) {
      const last = this.times.length - 1;
      if (this.times[last] === time) this.free[last] = this.free[last]! + cpus;
      else {
        this.times.push(time);
        this.free.push(this.free[last]! + cpus);
      }
    }
  }

  /** The earliest time `cpus` are free for `durationMs`; undefined when never (more than the machine has). */
  earliestStart(cpus: number, durationMs: number): number | undefined {
    const count = this.times.length;
    for (let i = 0; i < count; i++) {
      if (this.free[i]! < cpus) continue;
      const start = this.times[i]!;
      const end = start + durationMs;
      let j = i + 1;
      while (j < count && this.times[j]! < end && this.free[j]! >= cpus) j++;
      if (j >= count || this.times[j]! >= end) return start;
      i = j; // the step at j is too small: no start before it can work
    }
    return undefined;
  }

  /** Takes `cpus` from `start` for `durationMs`. */
  reserve(start: number, cpus: number, durationMs: number): void {
    const from = this.split(start);
    const to = this.split(start + durationMs);
    for (let i = from; i < to; i++) this.free[i] = this.free[i]! - cpus;
  }

  /** Gives back what `reserve` took: a planned workload that goes elsewhere. */
  release(start: number, cpus: number, durationMs: number): void {
    this.reserve(start, -cpus, durationMs);
  }

  /** An independent copy, for trying a change to the plan before making it. */
  clone(): CpuProfile {
    const copy = new CpuProfile(this.times[0]!, 0, []);
    copy.times.splice(0, 1, ...this.times);
    copy.free.splice(0, 1, ...this.free);
    return copy;
  }

  /** Places a workload at its earliest slot and returns that time (undefined: never fits). */
  place(cpus: number, durationMs: number): number | undefined {
    const start = this.earliestStart(cpus, durationMs);
    if (start !== undefined) this.reserve(start, cpus, durationMs);
    return start;
  }

  /** Index of the step starting exactly at `time`, inserting one when needed. */
  private split(time: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.times[mid]! < time) low = mid + 1;
      else high = mid;
    }
    if (this.times[low] === time) return low;
    if (low === 0) return 0; // before the profile starts: nothing to split
    this.times.splice(low, 0, time);
    this.free.splice(low, 0, this.free[low - 1]!);
    return low;
  }
}

/** Free CPUs now and what running local workloads give back when they are expected to end. */
export function machineProfile(now: number, capacityCpus: number, running: Iterable<Running>): CpuProfile {
  const releases: [number, number][] = [];
  let held = 0;
  for (const run of running) {
    if (run.tier !== 'local') continue;
    held += run.job.cpus;
    // One that overran its estimate is expected to end any moment now.
    releases.push([Math.max(run.startedAt + run.job.estimatedMs, now + 1), run.job.cpus]);
  }
  return new CpuProfile(now, capacityCpus - held, releases);
}
