// Where and when each workload runs: the decision (local now, queue for the machine, burst to the
// cluster, or refuse), the wait queue (priority with aging, FIFO within a priority, backfill) and
// the re-checks that burst a queued workload before its maximum wait runs out.
//
// NeuroLake's own policy plans the machine as conservative backfill in the served order: each
// queued workload holds the earliest slot that leaves every one ahead of it its own, so a later
// arrival never pushes a queued one past its maximum wait. A workload whose slot would come too
// late bursts, unless bursting some planned ahead of it that save less here (the local machine is
// priced per running workload, the cluster per CPU, so a wide job saves far more per CPU-hour
// here than a narrow one) makes room for it in time at a smaller cost. Nobody waits longer for
// that: the ones moved to the cluster start there at once. And a workload that would hold CPUs
// here for longer than its maximum wait goes to the cluster when it saves less here per CPU-hour
// than those CPUs are worth: the saving rate of the work the machine turned away for want of room
// over the past as long as its run, times how busy the machine was then.
//
// It knows nothing of processes or Slurm: it reserves capacity and calls `start`; the engine turns
// that into an executor run and calls `finished` when it ends. Time comes from an injected clock,
// so the benchmark replays batch traces through exactly this code.
import { computeCost, type ComputePrices } from '../prices';
import type { Clock, ClockTimer } from './clock';
import { CpuProfile } from './profile';
import { duration, explainDecision } from './reasons';
import type { ComputeTier, Decision, DecisionOption } from './types';

export interface SchedulerJob {
  readonly id: string;
  readonly cpus: number;
  readonly memoryGb: number;
  readonly estimatedMs: number;
  /** 1 (lowest) to 10 (highest). */
  readonly priority: number;
  readonly maxWaitMs: number;
  readonly budgetUsd?: number;
  readonly submittedAt: number;
  /** Where it must run, when the user said so. */
  readonly tier?: ComputeTier;
}

/** What NeuroLake's own workloads may hold in total right now (the limit minus everyone else's use). */
export interface LocalCapacity {
  readonly cpus: number;
  readonly memoryGb: number;
}

export interface ClusterView {
  /** Bursting is turned on and a cluster is configured. */
  readonly enabled: boolean;
  /** It answers; when not, `reason` says why. */
  readonly available: boolean;
  readonly reason?: string;
  /** How long a job takes to start there, for the estimate. */
  readonly startDelayMs: number;
}

/**
 * `neurolake` decides per workload; the others are the baselines the benchmark compares against:
 * everything here (FCFS with EASY backfill), everything on the cluster, and burst whenever a
 * workload would have to wait.
 */
export type SchedulingPolicy = 'neurolake' | 'local-only' | 'cloud-only' | 'naive-burst';

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly prices: ComputePrices;
  readonly policy?: SchedulingPolicy;
  /** Free for our workloads now, in total (running ones included). */
  capacity(): LocalCapacity;
  /** The most the machine could ever give our workloads (an idle machine at the limit). */
  machineLimit(): LocalCapacity;
  cluster(): ClusterView;
  /** A workload that must burst while the cluster is down waits for it (`queue`) or is refused. */
  /** A function when the setting may change while the scheduler runs. */
  readonly whenClusterDown?: 'queue' | 'refuse' | (() => 'queue' | 'refuse');
  /** A waiting workload gains one priority level per this many milliseconds. */
  readonly agingMsPerLevel?: number;
  /** Burst this long before the maximum wait runs out, so the cluster start still makes it. */
  readonly burstMarginMs?: number;
  /** Called when a workload should start; its capacity is already held. */
  start(job: SchedulerJob, tier: ComputeTier, decision: Decision): void;
  /** Called when a queued workload can run nowhere any more (the cluster went away, refuse is set). */
  refuse?(job: SchedulerJob, decision: Decision): void;
}

interface Queued {
  readonly job: SchedulerJob;
  readonly seq: number;
  /** `cluster` while it waits for the cluster to come back; `local` waits for the machine. */
  tier: ComputeTier;
  decision: Decision;
}

/** A queued workload's slot in the plan of the machine. */
interface Placement {
  readonly entry: Queued;
  readonly start: number;
}

interface Running {
  readonly job: SchedulerJob;
  readonly tier: ComputeTier;
  readonly startedAt: number;
}

const DEFAULT_AGING_MS = 10 * 60_000;
const DEFAULT_MARGIN_MS = 60_000;

