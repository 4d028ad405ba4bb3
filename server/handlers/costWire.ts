// The cost engine's results in the protocol's shapes, field by field: renaming or retyping an
// engine field fails to compile here instead of silently changing what the dashboard receives.
import type * as engine from '../engines/cost';
import type * as wire from '../protocol';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// The lists the protocol repeats for the extension (which cannot import an engine) must be the engine's.
export const LISTS_AGREE: [
  Same<wire.CostStorageTier, engine.StorageTier>,
  Same<wire.CostComputeTier, engine.ComputeTier>,
  Same<wire.CostReportFormat, engine.ReportFormat>,
  Same<wire.CostPriority, engine.Priority>,
  Same<wire.CostShareSource, engine.ShareSource>,
  Same<wire.CostAction['kind'], engine.EngineAction['kind']>,
] = [true, true, true, true, true, true];

export function toWireDashboard(data: engine.DashboardData, recordsFrom: readonly string[]): wire.CostDashboard {
  const { summary } = data;
  return {
    generatedAt: data.generatedAt,
    prices: { name: data.prices.name, asOf: data.prices.asOf, source: data.prices.source, region: data.prices.region },
    recordsFrom: [...recordsFrom],
    days: summary.days.map((d) => ({
      day: d.day,
      storage: { local: d.storage.local, cloud: d.storage.cloud, archive: d.storage.archive },
      compute: { local: d.compute.local, cloud: d.compute.cloud },
      totalUsd: d.totalUsd,
    })),
    totals: {
      storageUsd: summary.storageUsd,
      computeUsd: summary.computeUsd,
      totalUsd: summary.totalUsd,
      storageByTier: {
        local: storageTier(summary.storageByTier.local),
        cloud: storageTier(summary.storageByTier.cloud),
        archive: storageTier(summary.storageByTier.archive),
      },
      computeByTier: { local: computeTier(summary.computeByTier.local), cloud: computeTier(summary.computeByTier.cloud) },
      computeByType: {
        query: computeTypes(summary.computeByType.query),
        etl: computeTypes(summary.computeByType.etl),
        ml: computeTypes(summary.computeByType.ml),
        migration: computeTypes(summary.computeByType.migration),
      },
    },
    forecast: toWireForecast(data.forecast),
    comparison: toWireComparison(data.comparison),
    savings: {
      cloudOnlyUsd: data.savings.cloudOnlyUsd,
      actualUsd: data.savings.actualUsd,
      savedUsd: data.savings.savedUsd,
      days: data.savings.days.map((d) => ({ day: d.day, cloudOnlyUsd: d.cloudOnlyUsd, actualUsd: d.actualUsd })),
    },
    ...(data.capacity === undefined ? {} : { capacity: { currentBytes: data.capacity.currentBytes, curve: data.capacity.curve.map(toWireCapacityPoint) } }),
    recommendations: data.recommendations.map(toWireRecommendation),
    ...(data.roi === undefined ? {} : { roi: toWireRoi(data.roi) }),
  };
}

function storageTier(charges: engine.StorageCharges): wire.CostTotals['storageByTier']['local'] {
  return { totalUsd: charges.totalUsd, gbMonths: charges.gbMonths, egressGb: charges.egressGb };
}

function computeTier(charges: engine.ComputeCharges): wire.CostComputeCharges {
  return { runs: charges.runs, hours: charges.hours, usd: charges.usd };
}

function computeTypes(byTier: Readonly<Record<'local' | 'cloud', engine.ComputeCharges>>): wire.CostTotals['computeByType']['etl'] {
  return { local: computeTier(byTier.local), cloud: computeTier(byTier.cloud) };
}

export function toWireForecast(forecast: engine.MonthForecast): wire.CostForecast {
  if (!forecast.ok) return { ok: false, historyDays: forecast.historyDays, neededDays: forecast.neededDays, message: forecast.message };
  return {
    ok: true,
    month: forecast.month,
    expectedUsd: forecast.expectedUsd,
    lowUsd: forecast.lowUsd,
    highUsd: forecast.highUsd,
    confidence: forecast.confidence,
    method: forecast.method,
    historyDays: forecast.historyDays,
    daily: forecast.daily.map((d) => ({ day: d.day, expectedUsd: d.expectedUsd, lowUsd: d.lowUsd, highUsd: d.highUsd })),
  };
}

function toWireModel(model: engine.ModelCost): wire.CostModel {
  return { storageUsd: model.storageUsd, computeUsd: model.computeUsd, egressUsd: model.egressUsd, hardwareUsd: model.hardwareUsd, totalUsd: model.totalUsd };
}

