// Runs workloads as Slurm batch jobs through slurmrestd. A cluster cannot see this machine's
// files, so each run gets a folder in the shared folder (a path both sides mount): the run's
// inputs are copied in before it is submitted, the job writes its log and exit status there, and
// when it ends the log is fetched into the data folder and the outputs are copied back.
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ComputeError } from '../errors';
import type { Execution, ExecutionEnd, ExecutionOutcome, ExecutionRequest, Executor } from '../executor';
import { commandLine, shellQuote } from '../localExecutor';
import type { ExecutionRef } from '../types';
import type { SlurmClient, SlurmJobInfo } from './restClient';
import { stagedJobScript, type BurstTransfer } from './transfer';

export interface SlurmExecutorOptions {
  readonly client: SlurmClient;
  /** A folder this machine and the cluster's nodes both see at this path; without one, files go through `transfer`. */
  readonly sharedFolder?: string;
  /** The storage cloud tier, for a cluster that shares no folder with this machine. */
  readonly transfer?: BurstTransfer;
  readonly partition?: string;
  readonly pollMs?: number;
  /** Told when a poll failed (the cluster went away) or worked again. */
  readonly onReachability?: (problem: string | undefined, cause?: unknown) => void;
}

const FINISHED: Readonly<Record<string, ExecutionEnd>> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TIMEOUT: 'timed-out',
  DEADLINE: 'timed-out',
  NODE_FAIL: 'failed',
  OUT_OF_MEMORY: 'failed',
  BOOT_FAIL: 'failed',
  PREEMPTED: 'failed',
};

