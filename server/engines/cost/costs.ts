// What the recorded storage and compute cost, by day, by tier and by workload type: storage by
// the GB-month, requests by the thousand, archive retrievals, egress after the month's free
// allowance, and the rest of the minimum duration for objects removed too early.
import { CostError } from './errors';
import { STORAGE_TIERS, egressUsd, localComputeUsdPerHour, storageUsdPerGbMonth, type PriceBook, type StorageTier } from '../prices';
import { COMPUTE_TIERS, WORKLOAD_TYPES, type ComputeTier, daysBetween, daysInMonth, isDay, type ComputeRunRecord, type Day, type StorageUsageRecord, type WorkloadType } from './records';

export interface StorageCharges {
  readonly storageUsd: number;
  readonly requestUsd: number;
  readonly retrievalUsd: number;
  readonly egressUsd: number;
  readonly earlyRemovalUsd: number;
  readonly totalUsd: number;
  readonly gbMonths: number;
  readonly egressGb: number;
}

export interface ComputeCharges {
  readonly runs: number;
  readonly hours: number;
  readonly usd: number;
}

export interface DailyCost {
  readonly day: Day;
  /** Every storage charge of the day, by tier. */
  readonly storage: Readonly<Record<StorageTier, number>>;
  readonly compute: Readonly<Record<ComputeTier, number>>;
  readonly computeByType: Readonly<Record<WorkloadType, number>>;
  readonly totalUsd: number;
}

export interface CostSummary {
  /** Every day from the first record to the last, days without records at 0. */
  readonly days: readonly DailyCost[];
  readonly storageByTier: Readonly<Record<StorageTier, StorageCharges>>;
  readonly computeByTier: Readonly<Record<ComputeTier, ComputeCharges>>;
  readonly computeByType: Readonly<Record<WorkloadType, Readonly<Record<ComputeTier, ComputeCharges>>>>;
  readonly storageUsd: number;
  readonly computeUsd: number;
  readonly totalUsd: number;
  readonly prices: { readonly name: string; readonly asOf: string };
}

type MutableCharges = { -readonly [K in keyof StorageCharges]: number };
type MutableCompute = { -readonly [K in keyof ComputeCharges]: number };

