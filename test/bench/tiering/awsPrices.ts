// The `aws` price preset (server/engines/cost) as the archive decisions and the dollars replay
// read it: S3 Standard, its archive class and the egress bands come from the preset; S3
// Intelligent-Tiering, which the preset does not price, from AWS's list prices of the same date.
import { AWS_PRICES, egressUsd, type StorageClassPrice } from '../../../server/engines/cost';
import type { ArchivePrices, StorageClassPrices } from '../../../server/engines/storage';

function classOf(price: StorageClassPrice): StorageClassPrices {
  return {
    name: price.label,
    storagePerGbMonth: price.usdPerGbMonth,
    retrievalPerGb: price.retrievalUsdPerGb,
    readPerRequest: price.readUsdPer1000 / 1000,
    transitionPerRequest: price.writeUsdPer1000 / 1000,
    minimumDays: price.minimumDays,
  };
}

export const AWS_ARCHIVE_PRICES: ArchivePrices = {
  standard: classOf(AWS_PRICES.storage.cloud),
  archives: [classOf(AWS_PRICES.storage.archive)],
};

/** A month's egress of `gb` at the preset's bands (its free allowance first). */
export function awsEgressUsd(gb: number): number {
  return egressUsd(AWS_PRICES.egress, gb);
}

/** S3 Intelligent-Tiering: tiers by days since last access, and its monitoring fee. */
export const AWS_INTELLIGENT_TIERING = {
  frequentPerGbMonth: 0.023,
  infrequentPerGbMonth: 0.0125,
  archiveInstantPerGbMonth: 0.004,
  infrequentAfterDays: 30,
  archiveInstantAfterDays: 90,
  monitoringPerObjectMonth: 0.0025 / 1000,
  /** Objects smaller than this are not monitored and always billed at the frequent tier. */
  monitoredFromBytes: 128 * 1024,
  readPerRequest: 0.0004 / 1000,
};