export class SlurmExecutor implements Executor {
  readonly tier = 'cluster' as const;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: SlurmExecutorOptions) {}

  async start(request: ExecutionRequest): Promise<Execution> {
    if (this.options.sharedFolder === undefined || this.options.sharedFolder === '') return this.startStaged(request);
    const { workload } = request;
    const folder = join(this.options.sharedFolder, 'neurolake-runs', request.runId);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    // The job runs as the cluster's user, who is not necessarily us.
    await chmod(folder, 0o777);
    const files = [...workload.inputs, ...(workload.run.kind === 'script' ? [workload.run.file] : [])];
    for (const file of files) await copyIn(workload.workingFolder, file, folder);
    const outputFile = join(folder, 'output.log');
    const status = join(folder, 'status');
    // The script runs from its copy in the run's folder.
    const run = workload.run.kind === 'script' ? { ...workload.run, file: relative(workload.workingFolder, resolve(workload.workingFolder, workload.run.file)) } : workload.run;
    const script = ['#!/bin/bash', `cd ${shellQuote(folder)}`, commandLine({ ...workload, run }), 'code=$?', `echo "exit $code" > ${shellQuote(status)}`, 'exit $code', ''].join('\n');
    const jobId = await this.options.client.submit({
      name: `neurolake-${request.runId}`,
      folder,
      outputFile,
      environment: { PATH: '/usr/local/bin:/usr/bin:/bin', ...workload.environment, NEUROLAKE_RUN_ID: request.runId },
      cpus: Math.max(1, Math.ceil(workload.cpus)),
      memoryMb: Math.max(1, Math.ceil(workload.memoryGb * 1024)),
      timeLimitMinutes: Math.max(1, Math.ceil(workload.timeoutMinutes)),
      ...(this.options.partition === undefined ? {} : { partition: this.options.partition }),
      script,
    });
    return this.watch({ tier: 'cluster', jobId, logFile: outputFile, folder }, request);
  }

  /** A run whose inputs, script, outputs and log travel through the cloud tier by presigned URLs. */
  private async startStaged(request: ExecutionRequest): Promise<Execution> {
    const transfer = this.options.transfer;
    if (transfer === undefined) {
      throw new ComputeError(
        'refused',
        'A cluster run needs a way to carry its files: a folder both sides mount (neurolake.compute.slurm.sharedFolder) or the storage cloud tier (an S3 bucket); neither is set.',
      );
    }
    const { workload, runId } = request;
    const stage = `compute/${runId}/`;
    // Long enough for the job to wait in the cluster's queue and run to its timeout; SigV4 allows a week at most.
    const seconds = Math.min(7 * 24 * 3600, workload.timeoutMinutes * 60 + 24 * 3600);
    const downloads: { path: string; url: string }[] = [];
    for (const key of workload.inputs) downloads.push({ path: jobPath(key), url: await transfer.shareObject(key, `${stage}in/${key}`, seconds) });
    let run = workload.run;
    if (run.kind === 'script') {
      const path = `.neurolake/${basename(run.file)}`;
      downloads.push({ path, url: await transfer.shareFile(resolve(workload.workingFolder, run.file), `${stage}script/${basename(run.file)}`, seconds) });
      run = { ...run, file: path };
    }
    const uploads: { path: string; url: string }[] = [];
    for (const key of workload.outputs) uploads.push({ path: jobPath(key), url: await transfer.uploadUrl(`${stage}out/${key}`, seconds) });
    const script = stagedJobScript(commandLine({ ...workload, run }), { downloads, uploads, logUrl: await transfer.uploadUrl(`${stage}output.log`, seconds) });
    const jobId = await this.options.client.submit({
      name: `neurolake-${runId}`,
      folder: '/tmp',
      // The script keeps its own log and uploads it; nothing is written on the node outside its scratch folder.
      outputFile: '/dev/null',
      environment: { PATH: '/usr/local/bin:/usr/bin:/bin', ...workload.environment, NEUROLAKE_RUN_ID: runId },
      cpus: Math.max(1, Math.ceil(workload.cpus)),
      memoryMb: Math.max(1, Math.ceil(workload.memoryGb * 1024)),
      timeLimitMinutes: Math.max(1, Math.ceil(workload.timeoutMinutes)),
      ...(this.options.partition === undefined ? {} : { partition: this.options.partition }),
      script,
    });
    return this.watch({ tier: 'cluster', jobId, logFile: join(request.runFolder, 'output.log'), staged: stage }, request);
  }

  async attach(ref: ExecutionRef, request: ExecutionRequest): Promise<Execution> {
    if (ref.tier !== 'cluster') throw new Error('not a cluster run');
    return this.watch(ref, request);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private watch(ref: Extract<ExecutionRef, { tier: 'cluster' }>, request: ExecutionRequest): Execution {
    const client = this.options.client;
    let markRunning: (at: number) => void = () => undefined;
    const running = new Promise<number>((resolve) => (markRunning = resolve));
    let stopping: 'cancelled' | 'timed-out' | undefined;
    const done = new Promise<ExecutionOutcome>((resolve) => {
      const poll = async (): Promise<void> => {
        if (this.closed) return;
        let info: SlurmJobInfo | undefined;
        try {
          info = await client.job(ref.jobId);
          this.options.onReachability?.(undefined);
        } catch (error) {
          // Down for now: the job goes on there; keep looking.
          this.options.onReachability?.((error as Error).message, error);
          this.schedule(poll);
          return;
        }
        if (info === undefined) {
          resolve(await this.finish(ref, request, { state: 'lost', endedAt: Date.now(), detail: `the cluster no longer knows job ${ref.jobId}` }));
          return;
        }
        if (info.startTime !== undefined && info.state !== 'PENDING') markRunning(info.startTime);
        const end = FINISHED[info.state];
        if (end === undefined) {
          this.schedule(poll);
          return;
        }
        const state = stopping !== undefined && end === 'cancelled' ? stopping : end;
        const detail = info.state === 'COMPLETED' || info.state === 'FAILED' ? undefined : `Slurm job ${ref.jobId} ended ${info.state}${info.reason === undefined ? '' : ` (${info.reason})`}`;
        resolve(
          await this.finish(ref, request, {
            state: state === 'completed' && info.exitCode !== undefined && info.exitCode !== 0 ? 'failed' : state,
            ...(info.exitCode === undefined ? {} : { exitCode: info.exitCode }),
            ...(info.startTime === undefined ? {} : { startedAt: info.startTime }),
            endedAt: info.endTime ?? Date.now(),
            ...(detail === undefined ? {} : { detail }),
          }),
        );
      };
      void poll();
    });
    return {
      ref,
      done,
      running,
      cancel: async (why) => {
        stopping = why;
        await client.cancel(ref.jobId);
        await done;
      },
    };
  }

  private schedule(poll: () => Promise<void>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void poll();
    }, this.options.pollMs ?? 2000);
    this.timers.add(timer);
  }

  /** Fetches the log into the data folder and copies the outputs back; a missing output is said, not hidden. */
  private async finish(ref: Extract<ExecutionRef, { tier: 'cluster' }>, request: ExecutionRequest, outcome: ExecutionOutcome): Promise<ExecutionOutcome> {
    if (ref.staged !== undefined) return this.finishStaged(ref, ref.staged, request, outcome);
    const folder = ref.folder ?? dirname(ref.logFile);
    const problems: string[] = [];
    let exitCode = outcome.exitCode;
    if (outcome.state === 'lost') {
      // The job may have ended long ago: its own status file still tells how.
      const status = await readFile(join(folder, 'status'), 'utf8').catch(() => undefined);
      const match = status === undefined ? null : /exit (\d+)/.exec(status);
      if (match !== null) {
        exitCode = Number(match[1]);
        outcome = { ...outcome, state: exitCode === 0 ? 'completed' : 'failed', exitCode, detail: `the cluster no longer knows job ${ref.jobId}; its exit status was read from the shared folder` };
      }
    }
    const logFile = join(request.runFolder, 'output.log');
    await mkdir(request.runFolder, { recursive: true });
    try {
      await copyFile(ref.logFile, logFile);
    } catch (error) {
      problems.push(`its log could not be fetched: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (outcome.state === 'completed') {
      for (const file of request.workload.outputs) {
        try {
          await copyIn(folder, file, request.workload.workingFolder);
        } catch (error) {
          problems.push(`output ${file} could not be copied back: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
      }
    }
    const detail = [outcome.detail, ...problems].filter(Boolean).join('; ');
    return { ...outcome, logFile, ...(detail === '' ? {} : { detail }) };
  }

  /** Downloads the uploaded log, stores the outputs under their keys, then removes the staging copies. */
  private async finishStaged(ref: Extract<ExecutionRef, { tier: 'cluster' }>, stage: string, request: ExecutionRequest, outcome: ExecutionOutcome): Promise<ExecutionOutcome> {
    const transfer = this.options.transfer;
    const problems: string[] = [];
    const logFile = ref.logFile;
    if (transfer === undefined) {
      problems.push('its log and outputs are in the cloud tier, which is not configured here');
    } else {
      await mkdir(dirname(logFile), { recursive: true });
      try {
        if (!(await transfer.collectFile(`${stage}output.log`, logFile))) problems.push('the job uploaded no log');
      } catch (error) {
        problems.push(`its log could not be fetched: ${(error as Error).message}`);
      }
      if (outcome.state === 'completed') {
        for (const key of request.workload.outputs) {
          try {
            if (!(await transfer.collectObject(`${stage}out/${key}`, key))) problems.push(`the job uploaded no output ${key}`);
          } catch (error) {
            problems.push(`output ${key} could not be stored: ${(error as Error).message}`);
          }
        }
      }
      // Only once everything was collected: a failed collection leaves the copies for a look by hand.
      if (problems.length === 0) await transfer.discard(stage).catch((error: unknown) => problems.push(`its staging copies under ${stage} were not removed: ${(error as Error).message}`));
    }
    const detail = [outcome.detail, ...problems].filter(Boolean).join('; ');
    return { ...outcome, logFile, ...(detail === '' ? {} : { detail }) };
  }
}

/** A storage key as a path in the job's scratch folder; one that would leave it is refused. */
function jobPath(key: string): string {
  if (key.startsWith('/') || key.split('/').includes('..')) throw new ComputeError('invalid-workload', `The storage key ${key} cannot be a file in the job's folder: it must be relative and must not contain "..".`);
  return key;
}

/** Copies `file` (relative to `from`) to the same relative place under `to`; refuses paths that leave `from`. */
async function copyIn(from: string, file: string, to: string): Promise<void> {
  const source = resolve(from, file);
  const rel = relative(from, source);
  if (rel.startsWith('..')) throw new ComputeError('invalid-workload', `The file ${file} is outside the working folder ${from}; a cluster run can only take files from inside it.`);
  const target = join(to, rel);
  await mkdir(dirname(target), { recursive: true });
  await copyFile(source, target);
}
