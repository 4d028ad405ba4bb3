// What the storage plan view shows, worked out from the server's plan and results: the rows of
// the moves table, the cost table per tier before and after, and the sentence at the top. Pure
// (no DOM), so the figures a user reads are tested without a browser.
import type { StorageCost, StorageMoveResult, StoragePlan, StorageTier } from '../../server/protocol/storage';
import { formatBytes } from '../../src/views/storageRows';
import { MOVE_LABELS, TIER_LABELS } from '../../src/commands/storeTargets';

export interface PlanMoveRow {
  readonly key: string;
  readonly move: string;
  readonly bytes: string;
  readonly fromTo: string;
  readonly reason: string;
}

export interface CostRow {
  readonly tier: string;
  readonly before: string;
  readonly after: string;
  readonly change: string;
}

export interface PlanModel {
  /** No moves: the page says so and why, and offers no Apply. */
  readonly empty: boolean;
  readonly headline: string;
  readonly moves: readonly PlanMoveRow[];
  readonly costs: readonly CostRow[];
  /** The cost table's title, naming the prices its figures are at. */
  readonly costsTitle: string;
}

export interface ResultsModel {
  readonly summary: string;
  readonly rows: readonly { readonly key: string; readonly move: string; readonly ok: boolean; readonly outcome: string }[];
}

const TIERS: readonly StorageTier[] = ['local', 'cloud', 'archive'];

/**
 * Dollars a month: cents when there are some, else two significant digits (up to 8 decimals), so
 * a few megabytes' cost reads $0.00011 rather than $0.00.
 */
export function usd(amount: number): string {
  const abs = Math.abs(amount);
  const digits = abs >= 0.01 || abs < 1e-8 ? 2 : Math.min(8, Math.ceil(-Math.log10(abs)) + 1);
  return `${amount < 0 && abs >= 1e-8 ? '−' : ''}$${abs.toFixed(digits)}`;
}

/** A change in dollars with its sign; "no change" when there is none. */
function change(before: number, after: number): string {
  const delta = after - before;
  if (Math.abs(delta) < 1e-9) return 'no change';
  return `${delta > 0 ? '+' : '−'}${usd(Math.abs(delta))}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The monthly saving (negative: the plan costs more) and the sentence that says it. */
export function savingText(before: StorageCost, after: StorageCost): string {
  const saved = before.total - after.total;
  if (Math.abs(saved) < 1e-9) return `the monthly cost stays ${usd(before.total)}`;
  const percent = before.total > 0 ? ` (${Math.round((Math.abs(saved) / before.total) * 100)}%)` : '';
  return saved > 0 ? `saves ${usd(saved)} a month${percent}: ${usd(before.total)} → ${usd(after.total)}` : `costs ${usd(-saved)} a month more${percent}: ${usd(before.total)} → ${usd(after.total)}`;
}

export function planModel(plan: StoragePlan): PlanModel {
  const { monthlyCostBefore: before, monthlyCostAfter: after } = plan;
  const costs: CostRow[] = [
    ...TIERS.map((tier) => ({ tier: TIER_LABELS[tier], before: usd(before[tier]), after: usd(after[tier]), change: change(before[tier], after[tier]) })),
    { tier: 'Total', before: usd(before.total), after: usd(after.total), change: change(before.total, after.total) },
  ];
  const costsTitle = `Monthly cost by tier, at ${plan.prices.preset} prices of ${plan.prices.asOf}`;
  if (plan.moves.length === 0) {
    return {
      empty: true,
      headline: `Nothing to move: every object is already on the tier the placement policy chooses for it, so the monthly cost stays ${usd(before.total)}.`,
      moves: [],
      costs,
      costsTitle,
    };
  }
  const moves = plan.moves.map((move) => ({
    key: move.key,
    move: MOVE_LABELS[move.move],
    bytes: formatBytes(move.bytes),
    fromTo: `${TIER_LABELS[move.from]} → ${TIER_LABELS[move.to]}`,
    reason: move.reason,
  }));
  return {
    empty: false,
    headline: `${plural(plan.moves.length, 'move')} of ${formatBytes(plan.bytesMoved)}: ${savingText(before, after)}.`,
    moves,
    costs,
    costsTitle,
  };
}

/** After Apply: each move's outcome in words, how many were done, and the monthly cost now. */
export function resultsModel(results: readonly StorageMoveResult[], was: StorageCost, now: StorageCost): ResultsModel {
  const failed = results.filter((result) => !result.ok).length;
  const done = results.length - failed;
  const moves = failed === 0 ? `Applied: ${plural(done, 'move')} done.` : `Applied: ${done} of ${plural(results.length, 'move')} done, ${failed} failed.`;
  const summary = `${moves} Monthly cost now ${usd(now.total)} (was ${usd(was.total)}).`;
  return {
    summary,
    rows: results.map((result) => ({ key: result.key, move: MOVE_LABELS[result.move], ok: result.ok, outcome: result.ok ? 'done' : `failed: ${result.error ?? 'no reason given'}` })),
  };
}