export class Scheduler {
  private readonly queue = new Map<string, Queued>();
  private readonly running = new Map<string, Running>();
  private seq = 0;
  private timer: ClockTimer | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private passing = false;
  private passAgain = false;
  private readonly policy: SchedulingPolicy;
  private readonly agingMs: number;
  private readonly marginMs: number;

  private whenClusterDown(): 'queue' | 'refuse' {
    const setting = this.options.whenClusterDown ?? 'queue';
    return typeof setting === 'function' ? setting() : setting;
  }

  /** What options are estimated at; the user's price preset can change while work waits. */
  private prices: ComputePrices;

  constructor(private readonly options: SchedulerOptions) {
    this.prices = options.prices;
    this.policy = options.policy ?? 'neurolake';
    this.agingMs = options.agingMsPerLevel ?? DEFAULT_AGING_MS;
    this.marginMs = options.burstMarginMs ?? DEFAULT_MARGIN_MS;
  }

  /** Estimates from now on are at these prices. */
  usePrices(prices: ComputePrices): void {
    this.prices = prices;
  }

  get queuedCount(): number {
    return this.queue.size;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** True while the workload is queued or running here: it must not be submitted again. */
  isActive(id: string): boolean {
    return this.queue.has(id) || this.running.has(id);
  }

  /** Local CPUs held by running workloads. */
  localCpusHeld(): number {
    let cpus = 0;
    for (const run of this.running.values()) if (run.tier === 'local') cpus += run.job.cpus;
    return cpus;
  }

  /** The decision for a workload if it were submitted now; changes nothing. */
  decide(job: SchedulerJob): Decision {
    return this.decideWithRoom(job).decision;
  }

  /** Decides and acts: starts it, queues it, or refuses it. Returns the decision. */
  submit(job: SchedulerJob): Decision {
    if (this.isActive(job.id)) throw new Error(`workload ${job.id} is already queued or running`);
    const { decision, displaced, turnedAway } = this.decideWithRoom(job);
    const now = this.options.clock.now();
    if (turnedAway) this.noteTurnedAway(job, now);
    for (const placement of displaced) this.burstToMakeRoom(placement.entry, job, now);
    this.act(job, decision, this.seq++);
    return decision;
  }

  /** The decision, and the queued workloads it bursts to make room for this one in time. */
  private decideWithRoom(job: SchedulerJob): { decision: Decision; displaced: readonly Placement[]; turnedAway: boolean } {
    const now = this.options.clock.now();
    let local = this.localOption(job, now);
    const cluster = this.clusterOption(job, now);
    const deadline = job.submittedAt + job.maxWaitMs;
    let displaced: readonly Placement[] = [];
    const late = local.estimatedStart === undefined || local.estimatedStart > deadline;
    const neurolakeChooses = this.policy === 'neurolake' && job.tier === undefined && local.possible && cluster.possible;
    if (neurolakeChooses && late) {
      const room = this.roomInProjection(job, now, deadline);
      if (room !== undefined) {
        displaced = room.displaced;
        local = { ...local, estimatedStart: room.start };
      }
    }
    if (neurolakeChooses && !late && displaced.length === 0) {
      const reason = this.keepRoomFor(job, local, cluster, now);
      if (reason !== undefined) return { decision: { verdict: 'cluster', reason, options: [local, cluster], decidedAt: now }, displaced, turnedAway: false };
    }
    const chosen = this.choose(job, local, cluster, now);
    const reason = displaced.length === 0 ? chosen.reason : `${chosen.reason} ${explainMakingRoom(displaced.length)}`;
    return { decision: { ...chosen, reason, options: [local, cluster], decidedAt: now }, displaced, turnedAway: neurolakeChooses && chosen.verdict === 'cluster' };
  }

  // ---- what the machine's CPUs are worth ----------------------------------------------------

  /** Work sent to the cluster for want of room here: when, its CPU-milliseconds, and what it would have saved here. */
  private readonly turnedAway: { at: number; cpuMs: number; saving: number }[] = [];
  /** Local runs in the order they started, for how busy the machine has been. */
  private readonly localRuns: { at: number; ms: number; cpus: number }[] = [];
  /** How far back both are kept: the longest estimate asked about. */
  private rememberMs = 0;

  private noteTurnedAway(job: SchedulerJob, now: number): void {
    this.turnedAway.push({ at: now, cpuMs: job.cpus * job.estimatedMs, saving: this.localSaving(job) });
  }

  private noteLocalRun(job: SchedulerJob, now: number): void {
    this.localRuns.push({ at: now, ms: job.estimatedMs, cpus: job.cpus });
    const horizon = now - this.rememberMs;
    while (this.localRuns.length > 0 && this.localRuns[0]!.at + this.localRuns[0]!.ms < horizon) this.localRuns.shift();
  }

  /**
   * Why a workload that could start here in time goes to the cluster instead; undefined when it
   * stays. Only one that holds its CPUs longer than its maximum wait can keep a later arrival
   * from starting in time. Over the past as long as its run, the machine turned work away that
   * would have saved `awayRate` per CPU-millisecond here, and was busy `busyShare` of the time:
   * CPUs held for that long are worth about the product, and this one saves less per CPU here.
   */
  private keepRoomFor(job: SchedulerJob, local: DecisionOption, cluster: DecisionOption, now: number): string | undefined {
    this.rememberMs = Math.max(this.rememberMs, job.estimatedMs);
    let stale = 0;
    while (stale < this.turnedAway.length && this.turnedAway[stale]!.at < now - this.rememberMs) stale++;
    if (stale > 0) this.turnedAway.splice(0, stale);
    if (job.estimatedMs <= job.maxWaitMs || job.cpus <= 0) return undefined;
    const since = now - job.estimatedMs;
    let awayCpuMs = 0;
    let awaySaving = 0;
    for (const away of this.turnedAway) {
      if (away.at < since) continue;
      awayCpuMs += away.cpuMs;
      awaySaving += away.saving;
    }
    if (awayCpuMs <= 0 || awaySaving <= 0) return undefined;
    let busyCpuMs = 0;
    for (const run of this.localRuns) {
      const from = Math.max(run.at, since);
      const to = Math.min(run.at + run.ms, now);
      if (to > from) busyCpuMs += run.cpus * (to - from);
    }
    const busyShare = Math.min(1, busyCpuMs / (Math.max(1, this.options.machineLimit().cpus) * job.estimatedMs));
    const ownRate = this.localSaving(job) / (job.cpus * job.estimatedMs);
    if (ownRate >= (awaySaving / awayCpuMs) * busyShare) return undefined;
    return (
      `Runs on the cluster: it would hold ${job.cpus} CPUs here for ${duration(job.estimatedMs)}, longer than its maximum wait of ${duration(job.maxWaitMs)}, ` +
      `while this machine has been sending work that saves more here per CPU-hour to the cluster for want of room (about ${usd(cluster.estimatedCostUsd)}; here it would cost ${usd(local.estimatedCostUsd)}).`
    );
  }

  /** Removes a queued workload; false when it is not queued (running ones are cancelled by the engine). */
  cancel(id: string): boolean {
    const removed = this.dequeue(id);
    if (removed) this.profileCache = undefined;
    return removed;
  }

  /** A started workload ended (or never really started): its capacity is free again. */
  finished(id: string): void {
    if (this.running.delete(id)) {
      this.profileCache = undefined;
      this.pass();
    }
  }

  /** Puts a workload whose start failed back at its old place in the queue, waiting for `tier`. */
  requeue(job: SchedulerJob, tier: ComputeTier, decision: Decision): void {
    this.running.delete(job.id);
    this.enqueue({ job, seq: this.seq++, tier, decision });
    this.profileCache = undefined;
    this.pass();
  }

  /** Re-attaches a workload started by an earlier process, so its capacity counts. */
  adoptRunning(job: SchedulerJob, tier: ComputeTier, startedAt: number): void {
    this.running.set(job.id, { job, tier, startedAt });
    this.profileCache = undefined;
  }

  /** Looks at the queue again: the machine or the cluster may have changed. */
  pass(): void {
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = true;
    try {
      do {
        this.passAgain = false;
        if (this.policy === 'neurolake') this.planLocal();
        else this.startWhatFits();
        this.startClusterWaiters();
      } while (this.passAgain);
    } finally {
      this.passing = false;
    }
    this.scheduleRecheck();
  }

  /** Stops the re-check timer; the queue stays as it is. */
  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** The queue in the order it is served: effective priority (with aging), then arrival. */
  ordered(tier?: ComputeTier): Queued[] {
    const list = this.servedOrder();
    return tier === undefined ? [...list] : list.filter((entry) => entry.tier === tier);
  }

  private servedOrder(): Queued[] {
    const now = this.options.clock.now();
    if (this.orderCache === undefined || this.orderCache.at !== now) {
      const list = [...this.queue.values()];
      const effective = new Map(list.map((entry) => [entry, this.effectivePriority(entry.job, now)]));
      list.sort((a, b) => effective.get(b)! - effective.get(a)! || a.seq - b.seq);
      this.orderCache = { at: now, list };
    }
    return this.orderCache.list;
  }

  /** The first in the served order waiting for `tier`, without copying the queue. */
  private head(tier: ComputeTier): Queued | undefined {
    if (this.queue.size === 0) return undefined;
    return this.servedOrder().find((entry) => entry.tier === tier);
  }

  /** The served order, kept while the clock stands still; inserts and removals keep it current. */
  private orderCache: { at: number; list: Queued[] } | undefined;

  private enqueue(entry: Queued): void {
    this.queue.set(entry.job.id, entry);
    const cache = this.orderCache;
    if (cache === undefined || cache.at !== this.options.clock.now()) return;
    const now = cache.at;
    const priority = this.effectivePriority(entry.job, now);
    let low = 0;
    let high = cache.list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = cache.list[mid]!;
      const otherPriority = this.effectivePriority(other.job, now);
      if (otherPriority > priority || (otherPriority === priority && other.seq < entry.seq)) low = mid + 1;
      else high = mid;
    }
    cache.list.splice(low, 0, entry);
  }

