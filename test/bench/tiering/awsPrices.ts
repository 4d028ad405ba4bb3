// AWS S3 list prices (us-east-1, USD, GB = 2^30 bytes) for the dollars replay, until the shared
// presets module (server/engines/prices) provides them.
import type { ArchivePrices, StorageClassPrices } from '../../../server/engines/storage/placement';

const standard: StorageClassPrices = {
  name: 'S3 Standard',
  storagePerGbMonth: 0.023,
  retrievalPerGb: 0,
  readPerRequest: 0.0004 / 1000,
  transitionPerRequest: 0.005 / 1000,
  minimumDays: 0,
};

export const AWS_ARCHIVE_PRICES: ArchivePrices = {
  standard,
  archives: [
    { name: 'S3 Standard-IA', storagePerGbMonth: 0.0125, retrievalPerGb: 0.01, readPerRequest: 0.001 / 1000, transitionPerRequest: 0.01 / 1000, minimumDays: 30 },
    { name: 'S3 Glacier Instant Retrieval', storagePerGbMonth: 0.004, retrievalPerGb: 0.03, readPerRequest: 0.01 / 1000, transitionPerRequest: 0.02 / 1000, minimumDays: 90 },
    { name: 'S3 Glacier Flexible Retrieval', storagePerGbMonth: 0.0036, retrievalPerGb: 0.01, readPerRequest: 0.05 / 1000, transitionPerRequest: 0.03 / 1000, minimumDays: 90 },
    { name: 'S3 Glacier Deep Archive', storagePerGbMonth: 0.00099, retrievalPerGb: 0.02, readPerRequest: 0.1 / 1000, transitionPerRequest: 0.05 / 1000, minimumDays: 180 },
  ],
};

/** Data transfer out to the internet, per GB. */
export const AWS_EGRESS_PER_GB = 0.09;

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
