// What to change next, derived from the records: each recommendation says what the records show,
// what it would save a month, and, where the engines can carry it out, the action that does it.
import { AVERAGE_MONTH_DAYS, monthlyRate, runCostUsd, type CostSummary } from './costs';
import type { CapacityPoint } from './capacityCurve';
import { egressUsd, localComputeUsdPerHour, type PriceBook } from '../prices';
import { DAY_MS, GB, WORKLOAD_TYPES, type ComputeLimits, type ComputeRunRecord, type ObjectRecord, type WorkloadType } from './records';

export type Priority = 'high' | 'medium' | 'low';

/** What an engine does when the user applies a recommendation. */
export type EngineAction =
  | { readonly kind: 'archive-keys'; readonly keys: readonly string[] }
  | { readonly kind: 'set-local-capacity'; readonly capacityBytes: number }
  | { readonly kind: 'set-compute-limit'; readonly limit: keyof ComputeLimits; readonly value: number };

export interface Recommendation {
  /** Stable while the situation lasts, so a recommendation can be applied by id. */
  readonly id: string;
  readonly priority: Priority;
  readonly recommendation: string;
  readonly impact: string;
  readonly estimated_savings_usd_month: number;
  readonly action?: EngineAction;
}

export interface RecommendationInput {
  readonly book: PriceBook;
  readonly summary: CostSummary;
  readonly runs?: readonly ComputeRunRecord[];
  readonly objects?: readonly ObjectRecord[];
  /** The time the object ages are measured at. */
  readonly now: number;
  /** Objects unread this long are proposed for the archive (90 days unless told). */
  readonly archiveAfterDays?: number;
  /** The replayed hit-ratio curve, the current capacity (a point of the curve) and the days the replay covered. */
  readonly capacity?: {
    readonly currentBytes: number;
    readonly curve: readonly CapacityPoint[];
    readonly periodDays: number;
    /** The most the local disk can give the tier; larger points of the curve are not proposed. */
    readonly maxBytes?: number;
  };
  readonly computeLimits?: ComputeLimits;
  /** Price of a local machine that could take over a workload type, and its life (the book's when absent). */
  readonly candidateMachine?: { readonly machineUsd: number; readonly lifeMonths?: number };
}

/** Cloud runs of a type in the period before a machine for it is worth considering. */
const MIN_BURSTS_FOR_MACHINE = 4;
export const DEFAULT_CANDIDATE_MACHINE_USD = 2000;
const MAX_CPU_LIMIT_PCT = 95;

export function recommend(input: RecommendationInput): Recommendation[] {
  const monthlyTotal = monthlyRate(input.summary.days);
  const periodDays = Math.max(1, input.summary.days.length);
  const perMonth = AVERAGE_MONTH_DAYS / periodDays;
  const found = [
    archiveColdObjects(input),
    localCapacity(input),
    ...localMachines(input, perMonth),
    computeLimit(input, perMonth),
    archiveMinimum(input, perMonth),
  ].filter((r): r is Omit<Recommendation, 'priority'> => r !== undefined && r.estimated_savings_usd_month >= 0.01);
  return found
    .map((r) => ({ ...r, priority: priorityOf(r.estimated_savings_usd_month, monthlyTotal) }))
    .sort((a, b) => b.estimated_savings_usd_month - a.estimated_savings_usd_month);
}

/** High: at least a tenth of the monthly bill or $50; medium: a fiftieth or $5. */
export function priorityOf(savingsUsdMonth: number, monthlyTotalUsd: number): Priority {
  const share = monthlyTotalUsd > 0 ? savingsUsdMonth / monthlyTotalUsd : 1;
  if (share >= 0.1 || savingsUsdMonth >= 50) return 'high';
  if (share >= 0.02 || savingsUsdMonth >= 5) return 'medium';
  return 'low';
}

