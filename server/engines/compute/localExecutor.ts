// Runs workloads on this machine: each in its own process group (so cancel stops everything it
// started), stdout and stderr into a log file in the run's folder, which readers follow live.
//
// Why a wrapper shell: it outlives nothing and costs nothing, but it writes the exit code and the
// CPU time of the command (the shell's `times`) to a status file as the command ends. So a run
// that outlived a killed server still ends with its real exit code when a new process re-attaches
// to it, and a run with no status file and no process is honestly `lost`.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ComputeError } from './errors';
import type { Execution, ExecutionOutcome, ExecutionRequest, Executor } from './executor';
import { processAlive } from '../common';
import { groupUsage, signalGroup } from './processes';
import type { ExecutionRef, Workload } from './types';

const WRAPPER = '/bin/sh -c "$1"; code=$?; { times; echo "exit $code"; } > "$2.tmp" && mv "$2.tmp" "$2"; exit $code';
const SAMPLE_MS = 500;
const KILL_GRACE_MS = 3000;

/** How a script file is run, by its extension, when the workload names no interpreter. */
const INTERPRETERS: Readonly<Record<string, string>> = {
  py: 'python3',
  sh: 'sh',
  bash: 'bash',
  js: 'node',
  mjs: 'node',
  cjs: 'node',
  ts: 'npx --yes tsx',
  r: 'Rscript',
  rb: 'ruby',
  pl: 'perl',
};

/** The shell command line a workload runs. */
export function commandLine(workload: Workload): string {
  const run = workload.run;
  if (run.kind === 'shell') return run.command;
  const extension = /\.([^./]+)$/.exec(run.file)?.[1]?.toLowerCase() ?? '';
  const interpreter = run.interpreter ?? INTERPRETERS[extension];
  const parts = [run.file, ...(run.args ?? [])].map(shellQuote).join(' ');
  return interpreter === undefined ? parts : `${interpreter} ${parts}`;
}

export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface LocalExecutorOptions {
  /** Called with the CPU cores NeuroLake's running workloads used over the last sample. */
  readonly onUsage?: (usage: { cores: number; residentBytes: number }) => void;
}

interface Watched {
  readonly pid: number;
  lastCpu: number;
  lastAt: number;
  cores: number;
  resident: number;
  peak: number;
  cpuSeconds: number;
}

export class LocalExecutor implements Executor {
  readonly tier = 'local' as const;
  private readonly watched = new Set<Watched>();
  private sampler: NodeJS.Timeout | undefined;

  constructor(private readonly options: LocalExecutorOptions = {}) {}

  /** How a run whose pid was never recorded ended, from the status file its wrapper writes in the run folder; undefined while unknown. */
  endedStatus(runFolder: string): ReturnType<typeof readStatus> {
    return readStatus(join(runFolder, 'status'));
  }

