// The storage engine's view of a price preset: what a gigabyte costs per month in each tier and S3
// storage class, what requests cost, and what leaving the cloud costs (egress). Read from the one
// price book of the preset (presets.ts), so the storage engine's statistics and placement plans
// use the same figures, and show the same date, as the cost engine.
import { egressUsd, type EgressPrice, type PriceBook } from './priceBook';
import { AWS_OTHER_S3_CLASSES, PRESETS } from './presets';

/** S3 storage classes NeuroLake can put an object in; the archive tier uses the last three. */
export type StorageClassName = 'STANDARD' | 'STANDARD_IA' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';

export interface S3ClassPrice {
  /** USD per GB-month stored. */
  readonly gbMonth: number;
  /** USD per GB read back (Standard-IA and the Glacier classes charge for retrieval). */
  readonly retrievalPerGb: number;
  /** Days billed at least, even when the object is deleted or moved sooner. */
  readonly minimumDays: number;
}

export interface StoragePrices {
  readonly preset: StoragePresetName;
  /** The date the prices are from (YYYY-MM-DD), the price book's. */
  readonly asOf: string;
  readonly source: string;
  /** USD per GB-month of the local disk: a setting, since only the user knows what their disk costs. */
  readonly localGbMonth: number;
  readonly classes: Readonly<Record<StorageClassName, S3ClassPrice>>;
  /** Bands of a month's egress, the free allowance first. */
  readonly egress: EgressPrice;
  readonly requests: { readonly putPer1000: number; readonly getPer1000: number };
}

export type StoragePresetName = 'aws' | 'seed';
export const STORAGE_PRESET_NAMES: readonly StoragePresetName[] = ['aws', 'seed'];

/** Bytes in the gigabyte providers bill by (AWS bills GB-months of 2^30 bytes). */
export const BYTES_PER_GB = 1024 ** 3;

/** The storage view of a price book: its cloud tier is S3 Standard, its archive tier Glacier. */
export function storagePricesOf(book: PriceBook, preset: StoragePresetName): StoragePrices {
  const cloud = book.storage.cloud;
  const archive = book.storage.archive;
  const other = (name: keyof typeof AWS_OTHER_S3_CLASSES): S3ClassPrice => {
    const figures = AWS_OTHER_S3_CLASSES[name];
    return { gbMonth: figures.usdPerGbMonth, retrievalPerGb: figures.retrievalUsdPerGb, minimumDays: figures.minimumDays };
  };
  return {
    preset,
    asOf: book.asOf,
    source: book.source,
    localGbMonth: book.local.storageUsdPerGbMonth,
    classes: {
      STANDARD: { gbMonth: cloud.usdPerGbMonth, retrievalPerGb: cloud.retrievalUsdPerGb, minimumDays: cloud.minimumDays },
      STANDARD_IA: other('STANDARD_IA'),
      GLACIER_IR: other('GLACIER_IR'),
      GLACIER: { gbMonth: archive.usdPerGbMonth, retrievalPerGb: archive.retrievalUsdPerGb, minimumDays: archive.minimumDays },
      DEEP_ARCHIVE: other('DEEP_ARCHIVE'),
    },
    egress: book.egress,
    requests: { putPer1000: cloud.writeUsdPer1000, getPer1000: cloud.readUsdPer1000 },
  };
}

/** A preset, with the local disk price replaced when the user set one. */
export function storagePrices(preset: StoragePresetName = 'aws', localGbMonth?: number): StoragePrices {
  const prices = storagePricesOf(PRESETS[preset] as PriceBook, preset);
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

/** USD for `bytes` leaving the cloud in one month, through the bands after the free allowance. */
export function monthlyEgressCost(prices: StoragePrices, bytes: number): number {
  return egressUsd(prices.egress, bytes / BYTES_PER_GB);
}
