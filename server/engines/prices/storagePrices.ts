// Storage price presets: what a gigabyte costs per month in each tier and storage class, what a
// read costs, and what leaving the cloud costs (egress). The cost engine grows this module; the
// storage engine uses it for its statistics and placement plans.

/** S3 storage classes NeuroLake can put an object in; the archive tier uses the last three. */
export type StorageClassName = 'STANDARD' | 'STANDARD_IA' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';

export interface StorageClassPrice {
  /** USD per GB-month stored. */
  readonly gbMonth: number;
  /** USD per GB read back (Standard-IA and the Glacier classes charge for retrieval). */
  readonly retrievalPerGb: number;
  /** Days billed at least, even when the object is deleted or moved sooner. */
  readonly minimumDays: number;
}

export interface StoragePrices {
  readonly preset: StoragePresetName;
  /** When these prices were taken from the provider's price list (ISO date), or "n/a". */
  readonly asOf: string;
  readonly source: string;
  /** USD per GB-month of the local disk: a setting, since only the user knows what their disk costs. */
  readonly localGbMonth: number;
  readonly classes: Readonly<Record<StorageClassName, StorageClassPrice>>;
  readonly egress: { readonly perGb: number; readonly freeGbPerMonth: number };
  readonly requests: { readonly putPer1000: number; readonly getPer1000: number };
}

export type StoragePresetName = 'aws' | 'seed';
export const STORAGE_PRESET_NAMES: readonly StoragePresetName[] = ['aws', 'seed'];

/** Bytes in the gigabyte providers bill by (AWS bills GB-months of 2^30 bytes). */
export const BYTES_PER_GB = 1024 ** 3;

const AWS: StoragePrices = {
  preset: 'aws',
  asOf: '2024-12-01',
  source: 'Amazon S3 list prices, US East (N. Virginia), first 50 TB per month',
  localGbMonth: 0.0023,
  classes: {
    STANDARD: { gbMonth: 0.023, retrievalPerGb: 0, minimumDays: 0 },
    STANDARD_IA: { gbMonth: 0.0125, retrievalPerGb: 0.01, minimumDays: 30 },
    GLACIER_IR: { gbMonth: 0.004, retrievalPerGb: 0.03, minimumDays: 90 },
    GLACIER: { gbMonth: 0.0036, retrievalPerGb: 0.01, minimumDays: 90 },
    DEEP_ARCHIVE: { gbMonth: 0.00099, retrievalPerGb: 0.02, minimumDays: 180 },
  },
  egress: { perGb: 0.09, freeGbPerMonth: 100 },
  requests: { putPer1000: 0.005, getPer1000: 0.0004 },
};

/** The two-price model of the original storage table: cloud 0.023, local 0.0023, nothing else. */
const SEED: StoragePrices = {
  preset: 'seed',
  asOf: 'n/a',
  source: 'NeuroLake storage table: cloud 0.023 and local 0.0023 USD per GB-month',
  localGbMonth: 0.0023,
  classes: {
    STANDARD: { gbMonth: 0.023, retrievalPerGb: 0, minimumDays: 0 },
    STANDARD_IA: { gbMonth: 0.023, retrievalPerGb: 0, minimumDays: 0 },
    GLACIER_IR: { gbMonth: 0.023, retrievalPerGb: 0, minimumDays: 0 },
    GLACIER: { gbMonth: 0.023, retrievalPerGb: 0, minimumDays: 0 },
    DEEP_ARCHIVE: { gbMonth: 0.023, retrievalPerGb: 0, minimumDays: 0 },
  },
  egress: { perGb: 0, freeGbPerMonth: 0 },
  requests: { putPer1000: 0, getPer1000: 0 },
};

const PRESETS: Readonly<Record<StoragePresetName, StoragePrices>> = { aws: AWS, seed: SEED };

/** A preset, with the local disk price replaced when the user set one. */
export function storagePrices(preset: StoragePresetName = 'aws', localGbMonth?: number): StoragePrices {
  const prices = PRESETS[preset];
  return localGbMonth === undefined ? prices : { ...prices, localGbMonth };
}

export function isStoragePreset(name: string): name is StoragePresetName {
  return (STORAGE_PRESET_NAMES as readonly string[]).includes(name);
}

/** USD per month to keep `bytes` in a storage class. */
export function monthlyStorageCost(prices: StoragePrices, storageClass: StorageClassName, bytes: number): number {
  return (bytes / BYTES_PER_GB) * prices.classes[storageClass].gbMonth;
}

export function monthlyLocalCost(prices: StoragePrices, bytes: number): number {
  return (bytes / BYTES_PER_GB) * prices.localGbMonth;
}

/** USD for `bytes` leaving the cloud in one month, after the free allowance. */
export function monthlyEgressCost(prices: StoragePrices, bytes: number): number {
  return Math.max(0, bytes / BYTES_PER_GB - prices.egress.freeGbPerMonth) * prices.egress.perGb;
}
