// Reads a Standard Workload Format trace (the Parallel Workloads Archive's 18 columns a job, `;`
// header lines), gzip or xz, for the compute benchmark's replay.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface TraceJob {
  readonly id: number;
  /** Seconds from the trace's start. */
  readonly submit: number;
  readonly runSeconds: number;
  readonly processors: number;
}

export interface Trace {
  readonly jobs: readonly TraceJob[];
  /** The traced machine's size: the header's MaxNodes (or MaxProcs), else the largest job. */
  readonly machineSize: number;
}

export function readSwf(file: string): Trace {
  const raw = readFileSync(file);
  // Node has no xz; Debian's xz-utils does.
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : file.endsWith('.xz') ? execFileSync('xz', ['-dc', file], { maxBuffer: 1 << 28 }).toString('utf8') : raw.toString('utf8');
  const jobs: TraceJob[] = [];
  let machineSize = 0;
  for (const line of text.split('\n')) {
    const header = /^;\s*Max(?:Nodes|Procs):\s*(\d+)/.exec(line);
    if (header !== null) machineSize = Math.max(machineSize, Number(header[1]));
    if (line.startsWith(';') || line.trim() === '') continue;
    const fields = line.trim().split(/\s+/).map(Number);
    const [id, submit, , runSeconds, processors] = fields;
    if (id === undefined || submit === undefined || runSeconds === undefined || processors === undefined) continue;
    // Cancelled before they ran: no run time or no processors.
    if (runSeconds <= 0 || processors <= 0) continue;
    jobs.push({ id, submit, runSeconds, processors });
  }
  jobs.sort((a, b) => a.submit - b.submit || a.id - b.id);
  return { jobs, machineSize: machineSize || Math.max(...jobs.map((job) => job.processors)) };
}
