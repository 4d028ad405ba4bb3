// The machine, measured: CPU utilisation from the OS's per-core time counters (deltas between
// samples, not the load average), available memory, free disk of the data folder, and what
// NeuroLake's own running workloads use, so the scheduler can tell their load from everyone else's.
import { statfs } from 'node:fs/promises';
import { cpus, freemem, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

export interface MachineSnapshot {
  readonly cpuCount: number;
  /** Busy share of all cores over the last sample, 0–100. */
  readonly cpuBusyPct: number;
  readonly memoryTotalGb: number;
  readonly memoryAvailableGb: number;
  /** Free space where the data folder is; undefined when it cannot be read. */
  readonly diskFreeGb?: number;
  /** Cores and memory NeuroLake's own running workloads use now. */
  readonly ownCores: number;
  readonly ownMemoryGb: number;
  readonly sampledAt: number;
}

const GB = 1024 ** 3;

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/** MemAvailable (what can be had without swapping), which os.freemem() understates on Linux. */
function availableMemory(): number {
  try {
    const match = /MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (match !== null) return Number(match[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return freemem();
}

export class MachineSampler {
  private last = cpuTimes();
  private busyPct = 0;
  private diskFreeGb: number | undefined;
  private own = { cores: 0, residentBytes: 0 };
  private timer: NodeJS.Timeout | undefined;
  private sampledAt = Date.now();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly dataFolder: string,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  onSample(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** What NeuroLake's own workloads use, reported by the local executor. */
  setOwnUsage(usage: { cores: number; residentBytes: number }): void {
    this.own = usage;
  }

  async sample(): Promise<MachineSnapshot> {
    const now = cpuTimes();
    const total = now.total - this.last.total;
    if (total > 0) this.busyPct = Math.min(100, Math.max(0, ((now.busy - this.last.busy) / total) * 100));
    this.last = now;
    this.sampledAt = Date.now();
    try {
      const info = await statfs(this.dataFolder);
      this.diskFreeGb = (info.bavail * info.bsize) / GB;
    } catch {
      this.diskFreeGb = undefined;
    }
    for (const listener of this.listeners) listener();
    return this.snapshot();
  }

  snapshot(): MachineSnapshot {
    return {
      cpuCount: cpus().length,
      cpuBusyPct: this.busyPct,
      memoryTotalGb: totalmem() / GB,
      memoryAvailableGb: availableMemory() / GB,
      ...(this.diskFreeGb === undefined ? {} : { diskFreeGb: this.diskFreeGb }),
      ownCores: this.own.cores,
      ownMemoryGb: this.own.residentBytes / GB,
      sampledAt: this.sampledAt,
    };
  }
}

/** What NeuroLake's workloads may hold now and at most, from a snapshot and the limits in percent. */
export function localCapacity(machine: MachineSnapshot, cpuLimitPct: number, memoryLimitPct: number): { now: { cpus: number; memoryGb: number }; limit: { cpus: number; memoryGb: number } } {
  const limitCpus = (machine.cpuCount * cpuLimitPct) / 100;
  const limitMemory = (machine.memoryTotalGb * memoryLimitPct) / 100;
  const othersCores = Math.max(0, (machine.cpuCount * machine.cpuBusyPct) / 100 - machine.ownCores);
  const othersMemory = Math.max(0, machine.memoryTotalGb - machine.memoryAvailableGb - machine.ownMemoryGb);
  return {
    now: { cpus: Math.max(0, limitCpus - othersCores), memoryGb: Math.max(0, limitMemory - othersMemory) },
    limit: { cpus: limitCpus, memoryGb: limitMemory },
  };
}