/** Prices every record and adds them up by day, tier and workload type. */
export function summariseCosts(book: PriceBook, storage: readonly StorageUsageRecord[], runs: readonly ComputeRunRecord[]): CostSummary {
  // A year of records repeats a few hundred days; each distinct day is parsed once.
  const validDays = new Set<string>();
  const isValidDay = (day: unknown): boolean => {
    if (typeof day === 'string' && validDays.has(day)) return true;
    if (!isDay(day)) return false;
    validDays.add(day);
    return true;
  };
  storage.forEach((record, i) => checkStorageRecord(record, i, isValidDay));
  runs.forEach((run, i) => checkRun(run, i, book, isValidDay));
  let first: Day | undefined;
  let last: Day | undefined;
  for (const { day } of [...storage, ...runs]) {
    if (first === undefined || day < first) first = day;
    if (last === undefined || day > last) last = day;
  }
  const daily = new Map<Day, { storage: Record<StorageTier, number>; compute: Record<ComputeTier, number>; computeByType: Record<WorkloadType, number> }>();
  for (const day of first === undefined || last === undefined ? [] : daysBetween(first, last)) {
    daily.set(day, { storage: zeroes(STORAGE_TIERS), compute: zeroes(COMPUTE_TIERS), computeByType: zeroes(WORKLOAD_TYPES) });
  }

  const storageByTier = Object.fromEntries(STORAGE_TIERS.map((tier) => [tier, emptyCharges()])) as Record<StorageTier, MutableCharges>;
  // The free allowance and the bands apply to a month's egress across tiers, so the egress of a
  // day costs what it adds to the month's bill: the earliest reads of a month use up the free GB.
  const monthEgressGb = new Map<string, number>();
  const inDayOrder = storage.every((r, i) => i === 0 || (storage[i - 1] as StorageUsageRecord).day <= r.day) ? storage : [...storage].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (const record of inDayOrder) {
    const charges = storageByTier[record.tier];
    const storageUsd = record.gbMonths * storageUsdPerGbMonth(book, record.tier);
    let requestUsd = 0;
    let retrievalUsd = 0;
    let earlyRemovalUsd = 0;
    let egress = 0;
    if (record.tier !== 'local') {
      const price = book.storage[record.tier];
      requestUsd = (record.writeRequests / 1000) * price.writeUsdPer1000 + (record.readRequests / 1000) * price.readUsdPer1000;
      retrievalUsd = record.retrievalGb * price.retrievalUsdPerGb;
      earlyRemovalUsd = ((record.earlyRemovalGbDays ?? 0) / daysInMonth(record.day)) * price.usdPerGbMonth;
      const month = record.day.slice(0, 7);
      const before = monthEgressGb.get(month) ?? 0;
      monthEgressGb.set(month, before + record.egressGb);
      egress = egressUsd(book.egress, before + record.egressGb) - egressUsd(book.egress, before);
    }
    const total = storageUsd + requestUsd + retrievalUsd + earlyRemovalUsd + egress;
    charges.storageUsd += storageUsd;
    charges.requestUsd += requestUsd;
    charges.retrievalUsd += retrievalUsd;
    charges.earlyRemovalUsd += earlyRemovalUsd;
    charges.egressUsd += egress;
    charges.totalUsd += total;
    charges.gbMonths += record.gbMonths;
    charges.egressGb += record.tier === 'local' ? 0 : record.egressGb;
    const day = daily.get(record.day);
    if (day !== undefined) day.storage[record.tier] += total;
  }

  const computeByTier = Object.fromEntries(COMPUTE_TIERS.map((tier) => [tier, emptyCompute()])) as Record<ComputeTier, MutableCompute>;
  const computeByType = Object.fromEntries(
    WORKLOAD_TYPES.map((type) => [type, Object.fromEntries(COMPUTE_TIERS.map((tier) => [tier, emptyCompute()]))]),
  ) as Record<WorkloadType, Record<ComputeTier, MutableCompute>>;
  for (const run of runs) {
    const usd = runCostUsd(book, run);
    for (const charges of [computeByTier[run.tier], computeByType[run.type][run.tier]]) {
      charges.runs += 1;
      charges.hours += run.hours;
      charges.usd += usd;
    }
    const day = daily.get(run.day);
    if (day !== undefined) {
      day.compute[run.tier] += usd;
      day.computeByType[run.type] += usd;
    }
  }

  const days: DailyCost[] = [...daily.entries()].map(([day, d]) => ({ day, ...d, totalUsd: sum(Object.values(d.storage)) + sum(Object.values(d.compute)) }));
  const storageUsd = sum(STORAGE_TIERS.map((tier) => storageByTier[tier].totalUsd));
  const computeUsd = sum(COMPUTE_TIERS.map((tier) => computeByTier[tier].usd));
  return {
    days,
    storageByTier,
    computeByTier,
    computeByType,
    storageUsd,
    computeUsd,
    totalUsd: storageUsd + computeUsd,
    prices: { name: book.name, asOf: book.asOf },
  };
}

/** A run's recorded cost, or its hours at the book's rate for its tier and size. */
export function runCostUsd(book: PriceBook, run: ComputeRunRecord): number {
  if (run.costUsd !== undefined) return run.costUsd;
  return run.hours * hourlyRate(book, run.tier, run.size);
}

