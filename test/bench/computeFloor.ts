// The least any scheduler could pay for a trace, knowing the whole trace in advance, while starting
// all but a share of the jobs within the maximum wait: the "floor" the compute benchmark prints
// beside its columns, so a reader sees when a target such as 0.3x cloud-only cannot be met at all.
//
// Every job costs its cluster price unless it runs on the local machine, which saves
// `cluster - local` dollars. Running locally, a job of p cores and r seconds must start within
// [submit, submit + maxWait], so its p*r core-seconds lie inside [submit, submit + maxWait + r].
// Relaxing everything else (a job may be split, paused and spread over any number of cores), the
// machine is a resource of `cores` core-seconds per second and the most it can save is a
// transportation problem: put core-seconds of jobs into their windows to maximise the dollars
// saved. That relaxation only widens what a real schedule may do, so its saving bounds every real
// schedule's from above and `cloud - saving` bounds the cost from below.
//
// The work servable from any set of jobs is a polymatroid (a bipartite flow from jobs to time),
// so the greedy that takes jobs by dollars saved per core-second, highest first, is optimal:
// saving = sum over the distinct rates w_k of w_k * (f(S_k) - f(S_(k-1))), where S_k holds the jobs
// whose rate is at least w_k and f(S) is the most core-seconds of S the machine can serve inside
// their windows. f comes from earliest-deadline-first over the fluid machine (Glover's rule for
// interval windows), which is exact for it. That is the proper form of "capacity x (window + max
// wait) over every window of arrivals": Hall's condition over every interval at once.
//
// Jobs allowed to miss the maximum wait (1% for a 99% target) may wait for ever, so they could run
// locally whenever the machine is idle, even after the trace ends: each saves its whole saving,
// and takes none of the room the others need in time. With an excused set S, the most the rest
// can save is F(all \ S), where F is the fluid saving above; F is a positive sum of polymatroid
// ranks of nested sets (one per rate step), so it is submodular, and removing S loses at least
// the sum of what removing each job alone loses: F(all \ S) <= F(all) - sum over S of m_j, with
// m_j = F(all) - F(all \ {j}). So the whole saving is at most F(all) plus the largest k values of
// saving_j - m_j, k the number excused: a job whose room the others would fill anyway (m_j near
// its saving) gains little by being excused. Only jobs whose saving could still beat the k-th
// value so far are looked at, costliest first. Jobs larger than the machine save nothing: they
// go to the cluster whatever the schedule.
//
// The same bound is worked out a second time on a second relaxation of the machine (computeFlow.ts:
// a job of p cores never runs on more than p at once, in buckets of ten minutes), and the floor
// is the higher of the two: the first is exact in time but lets one job take the whole machine,
// the second knows the cores but not the order within a bucket. Both are valid, so the higher is.
import { computeCost, type ComputePrices } from '../../server/engines/prices';
import { CappedMachine } from './computeFlow';
import { MinHeap } from './minHeap';

export interface FloorJob {
  /** Seconds from the trace's start. */
  readonly submit: number;
  readonly runSeconds: number;
  readonly processors: number;
}

export interface FloorOptions {
  readonly cores: number;
  readonly maxWaitSeconds: number;
  /** The share of jobs that must start within the maximum wait, 0..1; the rest may wait for ever. */
  readonly withinMaxWait: number;
  readonly prices: ComputePrices;
}

export interface Floor {
  /** The least total dollars (local plus cluster) any schedule meeting the share could cost. */
  readonly costUsd: number;
  /** Every job on the cluster. */
  readonly cloudUsd: number;
  /** Core-seconds that cannot run locally within the maximum wait whatever the schedule (no job excused). */
  readonly mustBurstCpuSeconds: number;
  readonly totalCpuSeconds: number;
  /** How many jobs the bound let wait past the maximum wait. */
  readonly excused: number;
}

const RATE_STEP = 1e-6;
/** The buckets of the second relaxation: ten minutes, against windows of an hour and more. */
const BUCKET_SECONDS = 600;
/**
 * How many jobs' removal the second relaxation works out (each is a flow of its own); later ones
 * count their whole saving, never less than their gain. More tighten the floor a little at a
 * minute or more per replay (scaled Lublin on 32 cores, 99%: 0.262 at 60, 0.270 at 160).
 */
