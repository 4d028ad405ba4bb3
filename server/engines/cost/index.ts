// The cost engine: what storage and compute cost, what local-first saves, what to change next.
// The only module other code imports; everything here is pure but the engine class's record source.
export { CostEngine, REPORT_FORMATS, type AppliedRecommendation, type CostChange, type CostEngineOptions, type CostEngineStatus, type CostSources, type LocalTier, type ReportFormat } from './costEngine';
export { CostError, type CostErrorCode } from './errors';
export * from './records';
// The prices live in the one presets module every engine prices its work with; re-exported so
// callers of the cost engine name them from here.
export {
  STORAGE_TIERS,
  defaultCloudSize,
  egressUsd,
  freeEgressGb,
  hardwareUsdPerMonth,
  localComputeUsdPerHour,
  storageUsdPerGbMonth,
  type CloudMachinePrice,
  type EgressPrice,
  type LocalHardware,
  type PriceBand,
  type PriceBook,
  type PriceOverrides,
  type StorageClassPrice,
  type StorageTier,
  AWS_PRICES,
  PRESETS,
  SEED_PRICES,
} from '../prices';
export { findPreset, resolvePriceBook, validatePriceBook } from './prices/resolve';
export { checkSavedName, loadSavedPrices, savePrices } from './prices/savedPrices';
export { importAwsOffer, type OfferImport, type PriceChange } from './prices/awsOffer';
export { AVERAGE_MONTH_DAYS, hourlyRate, monthlyRate, runCostUsd, summariseCosts, type ComputeCharges, type CostSummary, type DailyCost, type StorageCharges } from './costs';
export { ASSUMED_LOCAL_SHARES, compareDeploymentModels, measuredLocalShares, type ComparisonInput, type DeploymentComparison, type LocalShares, type ModelCost, type ShareSource } from './comparison';
export { FORECAST_METHOD, MIN_HISTORY_DAYS, fitHoltWinters, forecastNextMonth, predict, sumVariance, type DailyValue, type ForecastDay, type HoltWintersFit, type MonthForecast } from './forecast';
export { candidateCapacities, replayHitRatios, type CapacityPoint } from './capacityCurve';
export { DEFAULT_CANDIDATE_MACHINE_USD, priorityOf, recommend, type EngineAction, type Priority, type Recommendation, type RecommendationInput } from './recommendations';
export { returnOnInvestment, type Roi, type RoiInput } from './roi';
export { dashboardData, type CostRecords, type DashboardData, type DashboardInput, type SavingsDay } from './dashboard';
export { markdownReport } from './reports/markdown';
export { htmlReport } from './reports/html';
export { CSV_COLUMNS, csvReport } from './reports/csv';
