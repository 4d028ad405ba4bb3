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
// over the past as long as its run, times how busy the machine was then. With an on-time target
// below 1 (onTimeBudget.ts), a workload that would be late here waits for the machine instead of
// bursting when it is among the costliest to burst and the share started in time stays at the
// target; it is planned after every workload still within its maximum wait.
//
// It knows nothing of processes or Slurm: it reserves capacity and calls `start`; the engine turns
// that into an executor run and calls `finished` when it ends. Time comes from an injected clock,
// so the benchmark replays batch traces through exactly this code.
//
// This file wires the parts and holds the state: the served order (waitQueue.ts), the options and
// the verdict (tierOptions.ts, choice.ts), the passes (conservativeBackfill.ts for NeuroLake,
// easyBackfill.ts for the baselines), making room (makingRoom.ts), what CPUs are worth
// (cpuWorth.ts), the plan of the queue ahead for decisions (projection.ts) and the re-check timer
// (recheck.ts).
import type { ComputePrices } from '../prices';
import { choose, type ChoiceContext } from './choice';
import { planLocal } from './conservativeBackfill';
import { CpuWorth, type CpuWorthQuestions } from './cpuWorth';
import { mayStartAheadOfQueue, startWhatFits } from './easyBackfill';
import { roomFor, type Room } from './makingRoom';
import { machineProfile, type CpuProfile } from './profile';
import { Projections } from './projection';
import { explainDecision, explainKeepingRoom, explainMakingRoom, explainMovedForRoom, explainWaitingPastMaxWait } from './reasons';
import { OnTimeBudget } from './onTimeBudget';
import { nextRecheck, RecheckTimer } from './recheck';
import { RunningWork } from './runningWork';
import type { Placement, Queued, SchedulerJob, SchedulerOptions, SchedulingPolicy } from './schedulerTypes';
import { clusterOption, localOption, localSaving, type LocalOutlook } from './tierOptions';
import type { ComputeTier, Decision, DecisionOption } from './types';
import { WaitQueue } from './waitQueue';

export type { ClusterView, LocalCapacity, SchedulerJob, SchedulerOptions, SchedulingPolicy } from './schedulerTypes';

const DEFAULT_AGING_MS = 10 * 60_000;
const DEFAULT_MARGIN_MS = 60_000;

