// Everything the dashboard and the reports show, computed in one pass from the records: costs by
// day and tier, the forecast, the three deployment models at the measured shares, savings to
// date, the hit-ratio-versus-capacity curve, the recommendations and, given a purchase, its ROI.
import { candidateCapacities, replayHitRatios, type CapacityPoint } from './capacityCurve';
import { compareDeploymentModels, measuredLocalShares, type DeploymentComparison } from './comparison';
import { AVERAGE_MONTH_DAYS, hourlyRate, summariseCosts, type CostSummary } from './costs';
import { forecastNextMonth, type MonthForecast } from './forecast';
import { defaultCloudSize, type PriceBook } from '../prices';
import { recommend, type Recommendation } from './recommendations';
import { returnOnInvestment, type Roi } from './roi';
import { daysInMonth, type AccessRecord, type ComputeLimits, type ComputeRunRecord, type Day, type ObjectRecord, type StorageUsageRecord } from './records';
import type { LocalTierPolicyFactory } from '../storage';

export interface CostRecords {
  readonly storage: readonly StorageUsageRecord[];
  readonly runs: readonly ComputeRunRecord[];
  readonly objects?: readonly ObjectRecord[];
  readonly accesses?: readonly AccessRecord[];
}

export interface DashboardInput {
  readonly book: PriceBook;
  readonly records: CostRecords;
  readonly now: number;
  /** The local tier's capacity and how to build its placement policy, for the capacity curve. */
  readonly localTier?: { readonly capacityBytes: number; readonly policyFor: LocalTierPolicyFactory; readonly maxCapacityBytes?: number };
  /** A curve already replayed (the replay is the slow part; callers may keep it between changes). */
  readonly capacityCurve?: readonly CapacityPoint[];
  readonly computeLimits?: ComputeLimits;
  readonly archiveAfterDays?: number;
  /** A hardware purchase to weigh against the hybrid's savings. */
  readonly hardwareUsd?: number;
}

export interface SavingsDay {
  readonly day: Day;
  /** Running totals: what the recorded usage would have cost all in the cloud, and what it cost. */
  readonly cloudOnlyUsd: number;
  readonly actualUsd: number;
}

export interface DashboardData {
  readonly generatedAt: number;
  readonly prices: { readonly name: string; readonly asOf: string; readonly source: string; readonly region: string };
  readonly summary: CostSummary;
  readonly forecast: MonthForecast;
  readonly comparison: DeploymentComparison;
  readonly savings: { readonly cloudOnlyUsd: number; readonly actualUsd: number; readonly savedUsd: number; readonly days: readonly SavingsDay[] };
  readonly capacity?: { readonly currentBytes: number; readonly curve: readonly CapacityPoint[] };
  readonly recommendations: readonly Recommendation[];
  readonly roi?: Roi;
}

export function dashboardData(input: DashboardInput): DashboardData {
  const { book, records, now } = input;
  const summary = summariseCosts(book, records.storage, records.runs);
  const forecast = forecastNextMonth(summary.days.map((d) => ({ day: d.day, usd: d.totalUsd })));
  const measured = measuredLocalShares(summary);
  const comparison = compareDeploymentModels(book, { ...monthlyUsage(book, summary, records, measured.storage ?? 0), measured });
  const savings = savingsToDate(book, summary, records);

  let capacity: DashboardData['capacity'];
  if (input.localTier !== undefined) {
    const accesses = records.accesses ?? [];
    const curve =
      input.capacityCurve ?? replayHitRatios(accesses, input.localTier.policyFor, candidateCapacities(input.localTier.capacityBytes, accesses));
    capacity = { currentBytes: input.localTier.capacityBytes, curve };
  }
  const accessed = records.accesses ?? [];
  const periodDays = accessed.length < 2 ? 1 : Math.max(1, ((accessed[accessed.length - 1]?.at ?? 0) - (accessed[0]?.at ?? 0)) / 86_400_000);
  const recommendations = recommend({
    book,
    summary,
    runs: records.runs,
    now,
    ...(records.objects !== undefined ? { objects: records.objects } : {}),
    ...(input.archiveAfterDays !== undefined ? { archiveAfterDays: input.archiveAfterDays } : {}),
    ...(capacity !== undefined
      ? { capacity: { ...capacity, periodDays, ...(input.localTier?.maxCapacityBytes !== undefined ? { maxBytes: input.localTier.maxCapacityBytes } : {}) } }
      : {}),
    ...(input.computeLimits !== undefined ? { computeLimits: input.computeLimits } : {}),
  });
  return {
    generatedAt: now,
    prices: { name: book.name, asOf: book.asOf, source: book.source, region: book.region },
    summary,
    forecast,
    comparison,
    savings,
    ...(capacity !== undefined ? { capacity } : {}),
    recommendations,
    ...(input.hardwareUsd !== undefined
      ? { roi: returnOnInvestment({ hardwareUsd: input.hardwareUsd, monthlyCostWithoutUsd: comparison.cloudOnly.totalUsd, monthlyCostWithUsd: comparison.hybrid.totalUsd }) }
      : {}),
  };
}