  private dequeue(id: string): boolean {
    const entry = this.queue.get(id);
    if (entry === undefined) return false;
    this.queue.delete(id);
    const index = this.orderCache?.list.indexOf(entry) ?? -1;
    if (index >= 0) this.orderCache!.list.splice(index, 1);
    return true;
  }

  private effectivePriority(job: SchedulerJob, now: number): number {
    return job.priority + Math.floor(Math.max(0, now - job.submittedAt) / this.agingMs);
  }

  private act(job: SchedulerJob, decision: Decision, seq: number): void {
    switch (decision.verdict) {
      case 'local':
      case 'cluster':
        this.begin(job, decision.verdict, decision);
        return;
      case 'queue': {
        const entry: Queued = { job, seq, tier: decision.tier ?? 'local', decision };
        this.enqueue(entry);
        if (decision.tier === 'cluster') this.profileCache = undefined;
        else this.queuedLast(entry);
        this.scheduleRecheck();
        return;
      }
      case 'refuse':
        this.options.refuse?.(job, decision);
        return;
    }
  }

  private begin(job: SchedulerJob, tier: ComputeTier, decision: Decision): void {
    this.dequeue(job.id);
    this.running.set(job.id, { job, tier, startedAt: this.options.clock.now() });
    if (tier === 'local') this.noteLocalRun(job, this.options.clock.now());
    this.profileCache = undefined;
    this.options.start(job, tier, decision);
  }