export function hourlyRate(book: PriceBook, tier: ComputeTier, size?: string): number {
  if (tier === 'local') return localComputeUsdPerHour(book.local);
  const machine = size === undefined ? Object.values(book.cloudCompute)[0] : book.cloudCompute[size];
  if (machine === undefined) {
    throw new CostError('invalid-input', `There is no cloud machine size "${size}" in the ${book.name} prices; the sizes are ${Object.keys(book.cloudCompute).join(', ')}.`);
  }
  return machine.usdPerHour;
}

/**
 * What a month of the recent days costs: the mean daily cost of the last `window` days (fewer
 * when the history is shorter) times the average month's 30.44 days.
 */
export function monthlyRate(days: readonly DailyCost[], pick: (day: DailyCost) => number = (d) => d.totalUsd, window = 30): number {
  const recent = days.slice(-window);
  return recent.length === 0 ? 0 : (sum(recent.map(pick)) / recent.length) * AVERAGE_MONTH_DAYS;
}

export const AVERAGE_MONTH_DAYS = 365.25 / 12;

function checkStorageRecord(record: StorageUsageRecord, i: number, isValidDay: (day: unknown) => boolean): void {
  const where = `storage record ${i}`;
  if (!isValidDay(record.day)) throw new CostError('invalid-input', `${where}: day must be a date as YYYY-MM-DD, not ${JSON.stringify(record.day)}.`, `storage[${i}].day`);
  if (!STORAGE_TIERS.includes(record.tier)) throw new CostError('invalid-input', `${where}: tier must be one of ${STORAGE_TIERS.join(', ')}, not ${JSON.stringify(record.tier)}.`, `storage[${i}].tier`);
  for (const field of ['gbMonths', 'writeRequests', 'readRequests', 'retrievalGb', 'egressGb', 'earlyRemovalGbDays'] as const) {
    const value = record[field];
    if (value === undefined && field === 'earlyRemovalGbDays') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new CostError('invalid-input', `${where} (${record.day}, ${record.tier}): ${field} must be a number of at least 0, not ${JSON.stringify(value)}.`, `storage[${i}].${field}`);
    }
  }
}

function checkRun(run: ComputeRunRecord, i: number, book: PriceBook, isValidDay: (day: unknown) => boolean): void {
  if (!isValidDay(run.day)) {
    throw new CostError('invalid-input', `run ${JSON.stringify(run.id)}: day must be a date as YYYY-MM-DD, not ${JSON.stringify(run.day)}.`, `runs[${i}].day`);
  }
  const where = `run ${JSON.stringify(run.id)}`;
  if (!COMPUTE_TIERS.includes(run.tier)) throw new CostError('invalid-input', `${where}: tier must be one of ${COMPUTE_TIERS.join(', ')}, not ${JSON.stringify(run.tier)}.`, `runs[${i}].tier`);
  if (!WORKLOAD_TYPES.includes(run.type)) throw new CostError('invalid-input', `${where}: type must be one of ${WORKLOAD_TYPES.join(', ')}, not ${JSON.stringify(run.type)}.`, `runs[${i}].type`);
  for (const field of ['hours', 'costUsd'] as const) {
    const value = run[field];
    if (value === undefined && field === 'costUsd') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new CostError('invalid-input', `${where}: ${field} must be a number of at least 0, not ${JSON.stringify(value)}.`, `runs[${i}].${field}`);
    }
  }
  if (run.costUsd === undefined && run.tier === 'cloud' && run.size !== undefined && book.cloudCompute[run.size] === undefined) {
    throw new CostError('invalid-input', `${where}: there is no cloud machine size "${run.size}" in the ${book.name} prices; the sizes are ${Object.keys(book.cloudCompute).join(', ')}.`, `runs[${i}].size`);
  }
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

function emptyCharges(): MutableCharges {
  return { storageUsd: 0, requestUsd: 0, retrievalUsd: 0, egressUsd: 0, earlyRemovalUsd: 0, totalUsd: 0, gbMonths: 0, egressGb: 0 };
}

function emptyCompute(): MutableCompute {
  return { runs: 0, hours: 0, usd: 0 };
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
