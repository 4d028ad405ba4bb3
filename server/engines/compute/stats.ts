// Statistics over the run history: runs by tier, type and state, what they cost, what the same
// runs would have cost all on the cluster, and how long they waited in the queue.
import { computeCost, type ComputePrices } from '../prices';
import type { Run, RunState } from './types';

export interface ComputeStats {
  readonly runs: number;
  readonly byTier: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
  readonly byState: Partial<Readonly<Record<RunState, number>>>;
  readonly costUsd: number;
  /** The same finished runs, for as long, all on the cluster. */
  readonly cloudOnlyCostUsd: number;
  readonly savedUsd: number;
  /** Seconds from submission to start, over runs that started. */
  readonly queueWaitSeconds: { readonly p50: number; readonly p95: number; readonly p99: number } | undefined;
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function computeStats(runs: readonly Run[], prices: ComputePrices): ComputeStats {
  const byTier: Record<string, number> = {};
  const byType: Record<string, number> = {};
  const byState: Record<string, number> = {};
  let costUsd = 0;
  let cloudOnlyCostUsd = 0;
  const waits: number[] = [];
  for (const run of runs) {
    count(byTier, run.tier ?? 'none');
    count(byType, run.workload.type);
    count(byState, run.state);
    costUsd += run.costUsd ?? 0;
    if (run.startedAt !== undefined && run.endedAt !== undefined) {
      cloudOnlyCostUsd += computeCost(prices, 'cluster', run.workload.cpus, run.workload.memoryGb, (run.endedAt - run.startedAt) / 1000);
    }
    if (run.startedAt !== undefined) waits.push(Math.max(0, (run.startedAt - run.submittedAt) / 1000));
  }
  waits.sort((a, b) => a - b);
  return {
    runs: runs.length,
    byTier,
    byType,
    byState,
    costUsd,
    cloudOnlyCostUsd,
    savedUsd: cloudOnlyCostUsd - costUsd,
    queueWaitSeconds: waits.length === 0 ? undefined : { p50: percentileOf(waits, 50), p95: percentileOf(waits, 95), p99: percentileOf(waits, 99) },
  };
}