  // ---- the decision -------------------------------------------------------------------------

  private localOption(job: SchedulerJob, now: number): DecisionOption {
    const estimatedCostUsd = computeCost(this.prices, 'local', job.cpus, job.memoryGb, job.estimatedMs / 1000);
    const limit = this.options.machineLimit();
    if (job.cpus > limit.cpus || job.memoryGb > limit.memoryGb) {
      return { tier: 'local', possible: false, why: tooBig(job, limit), estimatedCostUsd };
    }
    if (job.tier === 'local') return { tier: 'local', possible: true, estimatedStart: now, estimatedCostUsd };
    const start = this.projectedLocalStart(job, now);
    // NeuroLake's plan is conservative: a new workload starts now only in a slot no queued one holds.
    const startsNow = this.policy === 'neurolake' ? start !== undefined && start <= now : this.mayStartAheadOfQueue(job, now);
    if (this.fitsNow(job) && startsNow) return { tier: 'local', possible: true, estimatedStart: now, estimatedCostUsd };
    return start === undefined
      ? { tier: 'local', possible: true, why: 'the machine is too busy to say when it would have room', estimatedCostUsd }
      : { tier: 'local', possible: true, estimatedStart: start, estimatedCostUsd };
  }

  private clusterOption(job: SchedulerJob, now: number): DecisionOption {
    const estimatedCostUsd = computeCost(this.prices, 'cluster', job.cpus, job.memoryGb, job.estimatedMs / 1000);
    const cluster = this.options.cluster();
    if (!cluster.enabled) return { tier: 'cluster', possible: false, why: 'bursting to a cluster is turned off', estimatedCostUsd };
    if (job.budgetUsd !== undefined && estimatedCostUsd > job.budgetUsd) {
      return { tier: 'cluster', possible: false, why: `it would cost more than its budget of ${usd(job.budgetUsd)}`, estimatedCostUsd };
    }
    if (!cluster.available) return { tier: 'cluster', possible: false, why: cluster.reason ?? 'the cluster does not answer', estimatedCostUsd };
    return { tier: 'cluster', possible: true, estimatedStart: now + cluster.startDelayMs, estimatedCostUsd };
  }