const CAPPED_REMOVALS = 60;

interface FluidWindow {
  readonly release: number;
  readonly deadline: number;
  readonly work: number;
}

interface Windowed extends FluidWindow {
  readonly cores: number;
}

export function costFloor(jobs: readonly FloorJob[], options: FloorOptions): Floor {
  const { cores, maxWaitSeconds, prices } = options;
  let cloudUsd = 0;
  let totalCpuSeconds = 0;
  let oversizeCpuSeconds = 0;
  let cheapestUsd = 0;
  const candidates: { window: Windowed; rate: number; saving: number }[] = [];
  for (const job of jobs) {
    const work = job.processors * job.runSeconds;
    const cluster = computeCost(prices, 'cluster', job.processors, 0, job.runSeconds);
    const local = computeCost(prices, 'local', job.processors, 0, job.runSeconds);
    cloudUsd += cluster;
    totalCpuSeconds += work;
    cheapestUsd += job.processors > cores ? cluster : Math.min(cluster, local);
    if (job.processors > cores) {
      oversizeCpuSeconds += work;
      continue;
    }
    const saving = cluster - local;
    if (work <= 0) continue;
    const window = { release: job.submit, deadline: job.submit + maxWaitSeconds + job.runSeconds, work, cores: job.processors };
    // A job that costs more here than there still counts towards what the machine cannot serve.
    candidates.push({ window, rate: Math.max(0, saving) / work, saving: Math.max(0, saving) });
  }

  candidates.sort((a, b) => b.rate - a.rate);
  const steps = rateSteps(candidates);
  const fittingCpuSeconds = totalCpuSeconds - oversizeCpuSeconds;
  const excused = Math.floor(jobs.length * (1 - options.withinMaxWait) + 1e-9);
  const horizon = candidates.reduce((latest, candidate) => Math.max(latest, candidate.window.deadline), 0);
  const relaxations: Relaxation[] = [
    { saving: (without) => fluidSaving(candidates, steps, cores, without), removals: Number.POSITIVE_INFINITY },
    { saving: (without) => cappedSaving(candidates, steps, cores, horizon, without), removals: CAPPED_REMOVALS },
  ];
  let savingUsd = Number.POSITIVE_INFINITY;
  let servedCpuSeconds = Number.POSITIVE_INFINITY;
  for (const relaxation of relaxations) {
    const all = relaxation.saving(-1);
    let saving = all.savingUsd;
    // When every job that fits can run here in time, excusing some changes nothing.
    if (all.servedCpuSeconds < fittingCpuSeconds * (1 - 1e-9)) for (const gain of excusedGains(candidates, relaxation, all.savingUsd, excused)) saving += gain;
    savingUsd = Math.min(savingUsd, saving);
    servedCpuSeconds = Math.min(servedCpuSeconds, all.servedCpuSeconds);
  }
  const mustBurstCpuSeconds = oversizeCpuSeconds + Math.max(0, fittingCpuSeconds - servedCpuSeconds);

  // The excused jobs' savings may already be in the fluid part: never below each job at its cheaper price.
  const costUsd = Math.max(cheapestUsd, cloudUsd - savingUsd);
  return { costUsd, cloudUsd, mustBurstCpuSeconds, totalCpuSeconds, excused };
}

/** Where each rate step ends in `candidates` (sorted by rate, highest first), and its rate. */
function rateSteps(candidates: readonly { readonly rate: number }[]): { readonly end: number; readonly rate: number }[] {
  const steps: { end: number; rate: number }[] = [];
  for (let end = 0; end < candidates.length; ) {
    // Rates within a millionth of each other are one step, at the highest of them: rounding a
    // saving up keeps the bound a bound, and keeps the steps few when costs differ by rounding.
    const rate = candidates[end]!.rate;
    while (end < candidates.length && candidates[end]!.rate >= rate * (1 - RATE_STEP)) end++;
    steps.push({ end, rate });
  }
  return steps;
}

/** One relaxation of the machine: F without one job (or none, -1), and how many removals to work out. */
interface Relaxation {
  saving(without: number): { savingUsd: number; servedCpuSeconds: number };
  readonly removals: number;
}

