// What the machine's CPUs are worth to NeuroLake's policy: the saving rate of the work it turned
// away for want of room, times how busy it was. A workload that would hold CPUs here for longer
// than its maximum wait goes to the cluster when it saves less here per CPU-hour than that.
import type { SchedulerJob } from './schedulerTypes';

/** What the worth of the CPUs is weighed against. */
export interface CpuWorthQuestions {
  /** What running `job` here saves against the cluster, at the current prices. */
  saving(job: SchedulerJob): number;
  /** The most CPUs the machine could ever give our workloads. */
  machineCpus(): number;
}

export class CpuWorth {
  /** Work sent to the cluster for want of room here: when, its CPU-milliseconds, and what it would have saved here. */
  private readonly turnedAway: { at: number; cpuMs: number; saving: number }[] = [];
  /** Local runs in the order they started, for how busy the machine has been. */
  private readonly localRuns: { at: number; ms: number; cpus: number }[] = [];
  /** How far back both are kept: the longest estimate asked about. */
  private rememberMs = 0;

  /** `saving` is what `job` would have saved by running here. */
  noteTurnedAway(job: SchedulerJob, saving: number, now: number): void {
    this.turnedAway.push({ at: now, cpuMs: job.cpus * job.estimatedMs, saving });
  }

  noteLocalRun(job: SchedulerJob, now: number): void {
    this.localRuns.push({ at: now, ms: job.estimatedMs, cpus: job.cpus });
    const horizon = now - this.rememberMs;
    while (this.localRuns.length > 0 && this.localRuns[0]!.at + this.localRuns[0]!.ms < horizon) this.localRuns.shift();
  }

  /**
   * True when a workload that could start here in time should go to the cluster instead. Only one
   * that holds its CPUs longer than its maximum wait can keep a later arrival from starting in
   * time. Over the past as long as its run, the machine turned work away that would have saved
   * `awayRate` per CPU-millisecond here, and was busy `busyShare` of the time: CPUs held for that
   * long are worth about the product, and this one saves less per CPU here. `ask` is asked only
   * when the answer needs it.
   */
  worthMoreElsewhere(job: SchedulerJob, now: number, ask: CpuWorthQuestions): boolean {
    this.rememberMs = Math.max(this.rememberMs, job.estimatedMs);
    let stale = 0;
    while (stale < this.turnedAway.length && this.turnedAway[stale]!.at < now - this.rememberMs) stale++;
    if (stale > 0) this.turnedAway.splice(0, stale);
    if (job.estimatedMs <= job.maxWaitMs || job.cpus <= 0) return false;
    const since = now - job.estimatedMs;
    let awayCpuMs = 0;
    let awaySaving = 0;
    for (const away of this.turnedAway) {
      if (away.at < since) continue;
      awayCpuMs += away.cpuMs;
      awaySaving += away.saving;
    }
    if (awayCpuMs <= 0 || awaySaving <= 0) return false;
    let busyCpuMs = 0;
    for (const run of this.localRuns) {
      const from = Math.max(run.at, since);
      const to = Math.min(run.at + run.ms, now);
      if (to > from) busyCpuMs += run.cpus * (to - from);
    }
    const busyShare = Math.min(1, busyCpuMs / (Math.max(1, ask.machineCpus()) * job.estimatedMs));
    const ownRate = ask.saving(job) / (job.cpus * job.estimatedMs);
    return !(ownRate >= (awaySaving / awayCpuMs) * busyShare);
  }
}
