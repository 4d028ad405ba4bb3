// The compute engine's run history turned into what the cost engine prices: one record per run
// that actually ran (it has a start and an end), on the tier it ran on, for as long as it ran, at
// the cost the compute engine recorded, and, for cluster runs, why it did not run here.
import { dayOf, type BurstReason, type ComputeRunRecord } from '../engines/cost';
import type { Run } from '../engines/compute';

const HOUR_MS = 3_600_000;

export function computeCostRecords(runs: readonly Run[]): ComputeRunRecord[] {
  const records: ComputeRunRecord[] = [];
  for (const run of runs) {
    if (run.startedAt === undefined || run.endedAt === undefined || run.tier === undefined) continue;
    const cloud = run.tier === 'cluster';
    records.push({
      id: run.id,
      day: dayOf(run.startedAt),
      tier: cloud ? 'cloud' : 'local',
      type: run.workload.type,
      hours: Math.max(0, run.endedAt - run.startedAt) / HOUR_MS,
      ...(run.costUsd !== undefined ? { costUsd: run.costUsd } : {}),
      ...(cloud ? { burstReason: burstReason(run) } : {}),
    });
  }
  return records;
}

/** Asked for the cluster, too large for this machine, or sent away because this machine was busy. */
function burstReason(run: Run): BurstReason {
  if (run.workload.tier === 'cluster') return 'requested';
  const local = run.decision.options.find((option) => option.tier === 'local');
  return local !== undefined && !local.possible ? 'too-large' : 'local-busy';
}
