// The compute engine: workloads submitted, decided, queued and run on this machine or a Slurm
// cluster, with every run kept in a durable history. One engine a data folder in each process;
// several processes (VS Code windows, the CLI) share the history, and a run whose process died
// is adopted by the next one that opens: a queued run is queued again, a running one re-attached
// by its pid or Slurm job id, and one that cannot be found is marked lost.
import { join } from 'node:path';
import { CancelledError, ensureFolder, processAlive } from '../common';
import { computeCost, computePrices, type ComputePresetName, type ComputePrices } from '../prices';

const COMPUTE_PRESETS: readonly ComputePresetName[] = ['seed', 'aws'];
const isComputePreset = (name: string): name is ComputePresetName => (COMPUTE_PRESETS as readonly string[]).includes(name);
import { systemClock, type Clock, type ClockTimer } from './clock';
import { ComputeError } from './errors';
import type { Execution, ExecutionOutcome, Executor } from './executor';
import { RunHistory } from './history';
import { LocalExecutor } from './localExecutor';
import { localCapacity, MachineSampler, type MachineSnapshot } from './machine';
import { Scheduler, type SchedulerJob } from './scheduler';
import { SlurmClient } from './slurm/restClient';
import { SlurmExecutor } from './slurm/slurmExecutor';
import type { SlurmTokenSource } from './slurm/tokens';
import type { BurstTransfer } from './slurm/transfer';
import { computeStats, type ComputeStats } from './stats';
import { FINISHED_STATES, type ComputeTier, type Decision, type Run, type WorkloadSpec } from './types';
import { normaliseWorkload } from './workload';

export interface ClusterSettings {
  /** slurmrestd, e.g. http://cluster:6820 */
  readonly url: string;
  /** The REST API version: v0.0.38 for Slurm 22.05, later for newer Slurm. */
  readonly apiVersion?: string;
  readonly tokens: SlurmTokenSource;
  /** A folder this machine and the cluster's nodes see at the same path; without one, files go through `burstTransfer`. */
  readonly sharedFolder?: string;
  readonly partition?: string;
  /** How long a job usually waits in the cluster's queue, for the estimate. */
  readonly expectedStartSeconds?: number;
  readonly pollMs?: number;
  /** How often to check the cluster answers. */
  readonly healthMs?: number;
}

export interface ComputeOptions extends ComputeSettings {
  readonly dataFolder: string;
  /** How a burst job's files travel when the cluster shares no folder: the storage cloud tier. */
  readonly burstTransfer?: BurstTransfer;
  readonly prices?: ComputePresetName;
  /** What relative working folders are relative to (the workspace folder, the CLI's cwd). */
  readonly base?: string;
  readonly clock?: Clock;
  /** How often the machine is measured. */
  readonly sampleMs?: number;
  /** How often other processes' changes to the history are picked up. */
  readonly refreshMs?: number;
  /** First retry after this long, doubling each attempt. */
  readonly retryBackoffMs?: number;
}

export interface ComputeStatus {
  readonly state: 'ready' | 'degraded' | 'failed';
  readonly detail?: string;
  /** The cluster refused the Slurm token (expired or wrong): only a new token helps. */
  readonly tokenRefused?: boolean;
}

/** What may change while the engine runs (the `neurolake.compute.*` settings). */
export interface ComputeSettings {
  readonly localCpuLimitPct?: number;
  readonly localMemoryLimitPct?: number;
  readonly burst?: boolean;
  readonly whenClusterDown?: 'queue' | 'refuse';
  /** Absent: no cluster. */
  readonly cluster?: ClusterSettings;
  readonly noRetryExitCodes?: readonly number[];
  readonly defaultMaxWaitMinutes?: number;
  /** Share of workloads (percent) that must start within their maximum wait; absent: 100, every maximum wait a deadline. */
  readonly onTimeTargetPct?: number;
}

export interface ComputeChange {
  /** `token`: the cluster refused the Slurm token, so the user should set a new one. */
  readonly kind: 'run' | 'status' | 'machine' | 'token';
  readonly runId?: string;
  /** For `token`: the cluster's refusal, in words. */
  readonly detail?: string;
}