/**
 * The data kept on the last day in the local and cloud tiers (the archive costs the same whichever
 * model holds the rest), and a month of compute hours and egress at the last 30 days' pace, hours
 * on the size most used. The comparison charges egress on the cloud's share of the data, so the
 * egress measured under the current local share is scaled up to what all-cloud would read out.
 */
function monthlyUsage(
  book: PriceBook,
  summary: CostSummary,
  records: CostRecords,
  localShare: number,
): { monthlyDataGb: number; monthlyComputeHours: number; monthlyEgressGb: number; computeSize: string } {
  const lastDay = summary.days[summary.days.length - 1]?.day;
  let monthlyDataGb = 0;
  let hours = 0;
  let egressGb = 0;
  const sizes = new Map<string, number>();
  if (lastDay !== undefined) {
    const firstOfWindow = summary.days[Math.max(0, summary.days.length - 30)]?.day ?? lastDay;
    for (const record of records.storage) {
      if (record.day === lastDay && record.tier !== 'archive') monthlyDataGb += record.gbMonths * daysInMonth(lastDay);
      if (record.day >= firstOfWindow && record.tier !== 'local') egressGb += record.egressGb;
    }
    for (const run of records.runs) {
      if (run.day >= firstOfWindow) hours += run.hours;
      if (run.tier === 'cloud' && run.size !== undefined) sizes.set(run.size, (sizes.get(run.size) ?? 0) + run.hours);
    }
  }
  const windowDays = Math.min(30, summary.days.length) || 1;
  const mostUsed = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return {
    monthlyDataGb,
    monthlyComputeHours: (hours / windowDays) * AVERAGE_MONTH_DAYS,
    monthlyEgressGb: ((egressGb / windowDays) * AVERAGE_MONTH_DAYS) / Math.max(0.01, 1 - localShare),
    computeSize: mostUsed !== undefined && book.cloudCompute[mostUsed] !== undefined ? mostUsed : defaultCloudSize(book),
  };
}

/**
 * What the same usage would have cost all in the cloud: every GB-month at the cloud class's price
 * and every local hour on the default cloud machine. Requests, retrievals and egress count as
 * recorded, so the difference is what keeping data and work local saved.
 */
function savingsToDate(book: PriceBook, summary: CostSummary, records: CostRecords): DashboardData['savings'] {
  const extra = new Map<Day, number>();
  const add = (day: Day, usd: number): void => {
    extra.set(day, (extra.get(day) ?? 0) + usd);
  };
  const localGbUsd = book.local.storageUsdPerGbMonth;
  const cloudGbUsd = book.storage.cloud.usdPerGbMonth;
  for (const record of records.storage) if (record.tier === 'local') add(record.day, record.gbMonths * (cloudGbUsd - localGbUsd));
  const cloudHour = hourlyRate(book, 'cloud');
  const localHour = hourlyRate(book, 'local');
  for (const run of records.runs) if (run.tier === 'local') add(run.day, run.hours * cloudHour - (run.costUsd ?? run.hours * localHour));
  let cloudOnlyUsd = 0;
  let actualUsd = 0;
  const days = summary.days.map((d) => {
    actualUsd += d.totalUsd;
    cloudOnlyUsd += d.totalUsd + (extra.get(d.day) ?? 0);
    return { day: d.day, cloudOnlyUsd, actualUsd };
  });
  return { cloudOnlyUsd, actualUsd, savedUsd: cloudOnlyUsd - actualUsd, days };
}