function archiveColdObjects({ book, objects, now, archiveAfterDays = 90 }: RecommendationInput): Omit<Recommendation, 'priority'> | undefined {
  const cutoff = now - archiveAfterDays * DAY_MS;
  const cold: ObjectRecord[] = [];
  let bytes = 0;
  for (const o of objects ?? []) {
    if (o.tier !== 'cloud' || o.pinned === true || o.lastAccessAt > cutoff) continue;
    cold.push(o);
    bytes += o.sizeBytes;
  }
  if (cold.length === 0) return undefined;
  // In the order the storage engine listed them: sorting tens of thousands of keys would cost the
  // dashboard more than it tells anyone.
  const keys = cold.map((o) => o.key);
  const gb = bytes / GB;
  const cloud = book.storage.cloud;
  const archive = book.storage.archive;
  const savings = gb * (cloud.usdPerGbMonth - archive.usdPerGbMonth);
  const transitionUsd = (cold.length / 1000) * archive.writeUsdPer1000;
  return {
    id: `archive-unread-${archiveAfterDays}d`,
    recommendation: `Archive ${count(cold.length, 'object')} (${gbText(gb)}) unread for ${archiveAfterDays} days or more`,
    impact:
      `Moves them from ${cloud.label} ($${cloud.usdPerGbMonth}/GB-month) to ${archive.label} ($${archive.usdPerGbMonth}/GB-month) for a one-time $${transitionUsd.toFixed(2)} in requests. ` +
      `Reading one back then takes a restore at $${archive.retrievalUsdPerGb}/GB, and removing one within ${archive.minimumDays} days is charged for the rest of them.`,
    estimated_savings_usd_month: savings,
    action: { kind: 'archive-keys', keys },
  };
}

function localCapacity({ book, capacity }: RecommendationInput): Omit<Recommendation, 'priority'> | undefined {
  if (capacity === undefined || capacity.curve.length < 2) return undefined;
  const perMonth = AVERAGE_MONTH_DAYS / Math.max(1, capacity.periodDays);
  // A month at a capacity: the disk it holds, and the misses read out of the cloud (egress and GETs).
  const monthlyCost = (point: CapacityPoint): number =>
    (point.capacityBytes / GB) * book.local.storageUsdPerGbMonth +
    egressUsd(book.egress, (point.missBytes / GB) * perMonth) +
    (((point.reads - point.hits) * perMonth) / 1000) * book.storage.cloud.readUsdPer1000;
  const current = capacity.curve.find((p) => p.capacityBytes === capacity.currentBytes);
  if (current === undefined) return undefined;
  const fits = capacity.curve.filter((p) => capacity.maxBytes === undefined || p.capacityBytes <= capacity.maxBytes);
  const best = fits.reduce((a, b) => (monthlyCost(b) < monthlyCost(a) - 1e-9 ? b : a), current);
  if (best === current) return undefined;
  const grow = best.capacityBytes > current.capacityBytes;
  return {
    id: 'local-capacity',
    recommendation: `${grow ? 'Raise' : 'Lower'} the local tier's capacity from ${gbText(current.capacityBytes / GB)} to ${gbText(best.capacityBytes / GB)}`,
    impact:
      `Replaying the last ${count(Math.max(1, Math.round(capacity.periodDays)), 'day')} of reads through the placement policy, the local hit ratio goes from ${pct(current.hitRatio)} to ${pct(best.hitRatio)}` +
      ` and the data read from the cloud from ${gbText((current.missBytes / GB) * perMonth)} to ${gbText((best.missBytes / GB) * perMonth)} a month.`,
    estimated_savings_usd_month: monthlyCost(current) - monthlyCost(best),
    action: { kind: 'set-local-capacity', capacityBytes: best.capacityBytes },
  };
}