  private choose(job: SchedulerJob, local: DecisionOption, cluster: DecisionOption, now: number): Omit<Decision, 'options' | 'decidedAt'> {
    const deadline = job.submittedAt + job.maxWaitMs;
    const localNow = local.possible && local.estimatedStart !== undefined && local.estimatedStart <= now;
    const localInTime = local.possible && local.estimatedStart !== undefined && local.estimatedStart <= deadline;
    const view = this.options.cluster();
    const overBudget = job.budgetUsd !== undefined && cluster.estimatedCostUsd > job.budgetUsd;
    // Down for now, not turned off or too dear: waiting for it to come back may help.
    const waitForCluster = view.enabled && !view.available && !overBudget && this.whenClusterDown() === 'queue';
    const explain = (verdict: Decision['verdict'], tier?: ComputeTier): Omit<Decision, 'options' | 'decidedAt'> => ({
      verdict,
      ...(tier === undefined ? {} : { tier }),
      reason: explainDecision({ verdict, tier, job, local, cluster, now, deadline, policy: this.policy, forced: job.tier }),
    });

    if (job.tier === 'local' || this.policy === 'local-only') {
      if (!local.possible) return explain('refuse');
      return localNow ? explain('local') : explain('queue', 'local');
    }
    if (job.tier === 'cluster' || this.policy === 'cloud-only') {
      if (cluster.possible) return explain('cluster');
      return waitForCluster ? explain('queue', 'cluster') : explain('refuse');
    }
    if (localNow) return explain('local');
    if (this.policy === 'naive-burst') {
      if (cluster.possible) return explain('cluster');
      return local.possible ? explain('queue', 'local') : waitForCluster ? explain('queue', 'cluster') : explain('refuse');
    }
    if (localInTime) return explain('queue', 'local');
    if (cluster.possible) return explain('cluster');
    if (local.possible) return explain('queue', 'local');
    return waitForCluster ? explain('queue', 'cluster') : explain('refuse');
  }

  /** A new workload that fits now may start at once only as a backfill would: without delaying the queue's head. */
  private mayStartAheadOfQueue(job: SchedulerJob, now: number): boolean {
    const head = this.head('local');
    if (head === undefined || job.priority > this.effectivePriority(head.job, now)) return true;
    const shadow = this.shadowOf(head.job, this.options.capacity().cpus - this.localCpusHeld(), now);
    return now + job.estimatedMs <= shadow.time || job.cpus <= shadow.extraCpus;
  }

  private fitsNow(job: SchedulerJob): boolean {
    const capacity = this.options.capacity();
    let cpus = 0;
    let memoryGb = 0;
    for (const run of this.running.values()) {
      if (run.tier !== 'local') continue;
      cpus += run.job.cpus;
      memoryGb += run.job.memoryGb;
    }
    return job.cpus <= capacity.cpus - cpus && job.memoryGb <= capacity.memoryGb - memoryGb;
  }

  // ---- projection ---------------------------------------------------------------------------

  /** Projections by priority, valid while nothing changes and the clock stands still. */
  private profileCache: Map<number, Projection> | undefined;

  /** When a new workload of this priority would start here: after the queued ones ahead of it. */
  private projectedLocalStart(job: SchedulerJob, now: number): number | undefined {
    const projection = this.projection(job.priority, now);
    const slot = projection.profile.earliestStart(job.cpus, job.estimatedMs);
    if (slot === undefined || projection.overflowCpuMs === 0) return slot;
    // Past the planned ones, the rest of the queue ahead takes its total work on the whole machine.
    const capacity = Math.max(1, this.options.capacity().cpus);
    return Math.max(slot, projection.plannedUntil + projection.overflowCpuMs / capacity);
  }

