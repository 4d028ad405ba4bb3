// A real schedule made with hindsight, for the compute benchmark: beside the floor (no schedule
// can cost less), what one schedule that knows the whole trace does cost, so a reader sees how
// far apart the least possible and the reached are. Not a policy: it knows every arrival. Only one
// schedule, and a greedy one: where it costs more than NeuroLake's, NeuroLake's is the better bound.
//
// Jobs larger than the machine, and those that cost no more on the cluster, go there. The share
// allowed to miss the maximum wait goes to the jobs that save most here: they run here after
// everything else, one after another, at the local price. The rest are placed by saving, highest
// first, each at the first whole minute within its maximum wait where its cores are free for its
// whole run (rounded up to whole minutes, so the schedule is a real one), else on the cluster.
import { computeCost, type ComputePrices } from '../../server/engines/prices';
import type { FloorJob, FloorOptions } from './computeFloor';

const MINUTE_S = 60;

export function hindsightCost(jobs: readonly FloorJob[], options: FloorOptions): number {
  const { cores, maxWaitSeconds, prices } = options;
  const priced = jobs.map((job) => ({ job, ...pricesOf(prices, job) }));
  const excused = Math.floor(jobs.length * (1 - options.withinMaxWait) + 1e-9);
  const bySaving = [...priced].sort((a, b) => b.cluster - b.local - (a.cluster - a.local));
  let horizon = 1;
  for (const { job } of priced) horizon = Math.max(horizon, Math.ceil((job.submit + maxWaitSeconds) / MINUTE_S) + Math.ceil(job.runSeconds / MINUTE_S) + 1);
  const free = new FreeCores(horizon, cores);
  let costUsd = 0;
  let excusedLeft = excused;
  for (const { job, cluster, local } of bySaving) {
    if (job.processors > cores || cluster <= local) {
      costUsd += cluster;
      continue;
    }
    if (excusedLeft > 0) {
      excusedLeft--;
      costUsd += local;
      continue;
    }
    const minutes = Math.ceil(job.runSeconds / MINUTE_S);
    const latest = Math.floor((job.submit + maxWaitSeconds) / MINUTE_S);
    let placed = false;
    for (let start = Math.ceil(job.submit / MINUTE_S); start <= latest; start++) {
      if (free.min(start, start + minutes) < job.processors) continue;
      free.take(start, start + minutes, job.processors);
      placed = true;
      break;
    }
    costUsd += placed ? local : cluster;
  }
  return costUsd;
}

function pricesOf(prices: ComputePrices, job: FloorJob): { cluster: number; local: number } {
  return {
    cluster: computeCost(prices, 'cluster', job.processors, 0, job.runSeconds),
    local: computeCost(prices, 'local', job.processors, 0, job.runSeconds),
  };
}

/** Free cores per minute: a segment tree with range subtraction and range minimum. */
class FreeCores {
  private readonly size: number;
  private readonly least: Float64Array;
  private readonly added: Float64Array;

  constructor(minutes: number, cores: number) {
    let size = 1;
    while (size < minutes) size <<= 1;
    this.size = size;
    this.least = new Float64Array(2 * size).fill(cores);
    this.added = new Float64Array(2 * size);
  }

  /** The fewest free cores in minutes [from, to). */
  min(from: number, to: number, node = 1, low = 0, high = this.size): number {
    if (to <= low || high <= from) return Number.POSITIVE_INFINITY;
    if (from <= low && high <= to) return this.least[node]!;
    const mid = (low + high) >>> 1;
    return Math.min(this.min(from, to, 2 * node, low, mid), this.min(from, to, 2 * node + 1, mid, high)) + this.added[node]!;
  }

  /** Takes `cores` in minutes [from, to). */
  take(from: number, to: number, cores: number, node = 1, low = 0, high = this.size): void {
    if (to <= low || high <= from) return;
    if (from <= low && high <= to) {
      this.least[node] = this.least[node]! - cores;
      this.added[node] = this.added[node]! - cores;
      return;
    }
    const mid = (low + high) >>> 1;
    this.take(from, to, cores, 2 * node, low, mid);
    this.take(from, to, cores, 2 * node + 1, mid, high);
    this.least[node] = Math.min(this.least[2 * node]!, this.least[2 * node + 1]!) + this.added[node]!;
  }
}
