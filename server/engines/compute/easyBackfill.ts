// FCFS with EASY backfill, the local-only and naive-burst policies' pass: the queue is served in
// order, and a later workload may jump ahead only when it does not delay the blocked head's start.
import type { Queued, Running, SchedulerJob } from './schedulerTypes';

/** The machine at the start of a pass; `running` is live, so what the pass starts counts at once. */
export interface EasyMachine {
  readonly now: number;
  readonly freeCpus: number;
  readonly freeMemoryGb: number;
  readonly running: { localRuns(): Iterable<Running> };
}

/** FCFS in effective-priority order with EASY backfill: nothing may delay the head's start. */
export function startWhatFits(queue: readonly Queued[], machine: EasyMachine, start: (entry: Queued) => void): void {
  const { now } = machine;
  let freeCpus = machine.freeCpus;
  let freeMemory = machine.freeMemoryGb;
  let shadow: { time: number; extraCpus: number } | undefined;
  for (const entry of queue) {
    const job = entry.job;
    const fits = job.cpus <= freeCpus && job.memoryGb <= freeMemory;
    if (shadow === undefined) {
      if (fits || job.tier === 'local') {
        start(entry);
        freeCpus -= job.cpus;
        freeMemory -= job.memoryGb;
        continue;
      }
      shadow = shadowOf(job, freeCpus, now, machine.running.localRuns());
      continue;
    }
    if (!fits) continue;
    const endsBeforeShadow = now + job.estimatedMs <= shadow.time;
    if (!endsBeforeShadow && job.cpus > shadow.extraCpus) continue;
    if (!endsBeforeShadow) shadow.extraCpus -= job.cpus;
    start(entry);
    freeCpus -= job.cpus;
    freeMemory -= job.memoryGb;
  }
}

/** When the blocked head can start (running workloads ending in order), and the CPUs left over then. */
export function shadowOf(head: SchedulerJob, freeCpus: number, now: number, running: Iterable<Running>): { time: number; extraCpus: number } {
  const ends = [...running]
    .filter((run) => run.tier === 'local')
    .map((run) => ({ time: Math.max(run.startedAt + run.job.estimatedMs, now), cpus: run.job.cpus }))
    .sort((a, b) => a.time - b.time);
  let available = freeCpus;
  for (const end of ends) {
    available += end.cpus;
    if (available >= head.cpus) return { time: end.time, extraCpus: available - head.cpus };
  }
  return { time: Number.POSITIVE_INFINITY, extraCpus: Math.max(0, available) };
}

/** A new workload that fits now may start at once only as a backfill would: without delaying the queue's head. */
export function mayStartAheadOfQueue(job: SchedulerJob, head: Queued | undefined, priorityNow: (job: SchedulerJob) => number, freeCpus: () => number, now: number, running: Iterable<Running>): boolean {
  if (head === undefined || job.priority > priorityNow(head.job)) return true;
  const shadow = shadowOf(head.job, freeCpus(), now, running);
  return now + job.estimatedMs <= shadow.time || job.cpus <= shadow.extraCpus;
}