  private projection(priority: number, now: number): Projection {
    if (this.profileCache === undefined || this.profileCacheAt !== now) {
      this.profileCache = new Map();
      this.profileCacheAt = now;
    }
    let projection = this.profileCache.get(priority);
    if (projection === undefined) {
      projection = { profile: this.baseProfile(now), placements: [], planned: 0, plannedUntil: now, overflowCpuMs: 0 };
      for (const entry of this.ordered('local')) {
        if (this.effectivePriority(entry.job, now) < priority) break;
        addToProjection(projection, entry);
      }
      this.profileCache.set(priority, projection);
    }
    return projection;
  }

  private profileCacheAt = Number.NaN;

  /** A workload was queued last among its priority: the projection of its own priority still holds with it added. */
  private queuedLast(entry: Queued): void {
    const job = entry.job;
    const same = this.profileCache?.get(job.priority);
    const aged = this.effectivePriority(job, this.options.clock.now()) !== job.priority;
    this.profileCache = undefined;
    if (same === undefined || aged) return;
    addToProjection(same, entry);
    this.profileCache = new Map([[job.priority, same]]);
  }

  /** Free CPUs now and what running local workloads give back when they are expected to end. */
  private baseProfile(now: number): CpuProfile {
    const capacity = this.options.capacity();
    const releases: [number, number][] = [];
    let held = 0;
    for (const run of this.running.values()) {
      if (run.tier !== 'local') continue;
      held += run.job.cpus;
      // One that overran its estimate is expected to end any moment now.
      releases.push([Math.max(run.startedAt + run.job.estimatedMs, now + 1), run.job.cpus]);
    }
    return new CpuProfile(now, capacity.cpus - held, releases);
  }

  // ---- the passes ---------------------------------------------------------------------------

  /** FCFS in effective-priority order with EASY backfill: nothing may delay the head's start. */
  private startWhatFits(): void {
    const now = this.options.clock.now();
    const capacity = this.options.capacity();
    let freeCpus = capacity.cpus - this.localCpusHeld();
    let freeMemory = capacity.memoryGb;
    for (const run of this.running.values()) if (run.tier === 'local') freeMemory -= run.job.memoryGb;
    let shadow: { time: number; extraCpus: number } | undefined;
    for (const entry of this.ordered('local')) {
      const job = entry.job;
      const fits = job.cpus <= freeCpus && job.memoryGb <= freeMemory;
      if (shadow === undefined) {
        if (fits || job.tier === 'local') {
          this.begin(job, 'local', entry.decision);
          freeCpus -= job.cpus;
          freeMemory -= job.memoryGb;
          continue;
        }
        shadow = this.shadowOf(job, freeCpus, now);
        continue;
      }
      if (!fits) continue;
      const endsBeforeShadow = now + job.estimatedMs <= shadow.time;
      if (!endsBeforeShadow && job.cpus > shadow.extraCpus) continue;
      if (!endsBeforeShadow) shadow.extraCpus -= job.cpus;
      this.begin(job, 'local', entry.decision);
      freeCpus -= job.cpus;
      freeMemory -= job.memoryGb;
    }
  }

