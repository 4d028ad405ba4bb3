// What the tiers cost per month, and what keeping copies local saves against keeping everything in
// the cloud: storage at each tier's price, plus the egress that reads served from disk avoided.
import { monthlyEgressCost, monthlyLocalCost, monthlyStorageCost, type StorageClassName, type StoragePrices } from '../prices';
import type { AccessEntry } from './accessLog';
import type { CostBreakdown, ObjectRecord, StorageStats, TierName, TierStats } from './types';

const MONTH_MS = 30 * 24 * 3600 * 1000;

export interface TierBytes {
  readonly local: number;
  readonly cloud: number;
  /** Archived bytes by storage class. */
  readonly archive: Partial<Record<StorageClassName, number>>;
}

export function tierBytes(records: Iterable<ObjectRecord>): TierBytes & { counts: Record<TierName, number> } {
  let local = 0;
  let cloud = 0;
  const archive: Partial<Record<StorageClassName, number>> = {};
  const counts: Record<TierName, number> = { local: 0, cloud: 0, archive: 0 };
  for (const record of records) {
    if (record.copies.local) {
      local += record.size;
      counts.local += 1;
    }
    if (record.copies.cloud) {
      cloud += record.size;
      counts.cloud += 1;
    }
    if (record.copies.archive) {
      const storageClass = record.copies.archive.storageClass;
      archive[storageClass] = (archive[storageClass] ?? 0) + record.size;
      counts.archive += 1;
    }
  }
  return { local, cloud, archive, counts };
}

export function monthlyCost(prices: StoragePrices, bytes: TierBytes): CostBreakdown {
  const local = monthlyLocalCost(prices, bytes.local);
  const cloud = monthlyStorageCost(prices, 'STANDARD', bytes.cloud);
  let archive = 0;
  for (const [storageClass, classBytes] of Object.entries(bytes.archive)) archive += monthlyStorageCost(prices, storageClass as StorageClassName, classBytes);
  return { local: round(local), cloud: round(cloud), archive: round(archive), total: round(local + cloud + archive) };
}

export function computeStats(
  prices: StoragePrices,
  records: readonly ObjectRecord[],
  counters: { hits: number; misses: number },
  accesses: readonly AccessEntry[],
  extra: { capacityBytes: number; uploadsPending: number; now: number },
): StorageStats {
  const bytes = tierBytes(records);
  const cost = monthlyCost(prices, bytes);
  const total = records.reduce((sum, record) => sum + record.size, 0);
  // Reads over the last 30 days: all of them would have left the cloud; only misses did.
  const since = new Date(extra.now - MONTH_MS).toISOString();
  let readBytes = 0;
  let missBytes = 0;
  for (const entry of accesses) {
    if (entry.op !== 'read' || entry.at < since) continue;
    readBytes += entry.bytes;
    if (!entry.hit) missBytes += entry.bytes;
  }
  const egressAllCloud = monthlyEgressCost(prices, readBytes);
  const egressActual = monthlyEgressCost(prices, missBytes);
  const allCloud = monthlyStorageCost(prices, 'STANDARD', total) + egressAllCloud;
  const actual = cost.total + egressActual;
  const tier = (objects: number, tierBytesCount: number, monthlyCostUsd: number, capacityBytes?: number): TierStats => ({
    objects,
    bytes: tierBytesCount,
    monthlyCostUsd,
    ...(capacityBytes === undefined ? {} : { capacityBytes }),
  });
  const archiveBytes = Object.values(bytes.archive).reduce((sum, value) => sum + (value ?? 0), 0);
  const lookups = counters.hits + counters.misses;
  return {
    objects: records.length,
    bytes: total,
    hits: counters.hits,
    misses: counters.misses,
    cache_hit_rate: lookups === 0 ? 0 : round(counters.hits / lookups, 4),
    estimated_monthly_cost_saved_usd: round(allCloud - actual),
    egress_avoided_usd: round(egressAllCloud - egressActual),
    monthly_cost_usd: round(actual),
    monthly_cost_all_cloud_usd: round(allCloud),
    tiers: {
      local: tier(bytes.counts.local, bytes.local, cost.local, extra.capacityBytes),
      cloud: tier(bytes.counts.cloud, bytes.cloud, cost.cloud),
      archive: tier(bytes.counts.archive, archiveBytes, cost.archive),
    },
    uploadsPending: extra.uploadsPending,
    restoring: records.filter((record) => record.restoring !== undefined).length,
    prices: { preset: prices.preset, asOf: prices.asOf },
  };
}

function round(value: number, digits = 6): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
