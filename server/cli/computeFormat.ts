// How `neurolake compute` shows runs, decisions and statistics to people (--json prints the objects).
import { duration, type ComputeStats, type Decision, type Run } from '../engines/compute';

function usd(value: number | undefined): string {
  return value === undefined ? '-' : `$${value.toFixed(value < 0.01 && value > 0 ? 4 : 2)}`;
}

function elapsed(run: Run, now = Date.now()): string {
  if (run.startedAt === undefined) return '-';
  return duration((run.endedAt ?? now) - run.startedAt);
}

export function formatDecision(decision: Decision): string {
  const lines = [decision.reason];
  for (const option of decision.options) {
    const start = option.estimatedStart === undefined ? '-' : option.estimatedStart <= decision.decidedAt ? 'now' : `in ${duration(option.estimatedStart - decision.decidedAt)}`;
    lines.push(`  ${option.tier.padEnd(8)} ${option.possible ? 'possible' : 'no      '} start ${start.padEnd(12)} cost ${usd(option.estimatedCostUsd)}${option.why === undefined ? '' : `  (${option.why})`}`);
  }
  return lines.join('\n');
}

export function formatRuns(runs: readonly Run[]): string {
  if (runs.length === 0) return 'No runs.';
  const rows = runs.map((run) => [run.id, run.state, run.tier ?? '-', run.workload.type, elapsed(run), usd(run.costUsd), run.exitCode === undefined ? '' : `exit ${run.exitCode}`]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

export function formatRun(run: Run): string {
  const w = run.workload;
  const lines = [
    `${run.id}  ${run.state}${run.tier === undefined ? '' : ` on ${run.tier}`}${run.exitCode === undefined ? '' : `, exit ${run.exitCode}`}`,
    `workload: ${w.name} (${w.type}, id ${w.id}), attempt ${run.attempt}`,
    `runs:     ${w.run.kind === 'shell' ? w.run.command : `${w.run.interpreter ?? ''} ${w.run.file}`.trim()}  in ${w.workingFolder}`,
    `needs:    ${w.cpus} CPU, ${w.memoryGb} GB, about ${duration(w.estimatedMinutes * 60_000)}; priority ${w.priority}, max wait ${duration(w.maxWaitMinutes * 60_000)}${w.budgetUsd === undefined ? '' : `, budget ${usd(w.budgetUsd)}`}`,
    `submitted ${new Date(run.submittedAt).toISOString()}${run.startedAt === undefined ? '' : `, started ${new Date(run.startedAt).toISOString()}`}${run.endedAt === undefined ? '' : `, ended ${new Date(run.endedAt).toISOString()}`}`,
    `elapsed:  ${elapsed(run)}${run.cpuSeconds === undefined ? '' : `, CPU ${run.cpuSeconds.toFixed(2)} s`}${run.peakMemoryBytes === undefined ? '' : `, peak memory ${(run.peakMemoryBytes / 1024 / 1024).toFixed(1)} MB`}, cost ${usd(run.costUsd)}`,
  ];
  if (run.execution !== undefined) lines.push(`where:    ${run.execution.tier === 'local' ? `pid ${run.execution.pid}` : `Slurm job ${run.execution.jobId}`}; log ${run.execution.logFile}`);
  if (run.detail !== undefined) lines.push(`detail:   ${run.detail}`);
  if (run.retriedBy !== undefined) lines.push(`retried:  by ${run.retriedBy}`);
  lines.push(`decision: ${formatDecision(run.decision).replace(/\n/g, '\n          ')}`);
  return lines.join('\n');
}

export function formatStats(stats: ComputeStats): string {
  const group = (counts: Readonly<Record<string, number>>): string =>
    Object.entries(counts)
      .map(([key, count]) => `${key} ${count}`)
      .join(', ') || '-';
  const wait = stats.queueWaitSeconds;
  return [
    `runs: ${stats.runs}`,
    `  by tier:  ${group(stats.byTier)}`,
    `  by type:  ${group(stats.byType)}`,
    `  by state: ${group(stats.byState)}`,
    `cost ${usd(stats.costUsd)}; all on the cluster it would have been ${usd(stats.cloudOnlyCostUsd)}: saved ${usd(stats.savedUsd)}`,
    wait === undefined ? 'queue wait: no run started yet' : `queue wait p50 ${duration(wait.p50 * 1000)}, p95 ${duration(wait.p95 * 1000)}, p99 ${duration(wait.p99 * 1000)}`,
  ].join('\n');
}