  /** When the blocked head can start (running workloads ending in order), and the CPUs left over then. */
  private shadowOf(head: SchedulerJob, freeCpus: number, now: number): { time: number; extraCpus: number } {
    const ends = [...this.running.values()]
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

  /**
   * NeuroLake's pass: conservative backfill in the served order. Each queued workload takes the
   * earliest slot the ones ahead of it leave; it starts when that slot is now, and when the slot
   * would be after its maximum wait it bursts, or cheaper ones planned ahead burst to make room.
   */
  private planLocal(): void {
    const now = this.options.clock.now();
    const cluster = this.options.cluster();
    const canBurst = cluster.enabled && cluster.available;
    let freeMemory = this.options.capacity().memoryGb;
    for (const run of this.running.values()) if (run.tier === 'local') freeMemory -= run.job.memoryGb;
    const profile = this.baseProfile(now);
    const placements: Placement[] = [];
    let blocked = false;
    const place = (entry: Queued, start: number): void => {
      const job = entry.job;
      profile.reserve(start, job.cpus, job.estimatedMs);
      if (start <= now && job.memoryGb <= freeMemory) {
        this.begin(job, 'local', entry.decision);
        freeMemory -= job.memoryGb;
      } else {
        blocked = true;
        placements.push({ entry, start });
      }
    };
    for (const entry of this.ordered('local')) {
      if (!this.queue.has(entry.job.id)) continue; // burst earlier in this pass to make room
      const job = entry.job;
      const start = profile.earliestStart(job.cpus, job.estimatedMs);
      if (job.tier === 'local') {
        // Asked to run here: it starts as soon as nothing ahead of it waits, even over the limit.
        if (!blocked) place(entry, now);
        else if (start !== undefined) place(entry, start);
        continue;
      }
      const deadline = job.submittedAt + job.maxWaitMs;
      const mustStartBy = deadline - this.marginMs - cluster.startDelayMs;
      const latest = now >= mustStartBy ? now : deadline;
      if (start !== undefined && start <= latest) {
        place(entry, start);
        continue;
      }
      const room = canBurst ? this.roomFor(job, profile, placements, latest, now) : undefined;
      if (room !== undefined) {
        for (const moved of room.displaced) {
          profile.release(moved.start, moved.entry.job.cpus, moved.entry.job.estimatedMs);
          placements.splice(placements.indexOf(moved), 1);
          this.burstToMakeRoom(moved.entry, job, now);
        }
        place(entry, room.start);
        continue;
      }
      const decision = canBurst ? this.burstDecision(job, now) : undefined;
      if (decision !== undefined) {
        this.noteTurnedAway(job, now);
        this.begin(job, 'cluster', decision);
      }
      else if (start !== undefined) place(entry, start);
      else blocked = true;
    }
  }

  /** What running `job` here saves against the cluster, in dollars at the current prices. */
  private localSaving(job: SchedulerJob): number {
    const seconds = job.estimatedMs / 1000;
    return computeCost(this.prices, 'cluster', job.cpus, job.memoryGb, seconds) - computeCost(this.prices, 'local', job.cpus, job.memoryGb, seconds);
  }

  /**
   * The planned workloads to burst so that `job` can start here by `latest`, when together they
   * save less here than `job` does: those that save least per CPU-second they hold go first. The
   * slot `job` then gets. Undefined when no such set exists; changes nothing.
   */
  private roomFor(job: SchedulerJob, profile: CpuProfile, placements: readonly Placement[], latest: number, now: number): { displaced: Placement[]; start: number } | undefined {
    const saving = this.localSaving(job);
    if (saving <= 0) return undefined;
    const needed = latest + job.estimatedMs;
    const candidates = placements
      .filter((placement) => placement.start < needed && placement.entry.job.tier === undefined && this.queue.has(placement.entry.job.id))
      .map((placement) => ({ placement, saving: this.localSaving(placement.entry.job) }))
      .filter((candidate) => candidate.saving < saving)
      .sort((a, b) => a.saving / (a.placement.entry.job.cpus * a.placement.entry.job.estimatedMs) - b.saving / (b.placement.entry.job.cpus * b.placement.entry.job.estimatedMs));
    if (candidates.length === 0) return undefined;
    const trial = profile.clone();
    const displaced: Placement[] = [];
    let spent = 0;
    for (const { placement, saving: given } of candidates) {
      spent += given;
      if (spent >= saving) return undefined;
      if (!this.clusterOption(placement.entry.job, now).possible) {
        spent -= given;
        continue;
      }
      trial.release(placement.start, placement.entry.job.cpus, placement.entry.job.estimatedMs);
      displaced.push(placement);
      const start = trial.earliestStart(job.cpus, job.estimatedMs);
      if (start !== undefined && start <= latest) return { displaced, start };
    }
    return undefined;
  }

  /** Room for a new workload in the projection of the queue ahead of it, as `roomFor`. */
  private roomInProjection(job: SchedulerJob, now: number, deadline: number): { displaced: Placement[]; start: number } | undefined {
    const projection = this.projection(job.priority, now);
    // Past the planned ones the queue ahead is only a sum: no slot to free.
    if (projection.overflowCpuMs > 0) return undefined;
    const room = this.roomFor(job, projection.profile, projection.placements, deadline, now);
    // A slot free of CPUs now is no use while memory is short: it waits, as any other.
    if (room !== undefined && room.start <= now && !this.fitsNow(job)) return undefined;
    return room;
  }

  /** Bursts a queued workload so that `forJob`, which saves more here, runs here in time. */
  private burstToMakeRoom(entry: Queued, forJob: SchedulerJob, now: number): void {
    const job = entry.job;
    const local = this.localOption(job, now);
    const cluster = this.clusterOption(job, now);
    const reason = `Runs on the cluster: it makes room on this machine for ${forJob.id}, which would otherwise miss its maximum wait and saves more by running here (about ${usd(cluster.estimatedCostUsd)}; here it would cost ${usd(local.estimatedCostUsd)}).`;
    this.begin(job, 'cluster', { verdict: 'cluster', reason, options: [local, cluster], decidedAt: now });
  }

  /** The decision to burst a workload that would start here too late; undefined when the cluster cannot take it. */
  private burstDecision(job: SchedulerJob, now: number): Decision | undefined {
    const local = this.localOption(job, now);
    const cluster = this.clusterOption(job, now);
    if (!cluster.possible) return undefined;
    const deadline = job.submittedAt + job.maxWaitMs;
    const reason = explainDecision({ verdict: 'cluster', job, local: { ...local, estimatedStart: Math.max(local.estimatedStart ?? deadline, deadline) + 1 }, cluster, now, deadline, policy: this.policy });
    return { verdict: 'cluster', reason, options: [local, cluster], decidedAt: now };
  }

  /** Workloads waiting for the cluster to come back start there once it does. */
  private startClusterWaiters(): void {
    const waiting = this.ordered('cluster');
    if (waiting.length === 0) return;
    const cluster = this.options.cluster();
    for (const entry of waiting) {
      if (cluster.enabled && cluster.available) {
        this.begin(entry.job, 'cluster', this.decide(entry.job));
      } else if (this.whenClusterDown() === 'refuse' || !cluster.enabled) {
        this.dequeue(entry.job.id);
        this.profileCache = undefined;
        this.options.refuse?.(entry.job, this.decide(entry.job));
      }
    }
  }

  /** Wakes up when the next queued workload would have to burst, and as its priority ages. */
  private scheduleRecheck(): void {
    if (this.queue.size === 0) {
      this.timer?.cancel();
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      return;
    }
    const now = this.options.clock.now();
    const delayCluster = this.options.cluster().startDelayMs;
    let due = now + this.agingMs;
    for (const entry of this.queue.values()) {
      if (entry.tier !== 'local' || entry.job.tier === 'local') continue;
      const mustStartBy = entry.job.submittedAt + entry.job.maxWaitMs - this.marginMs - delayCluster;
      if (mustStartBy > now) due = Math.min(due, mustStartBy);
    }
    if (this.timer !== undefined && this.timerDue <= due && this.timerDue > now) return;
    this.timer?.cancel();
    this.timerDue = due;
    this.timer = this.options.clock.setTimer(due - now, () => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      this.pass();
    });
  }
}