export interface ListOptions {
  readonly states?: readonly Run['state'][];
  readonly limit?: number;
  readonly offset?: number;
}

/** The CPU and memory limits when the settings give none, as `neurolake.compute.*` default them. */
const DEFAULT_LIMIT_PCT = 80;
const ACTIVE: ReadonlySet<Run['state']> = new Set(['queued', 'starting', 'running']);

export class ComputeEngine {
  private prices: ComputePrices;
  private readonly clock: Clock;
  private readonly sampler: MachineSampler;
  private readonly local: LocalExecutor;
  private cluster: SlurmExecutor | undefined;
  private client: SlurmClient | undefined;
  /** Executors of a cluster the settings moved away from; they follow their jobs to the end. */
  private readonly retired = new Set<SlurmExecutor>();
  private readonly scheduler: Scheduler;
  private readonly executions = new Map<string, Execution>();
  /** Runs between the scheduler's start and their executor's answer; a cancel then waits for the start. */
  private readonly launching = new Map<string, { cancel: boolean }>();
  /** Runs being adopted from a process that died, so a second look does not adopt them twice. */
  private readonly adopting = new Set<string>();
  /** Runs whose last change could not be written to the history, and why. */
  private readonly failedWrites = new Map<string, string>();
  private readonly timers = new Set<ClockTimer>();
  private readonly listeners = new Set<(change: ComputeChange) => void>();
  private readonly owner = { pid: process.pid, since: Date.now() };
  private clusterProblem: string | undefined = 'not checked yet';
  /** The cluster refused the token (expired or wrong): a new one is needed, not patience. */
  private tokenRefused = false;
  private healthTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Serialises the state changes of each run, so a fast ending never overtakes its start. */
  private runQueues = new Map<string, Promise<unknown>>();

  private constructor(
    private options: ComputeOptions,
    private readonly history: RunHistory,
  ) {
    this.prices = computePrices(options.prices ?? 'seed');
    this.clock = options.clock ?? systemClock;
    this.sampler = new MachineSampler(options.dataFolder, options.sampleMs ?? 1000);
    this.local = new LocalExecutor({ onUsage: (usage) => this.sampler.setOwnUsage(usage) });
    this.useCluster(options.cluster);
    const limits = (): ReturnType<typeof localCapacity> => localCapacity(this.sampler.snapshot(), this.localCpuLimitPct, this.options.localMemoryLimitPct ?? DEFAULT_LIMIT_PCT);
    this.scheduler = new Scheduler({
      clock: this.clock,
      prices: this.prices,
      capacity: () => limits().now,
      machineLimit: () => limits().limit,
      cluster: () => ({
        enabled: this.cluster !== undefined && this.options.burst !== false,
        available: this.clusterProblem === undefined,
        ...(this.clusterProblem === undefined ? {} : { reason: this.clusterProblem }),
        startDelayMs: (this.options.cluster?.expectedStartSeconds ?? 60) * 1000,
      }),
      whenClusterDown: () => this.options.whenClusterDown ?? 'queue',
      onTimeTarget: () => (this.options.onTimeTargetPct ?? 100) / 100,
      start: (job, tier, decision) => void this.launch(job.id, tier, decision),
      refuse: (job, decision) => void this.refuseQueued(job.id, decision).catch((error: unknown) => this.unrecorded(job.id, error)),
    });
  }

