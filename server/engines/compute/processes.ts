// What /proc says about a process group: CPU time and resident memory of every process in it, so
// the local executor can report a run's CPU time and peak memory and the machine sampler can tell
// NeuroLake's own load from everyone else's. Linux only; elsewhere the figures are absent.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux NeuroLake runs on
const PAGE_BYTES = 4096;

export interface GroupUsage {
  readonly processes: number;
  readonly cpuSeconds: number;
  readonly residentBytes: number;
}

/** Sums CPU time (with reaped children) and resident memory over the processes of group `pgid`. */
export function groupUsage(pgid: number): GroupUsage | undefined {
  if (process.platform !== 'linux') return undefined;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let processes = 0;
  let ticks = 0;
  let pages = 0;
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended between the listing and the read
    }
    // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    processes++;
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    pages += Number(fields[21]);
  }
  return processes === 0 ? undefined : { processes, cpuSeconds: ticks / TICKS_PER_SECOND, residentBytes: pages * PAGE_BYTES };
}

/** Signals a whole process group; false when it is gone already. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