/** Conservative-backfill plan of the queue ahead; past `PLANNED_AHEAD` workloads only their total work counts. */
interface Projection {
  readonly profile: CpuProfile;
  /** Where each planned workload sits in `profile`. */
  readonly placements: Placement[];
  planned: number;
  plannedUntil: number;
  overflowCpuMs: number;
}

/** Planning each queued workload costs a pass over the plan: past this many, a sum keeps decisions fast. */
const PLANNED_AHEAD = 128;

function addToProjection(projection: Projection, entry: Queued): void {
  const job = entry.job;
  if (projection.planned < PLANNED_AHEAD) {
    const start = projection.profile.place(job.cpus, job.estimatedMs);
    projection.planned++;
    if (start !== undefined) {
      projection.plannedUntil = Math.max(projection.plannedUntil, start + job.estimatedMs);
      projection.placements.push({ entry, start });
    }
    return;
  }
  projection.overflowCpuMs += job.cpus * job.estimatedMs;
}

function explainMakingRoom(count: number): string {
  return count === 1
    ? 'To make room in time, one queued workload that saves less here runs on the cluster instead.'
    : `To make room in time, ${count} queued workloads that save less here run on the cluster instead.`;
}

function tooBig(job: SchedulerJob, limit: LocalCapacity): string {
  if (job.cpus > limit.cpus) return `it needs ${job.cpus} CPUs and this machine gives NeuroLake at most ${round(limit.cpus)}`;
  return `it needs ${job.memoryGb} GB of memory and this machine gives NeuroLake at most ${round(limit.memoryGb)} GB`;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}
