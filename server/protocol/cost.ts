// Custom messages of cost insight, and the shapes they carry: the cost dashboard, "Export Cost
// Report…" and the cost settings use these. Amounts are US dollars; every figure names the prices
// it was computed with. Method strings are written here and nowhere else.
import { notification, request } from './descriptors';

export type CostStorageTier = 'local' | 'cloud' | 'archive';
export type CostComputeTier = 'local' | 'cloud';
export const COST_STORAGE_TIERS: readonly CostStorageTier[] = ['local', 'cloud', 'archive'];
export const COST_COMPUTE_TIERS: readonly CostComputeTier[] = ['local', 'cloud'];
export type CostWorkloadType = 'query' | 'etl' | 'ml' | 'migration';
export const COST_WORKLOAD_TYPES: readonly CostWorkloadType[] = ['query', 'etl', 'ml', 'migration'];
export type CostReportFormat = 'md' | 'html' | 'csv';
export const COST_REPORT_FORMATS: readonly CostReportFormat[] = ['md', 'html', 'csv'];
export type CostPriority = 'high' | 'medium' | 'low';
export type CostShareSource = 'given' | 'measured' | 'assumed';

/** Which prices a figure was computed with, and where they come from. */
export interface CostPrices {
  readonly name: string;
  readonly asOf: string;
  readonly source: string;
  readonly region: string;
}

/** One day's costs: storage by tier (storage, requests, retrievals, egress), compute by tier. */
export interface CostDay {
  readonly day: string;
  readonly storage: Readonly<Record<CostStorageTier, number>>;
  readonly compute: Readonly<Record<CostComputeTier, number>>;
  readonly totalUsd: number;
}

export interface CostTotals {
  readonly storageUsd: number;
  readonly computeUsd: number;
  readonly totalUsd: number;
  readonly storageByTier: Readonly<Record<CostStorageTier, { readonly totalUsd: number; readonly gbMonths: number; readonly egressGb: number }>>;
  readonly computeByTier: Readonly<Record<CostComputeTier, CostComputeCharges>>;
  /** The runs of each workload type, by the tier they ran on. */
  readonly computeByType: Readonly<Record<CostWorkloadType, Readonly<Record<CostComputeTier, CostComputeCharges>>>>;
}

export interface CostComputeCharges {
  readonly runs: number;
  readonly hours: number;
  readonly usd: number;
}

export interface CostForecastDay {
  readonly day: string;
  readonly expectedUsd: number;
  readonly lowUsd: number;
  readonly highUsd: number;
}

/** Next month's cost with its band, or why there is none yet. */
export type CostForecast =
  | {
      readonly ok: true;
      /** YYYY-MM. */
      readonly month: string;
      readonly expectedUsd: number;
      readonly lowUsd: number;
      readonly highUsd: number;
      /** Share of outcomes the band is meant to hold (0.8). */
      readonly confidence: number;
      readonly method: string;
      readonly historyDays: number;
      readonly daily: readonly CostForecastDay[];
    }
  | { readonly ok: false; readonly historyDays: number; readonly neededDays: number; readonly message: string };

export interface CostModel {
  readonly storageUsd: number;
  readonly computeUsd: number;
  readonly egressUsd: number;
  /** The machine's purchase spread over its life, per month. */
  readonly hardwareUsd: number;
  readonly totalUsd: number;
}

/** A month priced cloud-only, hybrid and local-only. */
export interface CostComparison {
  readonly monthlyDataGb: number;
  readonly monthlyComputeHours: number;
  readonly computeSize: string;
  readonly cloudOnly: CostModel;
  readonly hybrid: CostModel;
  readonly localOnly: CostModel;
  readonly hybridShares: { readonly storage: number; readonly compute: number; readonly storageSource: CostShareSource; readonly computeSource: CostShareSource };
  readonly savingsVsCloudPct: { readonly hybrid: number; readonly localOnly: number; readonly hybridStorage: number; readonly hybridCompute: number };
  readonly savingsVsCloudUsd: { readonly hybrid: number; readonly localOnly: number };
  readonly prices: { readonly name: string; readonly asOf: string };
}

export interface CostCompareParams {
  readonly monthlyDataGb: number;
  readonly monthlyComputeHours: number;
  readonly computeSize?: string;
  readonly monthlyEgressGb?: number;
  /** The hybrid's local shares (0-1); the measured ones, else 70% and 80%, when absent. */
  readonly storageLocalShare?: number;
  readonly computeLocalShare?: number;
}

export interface CostSavings {
  readonly cloudOnlyUsd: number;
  readonly actualUsd: number;
  readonly savedUsd: number;
  /** Running totals by day. */
  readonly days: readonly { readonly day: string; readonly cloudOnlyUsd: number; readonly actualUsd: number }[];
}

/** The local tier's hit ratio had it had this capacity, from a replay of the recorded accesses. */
export interface CostCapacityPoint {
  readonly capacityBytes: number;
  readonly reads: number;
  readonly hits: number;
  readonly hitRatio: number;
  readonly missBytes: number;
  readonly byteHitRatio: number;
}