  async start(request: ExecutionRequest): Promise<Execution> {
    // Node reports a missing working folder as "spawn /bin/sh ENOENT", as if the shell were missing.
    const folder = request.workload.workingFolder;
    const info = await stat(folder).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) throw new ComputeError('invalid-workload', `The working folder ${folder} ${info === undefined ? 'does not exist' : 'is not a folder'}.`);
    await mkdir(request.runFolder, { recursive: true });
    const logFile = join(request.runFolder, 'output.log');
    const statusFile = join(request.runFolder, 'status');
    const fd = openSync(logFile, 'a');
    let child;
    // Taken before the spawn: on a loaded machine the 'spawn' event can be handled after a short
    // command has already finished, and a start read then would come after its end.
    const startedAt = Date.now();
    try {
      child = spawn('/bin/sh', ['-c', WRAPPER, 'neurolake-run', commandLine(request.workload), statusFile], {
        cwd: request.workload.workingFolder,
        env: { ...process.env, ...request.workload.environment, NEUROLAKE_RUN_ID: request.runId },
        stdio: ['ignore', fd, fd],
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', reject);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.unref();
    const ref: ExecutionRef = { tier: 'local', pid, statusFile, logFile };
    return this.watch(ref, startedAt, exited);
  }

  async attach(ref: ExecutionRef, _request: ExecutionRequest): Promise<Execution> {
    if (ref.tier !== 'local') throw new Error('not a local run');
    // Not our child any more: its end is seen by polling, its exit code read from the status file.
    const gone = (): boolean => !processAlive(ref.pid) || (process.platform === 'linux' && groupUsage(ref.pid) === undefined);
    const exited = new Promise<{ code: null; signal: null }>((resolve) => {
      if (gone()) {
        resolve({ code: null, signal: null });
        return;
      }
      const poll = setInterval(() => {
        if (!gone()) return;
        clearInterval(poll);
        resolve({ code: null, signal: null });
      }, SAMPLE_MS);
    });
    return this.watch(ref, Date.now(), exited, true);
  }

  close(): void {
    clearInterval(this.sampler);
    this.sampler = undefined;
  }

  private watch(ref: Extract<ExecutionRef, { tier: 'local' }>, startedAt: number, exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>, attached = false): Execution {
    const watched: Watched = { pid: ref.pid, lastCpu: 0, lastAt: Date.now(), cores: 0, resident: 0, peak: 0, cpuSeconds: 0 };
    this.watched.add(watched);
    this.ensureSampler();
    let stopping: 'cancelled' | 'timed-out' | undefined;
    const done = exited.then(async ({ code, signal }): Promise<ExecutionOutcome> => {
      this.watched.delete(watched);
      const status = await readStatus(ref.statusFile);
      // A run that ended while nobody watched ended when its status file was written.
      // The status file's time can read a few milliseconds early (file system clock granularity).
      const endedAt = Math.max(status?.writtenAt ?? Date.now(), startedAt);
      const common = { endedAt, ...(watched.peak > 0 ? { peakMemoryBytes: watched.peak } : {}) };
      const cpuSeconds = status?.cpuSeconds ?? (watched.cpuSeconds > 0 ? watched.cpuSeconds : undefined);
      if (stopping !== undefined) return { ...common, state: stopping, ...(cpuSeconds === undefined ? {} : { cpuSeconds }), detail: stopping === 'timed-out' ? 'stopped: it ran past its timeout' : 'cancelled' };
      if (status !== undefined) {
        return { ...common, state: status.exitCode === 0 ? 'completed' : 'failed', exitCode: status.exitCode, cpuSeconds: status.cpuSeconds, ...(status.exitCode > 128 ? { detail: `ended by signal ${status.exitCode - 128}` } : {}) };
      }
      if (signal !== null) return { ...common, state: 'failed', detail: `killed by ${signal}` };
      if (code !== null) return { ...common, state: code === 0 ? 'completed' : 'failed', exitCode: code };
      return { ...common, state: 'lost', detail: attached ? `process ${ref.pid} ended while no NeuroLake was watching it, and left no exit status` : `process ${ref.pid} ended without an exit status` };
    });
    return {
      ref,
      done,
      running: Promise.resolve(startedAt),
      cancel: async (why) => {
        stopping = why;
        if (!signalGroup(ref.pid, 'SIGTERM')) return;
        const timer = setTimeout(() => signalGroup(ref.pid, 'SIGKILL'), KILL_GRACE_MS);
        await done;
        clearTimeout(timer);
        // Anything in the group that ignored SIGTERM and outlived the leader.
        signalGroup(ref.pid, 'SIGKILL');
      },
    };
  }

  private ensureSampler(): void {
    if (this.sampler !== undefined) return;
    this.sampler = setInterval(() => this.sample(), SAMPLE_MS);
    this.sampler.unref();
  }

  private sample(): void {
    if (this.watched.size === 0) {
      this.close();
      this.options.onUsage?.({ cores: 0, residentBytes: 0 });
      return;
    }
    let cores = 0;
    let resident = 0;
    const now = Date.now();
    for (const watched of this.watched) {
      const usage = groupUsage(watched.pid);
      if (usage === undefined) continue;
      const elapsed = (now - watched.lastAt) / 1000;
      if (watched.lastCpu > 0 && elapsed > 0) watched.cores = Math.max(0, (usage.cpuSeconds - watched.lastCpu) / elapsed);
      watched.lastCpu = usage.cpuSeconds;
      watched.lastAt = now;
      watched.cpuSeconds = Math.max(watched.cpuSeconds, usage.cpuSeconds);
      watched.resident = usage.residentBytes;
      watched.peak = Math.max(watched.peak, usage.residentBytes);
      cores += watched.cores;
      resident += usage.residentBytes;
    }
    this.options.onUsage?.({ cores, residentBytes: resident });
  }
}

/** The wrapper's status file: `times` (shell, then children: "0m1.23s 0m0.04s") and "exit N". */
export async function readStatus(file: string): Promise<{ exitCode: number; cpuSeconds: number; writtenAt: number } | undefined> {
  let text: string;
  let writtenAt: number;
  try {
    text = await readFile(file, 'utf8');
    writtenAt = (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
  const exit = /exit (\d+)/.exec(text);
  if (exit === null) return undefined;
  const lines = text.split('\n').filter((line) => /\dm[\d.]+s/.test(line));
  const children = lines[1] ?? lines[0] ?? '';
  const cpuSeconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, match) => sum + Number(match[1]) * 60 + Number(match[2]), 0);
  return { exitCode: Number(exit[1]), cpuSeconds, writtenAt: Math.round(writtenAt) };
}