/** F on the second relaxation (computeFlow.ts), the flow grown a rate step at a time. */
function cappedSaving(candidates: readonly { readonly window: Windowed }[], steps: readonly { readonly end: number; readonly rate: number }[], cores: number, horizon: number, without = -1): { savingUsd: number; servedCpuSeconds: number } {
  const machine = new CappedMachine(cores, BUCKET_SECONDS, Math.ceil(horizon / BUCKET_SECONDS) + 1);
  let savingUsd = 0;
  let servedBefore = 0;
  let begin = 0;
  for (const { end, rate } of steps) {
    for (let i = begin; i < end; i++) if (i !== without) machine.add(candidates[i]!.window);
    begin = end;
    const served = machine.serve();
    savingUsd += rate * (served - servedBefore);
    servedBefore = served;
  }
  return { savingUsd, servedCpuSeconds: servedBefore };
}

/** F: the most the fluid machine saves on the candidates (but `without`), greedy by rate step. */
function fluidSaving(candidates: readonly { readonly window: Windowed }[], steps: readonly { readonly end: number; readonly rate: number }[], cores: number, without = -1): { savingUsd: number; servedCpuSeconds: number } {
  let savingUsd = 0;
  let servedBefore = 0;
  for (const { end, rate } of steps) {
    const windows: Windowed[] = [];
    for (let i = 0; i < end; i++) if (i !== without) windows.push(candidates[i]!.window);
    const served = maxFluidWork(windows, cores);
    savingUsd += rate * (served - servedBefore);
    servedBefore = served;
  }
  return { savingUsd, servedCpuSeconds: servedBefore };
}

/**
 * The largest `count` values of saving_j - m_j (see the header): what excusing each of the best
 * `count` jobs can add to F(all). Jobs are looked at by saving, highest first, until no later one
 * can beat the smallest value kept (a value is never above its saving).
 */
function excusedGains(candidates: readonly { readonly saving: number }[], relaxation: Relaxation, all: number, count: number): number[] {
  if (count <= 0) return [];
  const bySaving = candidates.map((candidate, index) => ({ index, saving: candidate.saving })).sort((a, b) => b.saving - a.saving);
  const kept: number[] = [];
  let worked = 0;
  for (const { index, saving } of bySaving) {
    if (kept.length >= count && saving <= kept[kept.length - 1]!) break;
    // Past the removals worked out, a job's gain is taken as its whole saving, which it never exceeds.
    const marginal = worked++ < relaxation.removals ? Math.max(0, all - relaxation.saving(index).savingUsd) : 0;
    const gain = Math.max(0, saving - marginal);
    kept.splice(firstBelow(kept, gain), 0, gain);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

/** The index of the first value < `value` in a descending list. */
function firstBelow(list: readonly number[], value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid]! >= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The most core-seconds a machine of `cores` core-seconds per second can serve, each job's work
 * only inside [release, deadline], work splittable at will: earliest deadline first, dropping
 * what is left of a job when its deadline passes.
 */
export function maxFluidWork(windows: readonly FluidWindow[], cores: number): number {
  const byRelease = [...windows].sort((a, b) => a.release - b.release);
  // Pending work by deadline, earliest first.
  const pending = new MinHeap<{ readonly deadline: number; remaining: number }>();
  let served = 0;
  let time = byRelease[0]?.release ?? 0;
  let next = 0;
  while (next < byRelease.length || pending.size > 0) {
    if (pending.size === 0) time = Math.max(time, byRelease[next]!.release);
    while (next < byRelease.length && byRelease[next]!.release <= time) {
      const window = byRelease[next++]!;
      pending.push(window.deadline, { deadline: window.deadline, remaining: window.work });
    }
    const nextRelease = next < byRelease.length ? byRelease[next]!.release : Number.POSITIVE_INFINITY;
    // Serve the earliest deadline until it is done, its deadline passes or a new job arrives.
    while (pending.size > 0 && time < nextRelease) {
      const top = pending.peek()!;
      if (top.deadline <= time) {
        pending.pop();
        continue;
      }
      const until = Math.min(nextRelease, top.deadline, time + top.remaining / cores);
      const done = (until - time) * cores;
      served += Math.min(done, top.remaining);
      top.remaining -= done;
      time = until;
      if (top.remaining <= 1e-9 || top.deadline <= time) pending.pop();
    }
  }
  return served;
}