  static async open(options: ComputeOptions): Promise<ComputeEngine> {
    let history: RunHistory;
    try {
      // First, so a data folder that is a file, or on a read-only disk, is said in those words.
      await ensureFolder(join(options.dataFolder, 'compute'));
      history = await RunHistory.open(join(options.dataFolder, 'compute', 'runs.jsonl'));
    } catch (error) {
      if (error instanceof ComputeError) throw error;
      throw new ComputeError('storage', `The run history in ${options.dataFolder} cannot be opened: ${(error as Error).message}`);
    }
    const engine = new ComputeEngine(options, history);
    // Utilisation is a difference of two readings: take the first now and the second shortly after.
    await engine.sampler.sample();
    await new Promise((resolve) => setTimeout(resolve, Math.min(300, options.sampleMs ?? 300)));
    await engine.sampler.sample();
    engine.sampler.start();
    engine.sampler.onSample(() => {
      engine.scheduler.pass();
      engine.emit({ kind: 'machine' });
    });
    if (engine.client !== undefined) await engine.checkCluster();
    engine.watchClusterHealth();
    await engine.adoptOrphans();
    engine.refreshTimer = setInterval(() => void engine.refresh(), options.refreshMs ?? 2000);
    engine.refreshTimer.unref();
    return engine;
  }

  /** Stops watching; running workloads go on and the next process re-attaches to them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.healthTimer);
    clearInterval(this.refreshTimer);
    for (const timer of this.timers) timer.cancel();
    this.scheduler.dispose();
    this.sampler.stop();
    this.local.close();
    this.cluster?.close();
    for (const executor of this.retired) executor.close();
    await Promise.allSettled([...this.runQueues.values()]);
  }

  /**
   * Applies new settings to a running engine: limits and burst at the next decision, a new or
   * different cluster for runs that start from now on (runs already on the old one are followed
   * to their end). Queued runs are decided again.
   */
  async configure(update: ComputeSettings): Promise<void> {
    this.assertOpen();
    const clusterMoved = !sameCluster(this.options.cluster, update.cluster);
    const { cluster: _old, ...rest } = this.options;
    this.options = { ...rest, ...update, ...(update.cluster === undefined ? {} : { cluster: update.cluster }) };
    if (clusterMoved) {
      if (this.cluster !== undefined) this.retired.add(this.cluster);
      this.useCluster(update.cluster);
      this.clusterProblem = 'not checked yet';
      this.tokenRefused = false;
      clearInterval(this.healthTimer);
      if (this.client !== undefined) await this.checkCluster();
      this.watchClusterHealth();
      this.emit({ kind: 'status' });
    }
    this.scheduler.pass();
  }

  /** The share of this machine's CPU (0-100) under which local work is admitted now. */
  get localCpuLimitPct(): number {
    return this.options.localCpuLimitPct ?? DEFAULT_LIMIT_PCT;
  }

  /**
   * Changes only the local CPU limit, keeping every other setting (a cost recommendation applies
   * it); queued runs are decided again under it. Lasts until the settings are configured again.
   */
  setLocalCpuLimitPct(pct: number): void {
    this.assertOpen();
    if (!Number.isFinite(pct) || pct <= 0 || pct > 100) throw new RangeError(`The local CPU limit must be a percentage above 0 and at most 100, not ${pct}.`);
    this.options = { ...this.options, localCpuLimitPct: pct };
    this.scheduler.pass();
  }

  /**
   * Prices estimates and the runs that end from now on at `preset` (the user's cost preset), so
   * Schedule Workload and the cost dashboard quote the same prices. Answers false, changing
   * nothing, for a price book compute has no rates of (an imported storage price list).
   */
  usePrices(preset: string): boolean {
    this.assertOpen();
    if (!isComputePreset(preset)) return false;
    if (preset === this.prices.preset) return true;
    this.prices = computePrices(preset);
    // Nothing recorded changes (past runs keep the cost they ended with), so no change is sent.
    this.scheduler.usePrices(this.prices);
    return true;
  }

  status(): ComputeStatus {
    if (this.cluster === undefined) return { state: 'ready', detail: 'No cluster is configured: workloads run on this machine only.' };
    if (this.clusterProblem !== undefined) return { state: 'degraded', detail: `The cluster cannot be used: ${this.clusterProblem}`, ...(this.tokenRefused ? { tokenRefused: true } : {}) };
    return { state: 'ready', detail: `Cluster at ${this.client!.url} answers.` };
  }