export function toWireComparison(c: engine.DeploymentComparison): wire.CostComparison {
  return {
    monthlyDataGb: c.monthlyDataGb,
    monthlyComputeHours: c.monthlyComputeHours,
    computeSize: c.computeSize,
    cloudOnly: toWireModel(c.cloudOnly),
    hybrid: toWireModel(c.hybrid),
    localOnly: toWireModel(c.localOnly),
    hybridShares: { storage: c.hybridShares.storage, compute: c.hybridShares.compute, storageSource: c.hybridShares.storageSource, computeSource: c.hybridShares.computeSource },
    savingsVsCloudPct: { hybrid: c.savingsVsCloudPct.hybrid, localOnly: c.savingsVsCloudPct.localOnly, hybridStorage: c.savingsVsCloudPct.hybridStorage, hybridCompute: c.savingsVsCloudPct.hybridCompute },
    savingsVsCloudUsd: { hybrid: c.savingsVsCloudUsd.hybrid, localOnly: c.savingsVsCloudUsd.localOnly },
    prices: { name: c.prices.name, asOf: c.prices.asOf },
  };
}

export function toEngineComparison(params: wire.CostCompareParams): engine.ComparisonInput {
  return {
    monthlyDataGb: params.monthlyDataGb,
    monthlyComputeHours: params.monthlyComputeHours,
    ...(params.computeSize === undefined ? {} : { computeSize: params.computeSize }),
    ...(params.monthlyEgressGb === undefined ? {} : { monthlyEgressGb: params.monthlyEgressGb }),
    ...(params.storageLocalShare === undefined ? {} : { storageLocalShare: params.storageLocalShare }),
    ...(params.computeLocalShare === undefined ? {} : { computeLocalShare: params.computeLocalShare }),
  };
}

function toWireCapacityPoint(p: engine.CapacityPoint): wire.CostCapacityPoint {
  return { capacityBytes: p.capacityBytes, reads: p.reads, hits: p.hits, hitRatio: p.hitRatio, missBytes: p.missBytes, byteHitRatio: p.byteHitRatio };
}

function toWireAction(action: engine.EngineAction): wire.CostAction {
  switch (action.kind) {
    case 'archive-keys':
      return { kind: 'archive-keys', keys: [...action.keys] };
    case 'set-local-capacity':
      return { kind: 'set-local-capacity', capacityBytes: action.capacityBytes };
    case 'set-compute-limit':
      return { kind: 'set-compute-limit', limit: action.limit, value: action.value };
  }
}

export function toWireRecommendation(r: engine.Recommendation): wire.CostRecommendation {
  return {
    id: r.id,
    priority: r.priority,
    recommendation: r.recommendation,
    impact: r.impact,
    estimated_savings_usd_month: r.estimated_savings_usd_month,
    ...(r.action === undefined ? {} : { action: toWireAction(r.action) }),
  };
}

export function toWireRoi(roi: engine.Roi): wire.CostRoi {
  return {
    hardwareUsd: roi.hardwareUsd,
    monthlySavingsUsd: roi.monthlySavingsUsd,
    monthlySavingsPct: roi.monthlySavingsPct,
    annualSavingsUsd: roi.annualSavingsUsd,
    paybackMonths: roi.paybackMonths,
    horizonMonths: roi.horizonMonths,
    netUsd: roi.netUsd,
    roiPct: roi.roiPct,
  };
}

export function toWirePriceList(book: engine.PriceBook, presets: readonly string[]): wire.CostPriceList {
  const storageClass = (p: engine.StorageClassPrice): wire.CostPriceList['storage']['cloud'] => ({
    label: p.label,
    usdPerGbMonth: p.usdPerGbMonth,
    retrievalUsdPerGb: p.retrievalUsdPerGb,
    minimumDays: p.minimumDays,
    writeUsdPer1000: p.writeUsdPer1000,
    readUsdPer1000: p.readUsdPer1000,
  });
  return {
    prices: { name: book.name, asOf: book.asOf, source: book.source, region: book.region },
    presets: [...presets],
    storage: { cloud: storageClass(book.storage.cloud), archive: storageClass(book.storage.archive) },
    egress: book.egress.bands.map((band) => ({ upToGb: band.upToGb, usdPerGb: band.usdPerGb })),
    cloudCompute: Object.fromEntries(
      Object.entries(book.cloudCompute).map(([size, m]) => [size, { usdPerHour: m.usdPerHour, ...(m.instanceType === undefined ? {} : { instanceType: m.instanceType }) }]),
    ),
    local: {
      machineUsd: book.local.machineUsd,
      lifeMonths: book.local.lifeMonths,
      powerWatts: book.local.powerWatts,
      electricityUsdPerKwh: book.local.electricityUsdPerKwh,
      storageUsdPerGbMonth: book.local.storageUsdPerGbMonth,
    },
  };
}

export function toWireImport(result: engine.OfferImport, savedAs: string): wire.CostImportResult {
  return {
    offerCode: result.offerCode,
    version: result.version,
    found: result.found,
    changes: result.changes.map((c) => ({ path: c.path, from: c.from, to: c.to })),
    savedAs,
  };
}