export class Scheduler {
  private readonly queue: WaitQueue;
  private readonly running = new RunningWork();
  private seq = 0;
  private readonly recheck: RecheckTimer;
  private passing = false;
  private passAgain = false;
  private readonly policy: SchedulingPolicy;
  private readonly agingMs: number;
  private readonly marginMs: number;
  private readonly cpuWorth = new CpuWorth();
  private readonly cpuWorthQuestions: CpuWorthQuestions = {
    saving: (job) => this.localSaving(job),
    machineCpus: () => this.options.machineLimit().cpus,
  };
  private readonly choiceContext: ChoiceContext;
  private readonly projections: Projections;
  private readonly onTime: OnTimeBudget;

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
    this.queue = new WaitQueue(options.clock, this.agingMs);
    const target = options.onTimeTarget ?? 1;
    // Only NeuroLake's own policy lets a workload wait past its maximum wait on purpose.
    this.onTime = new OnTimeBudget(() => (this.policy !== 'neurolake' ? 1 : typeof target === 'function' ? target() : target));
    this.choiceContext = { policy: this.policy, whenClusterDown: () => this.whenClusterDown() };
    this.recheck = new RecheckTimer(options.clock, () => this.pass());
    this.outlook = {
      policy: this.policy,
      machineLimit: () => this.options.machineLimit(),
      projectedStart: (job, now) => this.projections.projectedLocalStart(job, now),
      mayStartAheadOfQueue: (job, now) =>
        mayStartAheadOfQueue(
          job,
          this.queue.head('local'),
          (head) => this.queue.effectivePriority(head, now),
          () => this.options.capacity().cpus - this.localCpusHeld(),
          now,
          this.running.localRuns(),
        ),
      fitsNow: (job) => this.fitsNow(job),
    };
    this.projections = new Projections({
      machineProfile: (now) => this.baseProfile(now),
      // Those allowed past their maximum wait are planned after every other: never ahead of a new one.
      queuedForMachine: () => this.queue.ordered('local').filter((entry) => entry.late !== true),
      effectivePriority: (job, now) => this.queue.effectivePriority(job, now),
      capacityCpus: () => this.options.capacity().cpus,
    });
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
    return this.running.localHeld().cpus;
  }

  /** The decision for a workload if it were submitted now; changes nothing. */
  decide(job: SchedulerJob): Decision {
    return this.decideWithRoom(job).decision;
  }

  /** Decides and acts: starts it, queues it, or refuses it. Returns the decision. */
  submit(job: SchedulerJob): Decision {
    if (this.isActive(job.id)) throw new Error(`workload ${job.id} is already queued or running`);
    this.onTime.noteSubmitted(job, this.localSaving(job));
    const { decision, displaced, turnedAway, late } = this.decideWithRoom(job);
    const now = this.options.clock.now();
    if (turnedAway) this.noteTurnedAway(job, now);
    for (const placement of displaced) this.burstToMakeRoom(placement.entry, job, now);
    this.act(job, decision, this.seq++, late);
    return decision;
  }

  /** The decision, and the queued workloads it bursts to make room for this one in time. */
  private decideWithRoom(job: SchedulerJob): { decision: Decision; displaced: readonly Placement[]; turnedAway: boolean; late: boolean } {
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
      if (reason !== undefined) return { decision: { verdict: 'cluster', reason, options: [local, cluster], decidedAt: now }, displaced, turnedAway: false, late: false };
    }
    if (neurolakeChooses && late && displaced.length === 0 && local.estimatedStart !== undefined && this.onTime.mayWaitPastMaxWait(job.id, this.localSaving(job))) {
      const reason = explainWaitingPastMaxWait(job, local, cluster, now, this.onTime.target());
      return { decision: { verdict: 'queue', tier: 'local', reason, options: [local, cluster], decidedAt: now }, displaced, turnedAway: false, late: true };
    }
    const chosen = choose(job, local, cluster, now, this.options.cluster(), this.choiceContext);
    const reason = displaced.length === 0 ? chosen.reason : `${chosen.reason} ${explainMakingRoom(displaced.length)}`;
    return { decision: { ...chosen, reason, options: [local, cluster], decidedAt: now }, displaced, turnedAway: neurolakeChooses && chosen.verdict === 'cluster', late: false };
  }

  // ---- what the machine's CPUs are worth ----------------------------------------------------

  private noteTurnedAway(job: SchedulerJob, now: number): void {
    this.cpuWorth.noteTurnedAway(job, this.localSaving(job), now);
  }

  /** Why a workload that could start here in time goes to the cluster instead; undefined when it stays. */
  private keepRoomFor(job: SchedulerJob, local: DecisionOption, cluster: DecisionOption, now: number): string | undefined {
    const elsewhere = this.cpuWorth.worthMoreElsewhere(job, now, this.cpuWorthQuestions);
    return elsewhere ? explainKeepingRoom(job, local, cluster) : undefined;
  }

  /** Removes a queued workload; false when it is not queued (running ones are cancelled by the engine). */
  cancel(id: string): boolean {
    const removed = this.queue.dequeue(id);
    if (removed) this.projections.invalidate();
    this.onTime.noteGone(id);
    return removed;
  }

  /** A started workload ended (or never really started): its capacity is free again. */
  finished(id: string): void {
    if (this.running.delete(id)) {
      this.projections.invalidate();
      this.pass();
    }
  }

  /** Puts a workload whose start failed back at its old place in the queue, waiting for `tier`. */
  requeue(job: SchedulerJob, tier: ComputeTier, decision: Decision): void {
    const run = this.running.get(job.id);
    this.onTime.noteRequeued(job, this.localSaving(job), run !== undefined && run.startedAt > job.submittedAt + job.maxWaitMs);
    this.running.delete(job.id);
    this.queue.enqueue({ job, seq: this.seq++, tier, decision });
    this.projections.invalidate();
    this.pass();
  }

  /** Re-attaches a workload started by an earlier process, so its capacity counts. */
  adoptRunning(job: SchedulerJob, tier: ComputeTier, startedAt: number): void {
    this.running.set(job.id, { job, tier, startedAt });
    this.projections.invalidate();
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
    this.recheck.dispose();
  }

  /** The queue in the order it is served: effective priority (with aging), then arrival. */
  ordered(tier?: ComputeTier): Queued[] {
    return this.queue.ordered(tier);
  }

  private act(job: SchedulerJob, decision: Decision, seq: number, late = false): void {
    switch (decision.verdict) {
      case 'local':
      case 'cluster':
        this.begin(job, decision.verdict, decision);
        return;
      case 'queue': {
        const entry: Queued = { job, seq, tier: decision.tier ?? 'local', decision, ...(late ? { late } : {}) };
        const place = this.queue.enqueue(entry);
        if (late) this.onTime.noteWaitingLate(job.id);
        if (decision.tier === 'cluster' || late) this.projections.invalidate();
        else this.projections.queued(entry, this.options.clock.now(), this.queue.servedNow(), place, this.queue.waitingForCluster === 0);
        this.scheduleRecheck();
        return;
      }
      case 'refuse':
        this.onTime.noteGone(job.id);
        this.options.refuse?.(job, decision);
        return;
    }
  }

  private begin(job: SchedulerJob, tier: ComputeTier, decision: Decision): void {
    const wasRunning = this.running.has(job.id);
    const wasQueued = this.queue.dequeue(job.id);
    const now = this.options.clock.now();
    this.running.set(job.id, { job, tier, startedAt: now });
    this.onTime.noteStarted(job.id, now > job.submittedAt + job.maxWaitMs);
    if (tier === 'local') this.cpuWorth.noteLocalRun(job, now);
    // A new workload that goes straight to the cluster changes neither the machine nor its queue.
    if (tier === 'local' || wasQueued || wasRunning) this.projections.invalidate();
    this.options.start(job, tier, decision);
  }

  // ---- the decision -------------------------------------------------------------------------

  private localOption(job: SchedulerJob, now: number): DecisionOption {
    return localOption(job, now, this.prices, this.outlook);
  }

  /** What the local option asks of the machine and the queue. */
  private readonly outlook: LocalOutlook;

  private clusterOption(job: SchedulerJob, now: number): DecisionOption {
    return clusterOption(job, now, this.prices, this.options.cluster());
  }

  private fitsNow(job: SchedulerJob): boolean {
    const capacity = this.options.capacity();
    const { cpus, memoryGb } = this.running.localHeld();
    return job.cpus <= capacity.cpus - cpus && job.memoryGb <= capacity.memoryGb - memoryGb;
  }

  /** Free CPUs now and what running local workloads give back when they are expected to end. */
  private baseProfile(now: number): CpuProfile {
    return machineProfile(now, this.options.capacity().cpus, this.running.localRuns());
  }

  private freeMemoryGb(): number {
    let freeMemory = this.options.capacity().memoryGb;
    for (const run of this.running.localRuns()) freeMemory -= run.job.memoryGb;
    return freeMemory;
  }

  // ---- the passes ---------------------------------------------------------------------------

  /** FCFS in effective-priority order with EASY backfill: nothing may delay the head's start. */
  private startWhatFits(): void {
    const now = this.options.clock.now();
    const capacity = this.options.capacity();
    const freeCpus = capacity.cpus - this.localCpusHeld();
    let freeMemoryGb = capacity.memoryGb;
    for (const run of this.running.localRuns()) freeMemoryGb -= run.job.memoryGb;
    startWhatFits(this.queue.ordered('local'), { now, freeCpus, freeMemoryGb, running: this.running }, (entry) => this.begin(entry.job, 'local', entry.decision));
  }

  /** NeuroLake's pass: conservative backfill in the served order (conservativeBackfill.ts). */
  private planLocal(): void {
    const now = this.options.clock.now();
    const cluster = this.options.cluster();
    const freeMemoryGb = this.freeMemoryGb();
    const profile = this.baseProfile(now);
    planLocal({
      now,
      canBurst: cluster.enabled && cluster.available,
      startDelayMs: cluster.startDelayMs,
      marginMs: this.marginMs,
      freeMemoryGb,
      profile,
      queue: this.queue.ordered('local'),
      isQueued: (id) => this.queue.has(id),
      startHere: (entry) => this.begin(entry.job, 'local', entry.decision),
      roomFor: (job, plan, placements, latest) => this.roomFor(job, plan, placements, latest, now),
      moveForRoom: (moved, forJob) => this.burstToMakeRoom(moved, forJob, now),
      mayWaitLate: (entry) => this.letWaitPastMaxWait(entry, now),
      burstLate: (job) => {
        const decision = this.burstDecision(job, now);
        if (decision === undefined) return false;
        this.noteTurnedAway(job, now);
        this.begin(job, 'cluster', decision);
        return true;
      },
    });
  }

  /** A queued workload that would start here too late waits past its maximum wait when the on-time target allows. */
  private letWaitPastMaxWait(entry: Queued, now: number): boolean {
    const job = entry.job;
    if (job.tier !== undefined || !this.onTime.mayWaitPastMaxWait(job.id, this.localSaving(job))) return false;
    const local = this.localOption(job, now);
    const cluster = this.clusterOption(job, now);
    if (!cluster.possible) return false;
    entry.late = true;
    entry.decision = { verdict: 'queue', tier: 'local', reason: explainWaitingPastMaxWait(job, local, cluster, now, this.onTime.target()), options: [local, cluster], decidedAt: now };
    this.onTime.noteWaitingLate(job.id);
    this.projections.invalidate();
    return true;
  }

  /** What running `job` here saves against the cluster, in dollars at the current prices. */
  private localSaving(job: SchedulerJob): number {
    return localSaving(this.prices, job);
  }

  /** The planned workloads to burst so that `job` can start here by `latest` (makingRoom.ts). */
  private roomFor(job: SchedulerJob, profile: CpuProfile, placements: readonly Placement[], latest: number, now: number): Room | undefined {
    return roomFor(job, profile, placements, latest, {
      saving: (candidate) => this.localSaving(candidate),
      isQueued: (id) => this.queue.has(id),
      clusterCanTake: (candidate) => this.clusterOption(candidate, now).possible,
    });
  }

  /** Room for a new workload in the projection of the queue ahead of it, as `roomFor`. */
  private roomInProjection(job: SchedulerJob, now: number, deadline: number): Room | undefined {
    const projection = this.projections.projection(job.priority, now);
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
    const reason = explainMovedForRoom(forJob, local, cluster);
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
    const waiting = this.queue.ordered('cluster');
    if (waiting.length === 0) return;
    const cluster = this.options.cluster();
    for (const entry of waiting) {
      if (cluster.enabled && cluster.available) {
        this.begin(entry.job, 'cluster', this.decide(entry.job));
      } else if (this.whenClusterDown() === 'refuse' || !cluster.enabled) {
        this.queue.dequeue(entry.job.id);
        this.projections.invalidate();
        this.onTime.noteGone(entry.job.id);
        this.options.refuse?.(entry.job, this.decide(entry.job));
      }
    }
  }

  /** Wakes up when the next queued workload would have to burst, and as its priority ages. */
  private scheduleRecheck(): void {
    if (this.queue.size === 0) {
      this.recheck.stop();
      return;
    }
    const now = this.options.clock.now();
    const due = nextRecheck(this.queue, now, this.agingMs, this.marginMs, this.options.cluster().startDelayMs);
    this.recheck.wakeBy(due, now);
  }
}