function localMachines({ book, runs = [], candidateMachine }: RecommendationInput, perMonth: number): Omit<Recommendation, 'priority'>[] {
  const machineUsd = candidateMachine?.machineUsd ?? DEFAULT_CANDIDATE_MACHINE_USD;
  const lifeMonths = candidateMachine?.lifeMonths ?? book.local.lifeMonths;
  const powerPerHour = localComputeUsdPerHour(book.local);
  const out: Omit<Recommendation, 'priority'>[] = [];
  for (const type of WORKLOAD_TYPES) {
    const bursts = runs.filter((r) => r.tier === 'cloud' && r.type === type);
    if (bursts.length < MIN_BURSTS_FOR_MACHINE) continue;
    const cloudUsd = bursts.reduce((total, r) => total + (runCostUsd(book, r)), 0) * perMonth;
    const hours = bursts.reduce((total, r) => total + r.hours, 0) * perMonth;
    const runningSavings = cloudUsd - hours * powerPerHour;
    const savings = runningSavings - machineUsd / lifeMonths;
    if (savings <= 0) continue;
    out.push({
      id: `local-machine-${type}`,
      recommendation: `Run ${typeName(type)} on a local machine instead of bursting to the cloud`,
      impact:
        `${count(Math.round(bursts.length * perMonth), 'run')} a month (${hours.toFixed(1)} h) went to the cloud for $${cloudUsd.toFixed(2)}. ` +
        `A $${machineUsd.toFixed(0)} machine written off over ${lifeMonths} months pays for itself in ${(machineUsd / runningSavings).toFixed(1)} months.`,
      estimated_savings_usd_month: savings,
    });
  }
  return out;
}

function computeLimit({ book, runs = [], computeLimits }: RecommendationInput, perMonth: number): Omit<Recommendation, 'priority'> | undefined {
  if (computeLimits === undefined || computeLimits.localCpuLimitPct >= MAX_CPU_LIMIT_PCT) return undefined;
  const busy = runs.filter((r) => r.tier === 'cloud' && r.burstReason === 'local-busy');
  if (busy.length === 0) return undefined;
  const current = computeLimits.localCpuLimitPct;
  const value = Math.min(MAX_CPU_LIMIT_PCT, current + 10);
  // Runs sent away at a busy moment are taken to be spread evenly over the load above the limit,
  // so raising it keeps that share of them local.
  const keptLocal = (value - current) / (100 - current);
  const cloudUsd = busy.reduce((total, r) => total + (runCostUsd(book, r)), 0) * perMonth;
  const hours = busy.reduce((total, r) => total + r.hours, 0) * perMonth;
  const savings = keptLocal * (cloudUsd - hours * localComputeUsdPerHour(book.local));
  return {
    id: 'compute-local-cpu-limit',
    recommendation: `Raise the local CPU limit from ${current}% to ${value}%`,
    impact: `${count(Math.round(busy.length * perMonth), 'run')} a month burst to the cloud only because the machine was above ${current}% CPU, costing $${cloudUsd.toFixed(2)}; about ${pct(keptLocal)} of them would stay local.`,
    estimated_savings_usd_month: savings,
    action: { kind: 'set-compute-limit', limit: 'localCpuLimitPct', value },
  };
}

function archiveMinimum({ book, summary }: RecommendationInput, perMonth: number): Omit<Recommendation, 'priority'> | undefined {
  const early = summary.storageByTier.archive.earlyRemovalUsd * perMonth;
  if (early <= 0) return undefined;
  const days = book.storage.archive.minimumDays;
  return {
    id: 'archive-minimum-duration',
    recommendation: `Archive only data that will stay at least ${days} days`,
    impact: `Objects left the archive before its ${days}-day minimum and were charged for the remaining days: $${early.toFixed(2)} a month.`,
    estimated_savings_usd_month: early,
  };
}

function typeName(type: WorkloadType): string {
  return { query: 'queries', etl: 'ETL jobs', ml: 'ML training', migration: 'migrations' }[type];
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function gbText(gb: number): string {
  return gb >= 1000 ? `${(gb / 1024).toFixed(2)} TB` : gb >= 10 ? `${gb.toFixed(0)} GB` : `${gb.toFixed(2)} GB`;
}

/** A share in percent, to a tenth where a whole number would round 99.5% up to a misleading 100%. */
function pct(ratio: number): string {
  const whole = Math.round(ratio * 100);
  return Math.abs(whole - ratio * 100) < 0.05 ? `${whole}%` : `${(ratio * 100).toFixed(1)}%`;
}