/** What an engine does when the user applies a recommendation. */
export type CostAction =
  | { readonly kind: 'archive-keys'; readonly keys: readonly string[] }
  | { readonly kind: 'set-local-capacity'; readonly capacityBytes: number }
  | { readonly kind: 'set-compute-limit'; readonly limit: 'localCpuLimitPct'; readonly value: number };

export interface CostRecommendation {
  readonly id: string;
  readonly priority: CostPriority;
  readonly recommendation: string;
  readonly impact: string;
  readonly estimated_savings_usd_month: number;
  /** Present when an engine can carry it out: the dashboard's Apply. */
  readonly action?: CostAction;
}

export interface CostRoi {
  readonly hardwareUsd: number;
  readonly monthlySavingsUsd: number;
  readonly monthlySavingsPct: number;
  readonly annualSavingsUsd: number;
  readonly paybackMonths: number | null;
  readonly horizonMonths: number;
  readonly netUsd: number;
  readonly roiPct: number | null;
}

/** Everything the dashboard shows, computed from the records at `generatedAt`. */
export interface CostDashboard {
  readonly generatedAt: number;
  readonly prices: CostPrices;
  /** The engines the records come from ("storage", "compute"); empty when none runs. */
  readonly recordsFrom: readonly string[];
  readonly days: readonly CostDay[];
  readonly totals: CostTotals;
  readonly forecast: CostForecast;
  readonly comparison: CostComparison;
  readonly savings: CostSavings;
  readonly capacity?: { readonly currentBytes: number; readonly curve: readonly CostCapacityPoint[] };
  readonly recommendations: readonly CostRecommendation[];
  readonly roi?: CostRoi;
}

export interface CostPriceList {
  readonly prices: CostPrices;
  /** The presets the `neurolake.cost.preset` setting and `--preset` accept: built-in and saved. */
  readonly presets: readonly string[];
  readonly storage: Readonly<Record<'cloud' | 'archive', { readonly label: string; readonly usdPerGbMonth: number; readonly retrievalUsdPerGb: number; readonly minimumDays: number; readonly writeUsdPer1000: number; readonly readUsdPer1000: number }>>;
  readonly egress: readonly { readonly upToGb: number | null; readonly usdPerGb: number }[];
  readonly cloudCompute: Readonly<Record<string, { readonly usdPerHour: number; readonly instanceType?: string }>>;
  readonly local: { readonly machineUsd: number; readonly lifeMonths: number; readonly powerWatts: number; readonly electricityUsdPerKwh: number; readonly storageUsdPerGbMonth: number };
}

export interface CostImportResult {
  readonly offerCode: string;
  readonly version: string;
  readonly found: number;
  readonly changes: readonly { readonly path: string; readonly from: unknown; readonly to: unknown }[];
  /** The preset the imported prices were saved as. */
  readonly savedAs: string;
}

/** A cost failure, carried in ResponseError.data: the engine's code and the field at fault. */
export interface CostErrorData {
  readonly code: string;
  readonly path?: string;
}

/** Sent by the cost dashboard when it opens and on every change notification. */
export const CostDashboardRequest = request<{ hardwareUsd?: number }, CostDashboard, CostErrorData>('neurolake/cost/dashboard');

/** Sent by the dashboard's comparison form: a month of data and compute hours priced three ways. */
export const CostCompareRequest = request<CostCompareParams, CostComparison, CostErrorData>('neurolake/cost/compare');

export const CostForecastRequest = request<Record<string, never>, CostForecast, CostErrorData>('neurolake/cost/forecast');

export const CostRecommendationsRequest = request<Record<string, never>, CostRecommendation[], CostErrorData>('neurolake/cost/recommendations');

/**
 * Sent by the dashboard's Apply after the user confirmed: the engine that owns the action carries
 * it out; answers what was done and the figures afterwards.
 */
export const CostApplyRequest = request<{ id: string }, { done: string; recommendation: CostRecommendation; dashboard: CostDashboard }, CostErrorData>('neurolake/cost/apply');

export const CostRoiRequest = request<{ hardwareUsd: number }, CostRoi, CostErrorData>('neurolake/cost/roi');

/** Sent by "Export Cost Report…": the report's text, which the extension writes where the user chose. */
export const CostReportRequest = request<{ format: CostReportFormat; hardwareUsd?: number }, { text: string }, CostErrorData>('neurolake/cost/report');

export const CostPricesRequest = request<Record<string, never>, CostPriceList, CostErrorData>('neurolake/cost/prices');

/** Sent to import an AWS Price List offer file; the prices are saved as a preset named `saveAs`. */
export const CostImportPricesRequest = request<{ text: string; fileName: string; saveAs: string }, CostImportResult, CostErrorData>('neurolake/cost/importPrices');

/** Sent by the server when the figures changed: new prices, or new storage or compute records. */
export const DidChangeCostNotification = notification<{ reason: 'prices' | 'records' }>('neurolake/cost/didChange');
