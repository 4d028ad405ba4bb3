// Replays a batch trace through the real compute scheduler on a simulated clock: the jobs arrive
// at their traced submit times, local ones end after their traced run times, burst ones cost the
// cluster's price; the benchmark's columns are made of these outcomes.
import { Scheduler, SimulatedClock, type Decision, type SchedulerJob, type SchedulingPolicy } from '../../server/engines/compute';
import { computeCost, type ComputePrices, type ComputeTier } from '../../server/engines/prices';
import type { TraceJob } from './computeTrace';
import { MinHeap } from './minHeap';

export interface Outcome {
  readonly waits: number[];
  readonly neverStarted: number;
  readonly localCost: number;
  readonly clusterCost: number;
  readonly burst: number;
  /** Core-seconds run on the cluster, and in all. */
  readonly burstCpuSeconds: number;
  readonly cpuSeconds: number;
  readonly jobs: number;
}

export interface ReplayOptions {
  readonly prices: ComputePrices;
  readonly maxWaitSeconds: number;
  /** The scheduler's on-time target (0..1); absent: every maximum wait is a deadline. */
  readonly onTimeTarget?: number;
  /** Told of each start, for looking into a replay. */
  readonly observe?: (job: TraceJob, tier: ComputeTier, waitSeconds: number, reason: string) => void;
}

export function replay(trace: readonly TraceJob[], cores: number, policy: SchedulingPolicy, options: ReplayOptions): Outcome {
  const { prices: PRICES, maxWaitSeconds: MAX_WAIT_S } = options;
  const clock = new SimulatedClock(0);
  const byId = new Map(trace.map((job) => [String(job.id), job]));
  const ends = new MinHeap<string>();
  const waits: number[] = [];
  let localCost = 0;
  let clusterCost = 0;
  let burst = 0;
  let burstCpuSeconds = 0;
  let refused = 0;
  const scheduler = new Scheduler({
    clock,
    prices: PRICES,
    policy,
    ...(options.onTimeTarget === undefined ? {} : { onTimeTarget: options.onTimeTarget }),
    capacity: () => ({ cpus: cores, memoryGb: Number.POSITIVE_INFINITY }),
    machineLimit: () => ({ cpus: cores, memoryGb: Number.POSITIVE_INFINITY }),
    cluster: () => ({ enabled: true, available: true, startDelayMs: 0 }),
    start: (job: SchedulerJob, tier: ComputeTier, decision: Decision) => {
      const traced = byId.get(job.id)!;
      const now = clock.now();
      waits.push((now - job.submittedAt) / 1000);
      options.observe?.(traced, tier, (now - job.submittedAt) / 1000, decision.reason);
      const cost = computeCost(PRICES, tier, job.cpus, 0, traced.runSeconds);
      if (tier === 'cluster') {
        clusterCost += cost;
        burst++;
        burstCpuSeconds += job.cpus * traced.runSeconds;
      } else {
        localCost += cost;
        ends.push(now + traced.runSeconds * 1000, job.id);
      }
    },
    refuse: () => refused++,
  });
  let index = 0;
  for (;;) {
    const nextArrival = index < trace.length ? trace[index]!.submit * 1000 : Number.POSITIVE_INFINITY;
    const nextEnd = ends.peekKey() ?? Number.POSITIVE_INFINITY;
    const nextTimer = clock.nextDue() ?? Number.POSITIVE_INFINITY;
    const now = Math.min(nextArrival, nextEnd, nextTimer);
    if (now === Number.POSITIVE_INFINITY) break;
    // Local-only keeps re-checking for ever while jobs it can never run stay queued: stop at the end.
    if (nextArrival === Number.POSITIVE_INFINITY && nextEnd === Number.POSITIVE_INFINITY && scheduler.runningCount === 0) break;
    clock.advanceTo(now);
    while (ends.peekKey() !== undefined && ends.peekKey()! <= now) scheduler.finished(ends.pop()!);
    while (index < trace.length && trace[index]!.submit * 1000 <= now) {
      const job = trace[index++]!;
      scheduler.submit({
        id: String(job.id),
        cpus: job.processors,
        memoryGb: 0,
        estimatedMs: job.runSeconds * 1000,
        priority: 5,
        maxWaitMs: MAX_WAIT_S * 1000,
        submittedAt: now,
      });
    }
  }
  scheduler.dispose();
  return { waits, neverStarted: refused + scheduler.queuedCount, localCost, clusterCost, burst, burstCpuSeconds, cpuSeconds: trace.reduce((sum, job) => sum + job.processors * job.runSeconds, 0), jobs: trace.length };
}