  onDidChange(listener: (change: ComputeChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  machine(): MachineSnapshot {
    return this.sampler.snapshot();
  }

  /** Where a workload would run if submitted now, and why; runs nothing. */
  preview(spec: WorkloadSpec): Decision {
    const workload = normaliseWorkload(this.withDefaults(spec), this.options.base);
    const decision = this.scheduler.decide(this.jobOf(`${workload.id}-preview`, workload, this.clock.now()));
    // The user weighs these costs before running anything, so they say which prices they are.
    return { ...decision, prices: { preset: this.prices.preset, asOf: this.prices.asOf } };
  }

  /** Submits a workload: resolves, once its run is durably in the history, to that run (maybe already started, or refused). */
  async submit(spec: WorkloadSpec): Promise<Run> {
    this.assertOpen();
    const workload = normaliseWorkload(this.withDefaults(spec), this.options.base);
    const now = this.clock.now();
    let run: Run | undefined;
    const written = this.history.write((history) => {
      const runs = history.all().filter((other) => other.workload.id === workload.id);
      const active = runs.find((other) => ACTIVE.has(other.state) && (this.isOurs(other) || ownerAlive(other) || other.tier === 'cluster'));
      if (active !== undefined) throw new ComputeError('already-active', `The workload ${workload.id} already has a run ${active.state}: ${active.id}. Cancel it or wait for it to end.`);
      const id = `${workload.id}-${runs.length + 1}`;
      const job = this.jobOf(id, workload, now);
      const decision = this.scheduler.decide(job);
      run = { id, workload, attempt: 1, state: decision.verdict === 'refuse' ? 'refused' : 'queued', decision, submittedAt: now, owner: this.owner, ...(decision.verdict === 'refuse' ? { endedAt: now, detail: decision.reason } : {}) };
      return [run];
    });
    await written;
    const created = run!;
    this.emit({ kind: 'run', runId: created.id });
    if (created.state === 'queued') this.scheduler.submit(this.jobOf(created.id, workload, created.submittedAt));
    return this.history.get(created.id) ?? created;
  }

  get(runOrWorkloadId: string): Run {
    const run = this.history.get(runOrWorkloadId) ?? this.latestOf(runOrWorkloadId);
    if (run === undefined) throw new ComputeError('not-found', `No run or workload ${runOrWorkloadId}.`);
    return run;
  }

  /** Newest first. */
  list(options: ListOptions = {}): Run[] {
    const states = options.states === undefined ? undefined : new Set(options.states);
    const runs = this.history
      .all()
      .filter((run) => states === undefined || states.has(run.state))
      .sort((a, b) => b.submittedAt - a.submittedAt || b.id.localeCompare(a.id));
    const offset = options.offset ?? 0;
    return runs.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
  }

  stats(): ComputeStats {
    return computeStats(this.history.all(), this.prices);
  }

  /** Cancels a queued or running run; resolves to it once its end is in the history. */
  async cancel(runOrWorkloadId: string): Promise<Run> {
    this.assertOpen();
    await this.history.refresh();
    const run = this.get(runOrWorkloadId);
    if (FINISHED_STATES.has(run.state)) throw new ComputeError('not-found', `The run ${run.id} has already ended (${run.state}).`);
    if (this.scheduler.cancel(run.id)) {
      await this.update(run.id, { state: 'cancelled', endedAt: this.clock.now(), detail: 'cancelled while it waited' });
      return this.get(run.id);
    }
    const launching = this.launching.get(run.id);
    if (launching !== undefined) {
      // Starting right now: it is stopped as soon as it has a pid or job id.
      launching.cancel = true;
      return this.waitFor(run.id);
    }
    const execution = this.executions.get(run.id);
    if (execution !== undefined) {
      await execution.cancel('cancelled');
      // The end is recorded by the run's watcher, which may not have reached it yet.
      return this.waitFor(run.id);
    }
    // Another process runs it: stop it where it runs; that process records the end.
    if (run.execution?.tier === 'local') process.kill(-run.execution.pid, 'SIGTERM');
    else if (run.execution?.tier === 'cluster' && this.client !== undefined) await this.client.cancel(run.execution.jobId);
    else if (run.state === 'queued' && !ownerAlive(run) && !this.isOurs(run)) await this.update(run.id, { state: 'cancelled', endedAt: this.clock.now(), detail: 'cancelled while it waited' });
    else throw new ComputeError('not-found', `The run ${run.id} is ${run.state} in another NeuroLake process (pid ${run.owner?.pid}); cancel it there.`);
    return this.waitFor(run.id);
  }

  /** Resolves once the run has ended (any process may end it). */
  async waitFor(runId: string, signal?: AbortSignal): Promise<Run> {
    for (;;) {
      const run = this.get(runId);
      if (FINISHED_STATES.has(run.state)) return run;
      const failed = this.failedWrites.get(runId);
      if (failed !== undefined) throw new ComputeError('storage', failed);
      // Only the waiting stops; the run goes on.
      if (signal?.aborted) throw new CancelledError(`Waiting for ${runId}`);
      await new Promise<void>((resolve) => {
        // Everything else the engine holds lets the process exit; a caller waiting must not.
        const keepAlive = setInterval(() => undefined, 60_000);
        const stop = (): void => {
          clearInterval(keepAlive);
          subscription.dispose();
          resolve();
        };
        const subscription = this.onDidChange((change) => {
          if (change.runId === runId) stop();
        });
        signal?.addEventListener('abort', stop, { once: true });
      });
    }
  }

  /** The log file of a run (it grows while the run runs). */
  logFile(runId: string): string | undefined {
    return this.get(runId).execution?.logFile;
  }

  // ---- running ------------------------------------------------------------------------------

  private async launch(runId: string, tier: ComputeTier, decision: Decision): Promise<void> {
    const run = this.history.get(runId);
    if (run === undefined || this.closed) {
      this.scheduler.finished(runId);
      return;
    }
    const executor: Executor | undefined = tier === 'local' ? this.local : this.cluster;
    const launching = { cancel: false };
    this.launching.set(runId, launching);
    try {
      await this.start(runId, run, tier, decision, executor, launching);
    } catch (error) {
      // The history could not be written (a full disk): nothing may claim this run is still going on here.
      this.scheduler.finished(runId);
      this.unrecorded(runId, error);
    } finally {
      this.launching.delete(runId);
    }
  }

  /** A change of `runId` that could not be written: waiters are told, instead of waiting for a state that will not come. */
  private unrecorded(runId: string, error: unknown): void {
    this.failedWrites.set(runId, `What became of the run ${runId} could not be recorded: ${(error as Error).message}`);
    this.emit({ kind: 'run', runId });
  }

  private async start(runId: string, run: Run, tier: ComputeTier, decision: Decision, executor: Executor | undefined, launching: { cancel: boolean }): Promise<void> {
    await this.update(runId, { state: 'starting', tier, decision });
    if (launching.cancel) {
      this.scheduler.finished(runId);
      await this.update(runId, { state: 'cancelled', endedAt: this.clock.now(), detail: 'cancelled before it started' });
      return;
    }
    const request = { runId, workload: run.workload, runFolder: join(this.options.dataFolder, 'compute', 'runs', runId) };
    let execution: Execution;
    try {
      if (executor === undefined) throw new ComputeError('refused', 'No cluster is configured.');
      execution = await executor.start(request);
    } catch (error) {
      const message = (error as Error).message;
      if (tier === 'cluster' && error instanceof ComputeError && error.code === 'cluster' && (this.options.whenClusterDown ?? 'queue') === 'queue') {
        // Nothing ran: it waits for the cluster, in the history and in the queue.
        this.setClusterProblem(message, error);
        const waiting: Decision = { ...decision, verdict: 'queue', tier: 'cluster', reason: `Waits for the cluster: ${message}` };
        await this.update(runId, { state: 'queued', decision: waiting });
        this.scheduler.requeue(this.jobOf(runId, run.workload, run.submittedAt), 'cluster', waiting);
        return;
      }
      this.scheduler.finished(runId);
      await this.update(runId, { state: tier === 'cluster' ? 'refused' : 'failed', endedAt: this.clock.now(), detail: `It could not be started: ${message}` });
      return;
    }
    if (launching.cancel) void execution.cancel('cancelled').catch(() => undefined);
    this.launching.delete(runId);
    await this.watch(runId, tier, execution, this.clock.now());
  }

  private async watch(runId: string, tier: ComputeTier, execution: Execution, startedAt: number): Promise<void> {
    this.executions.set(runId, execution);
    const run = this.history.get(runId)!;
    await this.update(runId, { state: 'running', tier, execution: execution.ref, startedAt: run.startedAt ?? startedAt, owner: this.owner });
    void execution.running.then((at) => {
      const current = this.history.get(runId);
      if (current?.state === 'running' && tier === 'cluster' && at !== current.startedAt) void this.update(runId, { startedAt: at }).catch(() => undefined);
    });
    const timeoutMs = run.workload.timeoutMinutes * 60_000 - (this.clock.now() - (run.startedAt ?? startedAt));
    const timeout = this.clock.setTimer(Math.max(0, timeoutMs), () => void execution.cancel('timed-out').catch(() => undefined));
    this.timers.add(timeout);
    const outcome = await execution.done;
    timeout.cancel();
    this.timers.delete(timeout);
    this.executions.delete(runId);
    await this.end(runId, tier, outcome);
  }

  private async end(runId: string, tier: ComputeTier, outcome: ExecutionOutcome): Promise<void> {
    const run = this.history.get(runId)!;
    const startedAt = outcome.startedAt ?? run.startedAt ?? outcome.endedAt;
    const seconds = Math.max(0, (outcome.endedAt - startedAt) / 1000);
    const ref = run.execution !== undefined && outcome.logFile !== undefined ? { ...run.execution, logFile: outcome.logFile } : run.execution;
    await this.update(runId, {
      state: outcome.state,
      startedAt,
      endedAt: outcome.endedAt,
      costUsd: computeCost(this.prices, tier, run.workload.cpus, run.workload.memoryGb, seconds),
      ...(ref === undefined ? {} : { execution: ref }),
      ...(outcome.exitCode === undefined ? {} : { exitCode: outcome.exitCode }),
      ...(outcome.cpuSeconds === undefined ? {} : { cpuSeconds: outcome.cpuSeconds }),
      ...(outcome.peakMemoryBytes === undefined ? {} : { peakMemoryBytes: outcome.peakMemoryBytes }),
      ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
    });
    this.scheduler.finished(runId);
    this.maybeRetry(this.history.get(runId)!);
  }

  /** A failing exit gets another attempt after a back-off, unless its code says retrying cannot help. */
  private maybeRetry(run: Run): void {
    const workload = run.workload;
    if (run.state !== 'failed' || run.exitCode === undefined || run.attempt > workload.retries) return;
    if (workload.noRetryExitCodes.includes(run.exitCode)) {
      void this.update(run.id, { detail: `${run.detail === undefined ? '' : `${run.detail}; `}not retried: exit code ${run.exitCode} is marked not retryable` }).catch(() => undefined);
      return;
    }
    const delay = (this.options.retryBackoffMs ?? 5000) * 2 ** (run.attempt - 1);
    const timer = this.clock.setTimer(delay, () => {
      this.timers.delete(timer);
      void this.retry(run).catch((error: unknown) => this.unrecorded(run.id, error));
    });
    this.timers.add(timer);
  }

  private async retry(previous: Run): Promise<void> {
    if (this.closed) return;
    const now = this.clock.now();
    let created: Run | undefined;
    await this.history.write((history) => {
      const count = history.all().filter((other) => other.workload.id === previous.workload.id).length;
      const id = `${previous.workload.id}-${count + 1}`;
      const job = this.jobOf(id, previous.workload, now);
      const decision = this.scheduler.decide(job);
      created = { id, workload: previous.workload, attempt: previous.attempt + 1, state: 'queued', decision, submittedAt: now, owner: this.owner, detail: `retry ${previous.attempt} of ${previous.workload.retries} after exit code ${previous.exitCode} in ${previous.id}` };
      return [created, { ...history.get(previous.id)!, retriedBy: id }];
    });
    this.emit({ kind: 'run', runId: created!.id });
    this.scheduler.submit(this.jobOf(created!.id, created!.workload, now));
  }

  private async refuseQueued(runId: string, decision: Decision): Promise<void> {
    await this.update(runId, { state: 'refused', decision, endedAt: this.clock.now(), detail: decision.reason });
  }

  // ---- restart and other processes ----------------------------------------------------------

  /** Runs left by a process that is gone: queue them again, re-attach, or say they are lost. */
  private async adoptOrphans(): Promise<void> {
    for (const run of this.history.all()) {
      if (!ACTIVE.has(run.state) || this.isOurs(run) || ownerAlive(run) || this.adopting.has(run.id) || this.scheduler.isActive(run.id)) continue;
      this.adopting.add(run.id);
      try {
        await this.adopt(run);
      } finally {
        this.adopting.delete(run.id);
      }
    }
  }

  private async adopt(run: Run): Promise<void> {
    const request = { runId: run.id, workload: run.workload, runFolder: join(this.options.dataFolder, 'compute', 'runs', run.id) };
    if (run.state === 'queued') {
      await this.update(run.id, { owner: this.owner });
      this.scheduler.submit(this.jobOf(run.id, run.workload, run.submittedAt));
      return;
    }
    const ref = run.execution;
    if (run.state === 'starting' || ref === undefined) {
      // Stopped between starting the command and recording its pid: the command's wrapper still
      // writes how it ended into the run folder, so a run that ran is not called lost.
      const status = run.tier === 'local' ? await this.local.endedStatus(request.runFolder) : undefined;
      if (status !== undefined) {
        const state = status.exitCode === 0 ? 'completed' : 'failed';
        await this.update(run.id, { state, exitCode: status.exitCode, cpuSeconds: status.cpuSeconds, endedAt: status.writtenAt, detail: `NeuroLake (pid ${run.owner?.pid}) stopped while starting it; it ran, and its exit status was read from its run folder` });
        return;
      }
      await this.update(run.id, { state: 'lost', endedAt: this.clock.now(), detail: `NeuroLake (pid ${run.owner?.pid}) stopped while starting it; it may have started, and nothing can find it` });
      return;
    }
    const executor = ref.tier === 'local' ? this.local : this.cluster;
    if (executor === undefined) return; // a cluster run while no cluster is configured here: leave it for one that has it
    await this.update(run.id, { owner: this.owner });
    // A local run that already ended is settled before open() returns, so the first listing is true.
    const endedAlready = ref.tier === 'local' && !processAlive(ref.pid);
    const execution = await executor.attach(ref, request);
    this.scheduler.adoptRunning(this.jobOf(run.id, run.workload, run.submittedAt), ref.tier, run.startedAt ?? this.clock.now());
    const watching = this.watch(run.id, ref.tier, execution, run.startedAt ?? this.clock.now());
    if (endedAlready) await watching;
  }

  private async refresh(): Promise<void> {
    if (this.closed) return;
    try {
      const before = new Map(this.history.all().map((run) => [run.id, run]));
      if (!(await this.history.refresh())) return;
      for (const run of this.history.all()) if (before.get(run.id) !== run) this.emit({ kind: 'run', runId: run.id });
      await this.adoptOrphans();
    } catch {
      // The next refresh tries again; a failing history shows on the next write.
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /** The settings' defaults under what the workload itself says. */
  private withDefaults(spec: WorkloadSpec): WorkloadSpec {
    const codes = this.options.noRetryExitCodes ?? [];
    const maxWait = this.options.defaultMaxWaitMinutes;
    return {
      ...spec,
      ...(codes.length === 0 ? {} : { noRetryExitCodes: [...new Set([...(spec.noRetryExitCodes ?? []), ...codes])] }),
      ...(spec.maxWaitMinutes === undefined && maxWait !== undefined ? { maxWaitMinutes: maxWait } : {}),
    };
  }

  private useCluster(cluster: ClusterSettings | undefined): void {
    this.client = undefined;
    this.cluster = undefined;
    if (cluster === undefined) return;
    this.client = new SlurmClient({ url: cluster.url, apiVersion: cluster.apiVersion ?? 'v0.0.38', tokens: cluster.tokens });
    this.cluster = new SlurmExecutor({
      client: this.client,
      ...(cluster.sharedFolder === undefined || cluster.sharedFolder === '' ? {} : { sharedFolder: cluster.sharedFolder }),
      ...(this.options.burstTransfer === undefined ? {} : { transfer: this.options.burstTransfer }),
      ...(cluster.partition === undefined ? {} : { partition: cluster.partition }),
      ...(cluster.pollMs === undefined ? {} : { pollMs: cluster.pollMs }),
      onReachability: (problem, error) => this.setClusterProblem(problem, error),
    });
  }

  private watchClusterHealth(): void {
    clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    if (this.client === undefined) return;
    this.healthTimer = setInterval(() => void this.checkCluster(), this.options.cluster?.healthMs ?? 15_000);
    this.healthTimer.unref();
  }

  private async checkCluster(): Promise<void> {
    const client = this.client;
    if (client === undefined || this.closed) return;
    try {
      await client.ping();
      if (client === this.client) this.setClusterProblem(undefined);
    } catch (error) {
      if (client === this.client) this.setClusterProblem((error as Error).message.replace(/^The cluster /, 'the cluster '), error);
    }
  }

  private setClusterProblem(problem: string | undefined, cause?: unknown): void {
    if (problem === this.clusterProblem) return;
    this.clusterProblem = problem;
    const refused = cause instanceof ComputeError && cause.tokenRefused;
    const newlyRefused = refused && !this.tokenRefused;
    this.tokenRefused = refused;
    this.emit({ kind: 'status' });
    if (newlyRefused) this.emit({ kind: 'token', detail: problem! });
    this.scheduler.pass();
  }

  /** Applies a change to a run durably, in order with its other changes, then tells listeners. */
  private update(runId: string, change: Partial<Run>): Promise<void> {
    const previous = this.runQueues.get(runId) ?? Promise.resolve();
    const next = previous.then(async () => {
      await this.history.write((history) => {
        const run = history.get(runId);
        if (run === undefined) throw new ComputeError('not-found', `No run ${runId}.`);
        return [{ ...run, ...change }];
      });
      this.emit({ kind: 'run', runId });
    });
    const settled = next.catch(() => undefined);
    this.runQueues.set(runId, settled);
    void settled.then(() => {
      if (this.runQueues.get(runId) === settled) this.runQueues.delete(runId);
    });
    return next;
  }

  private jobOf(id: string, workload: Run['workload'], submittedAt: number): SchedulerJob {
    return {
      id,
      cpus: workload.cpus,
      memoryGb: workload.memoryGb,
      estimatedMs: workload.estimatedMinutes * 60_000,
      priority: workload.priority,
      maxWaitMs: workload.maxWaitMinutes * 60_000,
      submittedAt,
      ...(workload.budgetUsd === undefined ? {} : { budgetUsd: workload.budgetUsd }),
      ...(workload.tier === undefined ? {} : { tier: workload.tier }),
    };
  }

  private latestOf(workloadId: string): Run | undefined {
    return this.list().find((run) => run.workload.id === workloadId);
  }

  private isOurs(run: Run): boolean {
    return run.owner?.pid === this.owner.pid && run.owner.since === this.owner.since;
  }

  private emit(change: ComputeChange): void {
    for (const listener of this.listeners) listener(change);
  }

  private assertOpen(): void {
    if (this.closed) throw new ComputeError('closed', 'The compute engine is closed.');
  }
}

function sameCluster(a: ClusterSettings | undefined, b: ClusterSettings | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.url === b.url && a.apiVersion === b.apiVersion && a.sharedFolder === b.sharedFolder && a.partition === b.partition && a.tokens.user === b.tokens.user;
}

function ownerAlive(run: Run): boolean {
  return run.owner !== undefined && run.owner.pid !== process.pid && processAlive(run.owner.pid);
}
