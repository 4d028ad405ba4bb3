// Optimizing placement: plan() replays the local tier's policy over the objects as they are and
// prices the moves it would make; apply() carries a plan out, one move at a time.
import { CancelledError, throwIfCancelled, type WorkOptions } from '../common';
import { human, type StorageCore } from './core';
import { monthlyCost, tierBytes } from './costs';
import { describeError } from './errors';
import { createDefaultLocalTierPolicy } from './placement';
import type { MoveKind, MoveResult, PlacementPlan, PlannedMove } from './types';

/** What optimizing would do: each move with its bytes, and the monthly cost before and after. */
export async function plan(core: StorageCore): Promise<PlacementPlan> {
  await core.index.refresh();
  const records = [...core.index.state.objects.values()];
  const moves: PlannedMove[] = [];
  const scratch = (core.options.policy ?? createDefaultLocalTierPolicy)(core.policyBudget());
  const residents = records.filter((record) => record.copies.local).sort((a, b) => (a.lastAccess < b.lastAccess ? -1 : 1));
  const evicted = new Set<string>();
  for (const record of residents) {
    for (const key of scratch.store(record.key, record.size, Date.parse(record.lastAccess)).evicted) evicted.add(key);
  }
  for (const record of residents) {
    if (!scratch.isResident(record.key)) evicted.add(record.key);
  }
  if (core.cloud !== undefined) {
    for (const key of evicted) {
      const record = core.index.state.objects.get(key)!;
      moves.push({ key, move: 'demote', bytes: record.size, from: 'local', to: 'cloud', reason: `least recently used; the local tier keeps ${human(core.policyBudget())}` });
    }
    const cutoff = new Date(Date.now() - core.config.archive.afterDays * 24 * 3600 * 1000).toISOString();
    for (const record of records) {
      if (record.copies.local && !evicted.has(record.key)) continue;
      if (record.copies.archive || record.lastAccess >= cutoff) continue;
      moves.push({ key: record.key, move: 'archive', bytes: record.size, from: 'cloud', to: 'archive', reason: `not read for ${core.config.archive.afterDays} days` });
    }
  }
  const before = tierBytes(records);
  const after = { local: before.local, cloud: before.cloud, archive: { ...before.archive } };
  const archiveClass = core.config.archive.storageClass;
  for (const move of moves) {
    const record = core.index.state.objects.get(move.key)!;
    if (move.move === 'demote') {
      after.local -= record.size;
      if (!record.copies.cloud) after.cloud += record.size;
    } else if (move.move === 'archive') {
      if (record.copies.local && !evicted.has(record.key)) after.local -= record.size;
      if (record.copies.cloud || evicted.has(record.key)) after.cloud -= record.size;
      after.archive[archiveClass] = (after.archive[archiveClass] ?? 0) + record.size;
    }
  }
  return {
    moves,
    bytesMoved: moves.reduce((sum, move) => sum + move.bytes, 0),
    monthlyCostBefore: monthlyCost(core.prices, before),
    monthlyCostAfter: monthlyCost(core.prices, after),
    prices: { preset: core.prices.preset, asOf: core.prices.asOf },
  };
}

/** Carries out a plan's moves; each one independently, so one failure does not stop the rest. */
export async function apply(plan: PlacementPlan, carryOut: (key: string, move: MoveKind, work: WorkOptions) => Promise<unknown>, work: WorkOptions = {}): Promise<MoveResult[]> {
  const results: MoveResult[] = [];
  for (const [index, move] of plan.moves.entries()) {
    throwIfCancelled(work.signal, 'Optimizing placement');
    work.progress?.report({ message: `${move.move} ${move.key}`, done: index, total: plan.moves.length, unit: 'items' });
    try {
      await carryOut(move.key, move.move, { ...(work.signal ? { signal: work.signal } : {}) });
      results.push({ key: move.key, move: move.move, ok: true });
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      results.push({ key: move.key, move: move.move, ok: false, error: describeError(error) });
    }
  }
  return results;
}
