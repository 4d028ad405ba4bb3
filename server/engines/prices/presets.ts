// The built-in price books every engine prices its work with: the storage engine's tiers and
// classes, the compute engine's decisions and runs, the cost engine's figures. All preset figures
// live in this one file, with the one date they are from, so a price change touches nothing but data.
import type { LocalHardware, PriceBook } from './priceBook';

/** The date the `aws` figures were taken from Amazon's price lists; `seed` shares it. */
export const PRICES_AS_OF = '2025-01-01';

/**
 * The local machine as both presets assume it until the user says otherwise: already owned (so no
 * purchase to write off), drawing 200 W while it works, keeping data on an SSD bought at about
 * $83/TB and written off over 36 months ($0.0023 per GB-month).
 */
const OWNED_MACHINE: LocalHardware = {
  machineUsd: 0,
  lifeMonths: 36,
  powerWatts: 200,
  electricityUsdPerKwh: 0.17,
  storageUsdPerGbMonth: 0.0023,
};

/**
 * Amazon's on-demand list prices for US East (N. Virginia) on 1 January 2025: S3 Standard (first
 * 50 TB band), S3 Glacier Flexible Retrieval for the archive tier (standard retrievals), data
 * transfer out to the internet with the 100 GB monthly free allowance, Linux EC2 m5 machines, and
 * r6i for memory-heavy work (more than 4 GB a vCPU).
 * The local machine's power price is the 2024 US average residential rate, not an AWS price.
 */
export const AWS_PRICES: PriceBook = {
  name: 'aws',
  source: 'AWS on-demand list prices, US East (N. Virginia): S3, S3 Glacier Flexible Retrieval, data transfer out, EC2 Linux m5 and r6i',
  asOf: PRICES_AS_OF,
  region: 'us-east-1',
  storage: {
    cloud: {
      label: 'S3 Standard',
      usdPerGbMonth: 0.023,
      retrievalUsdPerGb: 0,
      minimumDays: 0,
      writeUsdPer1000: 0.005,
      readUsdPer1000: 0.0004,
      usageTypes: { storage: 'TimedStorage-ByteHrs', writeRequests: 'Requests-Tier1', readRequests: 'Requests-Tier2' },
    },
    archive: {
      label: 'S3 Glacier Flexible Retrieval',
      usdPerGbMonth: 0.0036,
      retrievalUsdPerGb: 0.01,
      minimumDays: 90,
      writeUsdPer1000: 0.03,
      readUsdPer1000: 0.0004,
      usageTypes: {
        storage: 'TimedStorage-GlacierByteHrs',
        writeRequests: 'Requests-GLACIER-Tier1',
        readRequests: 'Requests-GLACIER-Tier2',
        retrieval: 'Standard-Retrieval-Bytes',
      },
    },
  },
  egress: {
    bands: [
      { upToGb: 100, usdPerGb: 0 },
      { upToGb: 10_240, usdPerGb: 0.09 },
      { upToGb: 51_200, usdPerGb: 0.085 },
      { upToGb: 153_600, usdPerGb: 0.07 },
      { upToGb: null, usdPerGb: 0.05 },
    ],
    usageType: 'DataTransfer-Out-Bytes',
  },
  cloudCompute: {
    small: { usdPerHour: 0.096, instanceType: 'm5.large', vcpus: 2, memoryGb: 8 },
    medium: { usdPerHour: 0.192, instanceType: 'm5.xlarge', vcpus: 4, memoryGb: 16 },
    large: { usdPerHour: 0.768, instanceType: 'm5.4xlarge', vcpus: 16, memoryGb: 64 },
    memory: { usdPerHour: 0.126, instanceType: 'r6i.large', vcpus: 2, memoryGb: 16 },
  },
  local: OWNED_MACHINE,
};

/** A storage class of S3 as the storage engine's archive tier may use it. */
export interface S3ClassFigures {
  readonly usdPerGbMonth: number;
  readonly retrievalUsdPerGb: number;
  readonly minimumDays: number;
}

/**
 * S3's other classes on the same date and in the same region as `AWS_PRICES` (whose cloud tier is
 * S3 Standard and whose archive tier is Glacier Flexible Retrieval): Standard-IA, Glacier Instant
 * Retrieval and Glacier Deep Archive (standard retrievals).
 */
export const AWS_OTHER_S3_CLASSES: Readonly<Record<'STANDARD_IA' | 'GLACIER_IR' | 'DEEP_ARCHIVE', S3ClassFigures>> = {
  STANDARD_IA: { usdPerGbMonth: 0.0125, retrievalUsdPerGb: 0.01, minimumDays: 30 },
  GLACIER_IR: { usdPerGbMonth: 0.004, retrievalUsdPerGb: 0.03, minimumDays: 90 },
  DEEP_ARCHIVE: { usdPerGbMonth: 0.00099, retrievalUsdPerGb: 0.02, minimumDays: 180 },
};

/**
 * Round figures for quick estimates: S3 Standard at $0.023/GB-month, cloud machines at $0.05 per
 * vCPU-hour ($0.10 small, $0.80 large; medium at the same vCPU rate), and local work at $0.02 an
 * hour (200 W at $0.10/kWh). Requests, retrieval, egress and the archive class as in `aws`.
 * A 70%-local hybrid then costs $0.85 a month per 100 GB against $2.30 in the cloud, and 200 hours
 * 80% local cost $7.20 (small) or $35.20 (large) against $20 or $160.
 */
export const SEED_PRICES: PriceBook = {
  ...AWS_PRICES,
  name: 'seed',
  source: 'Round estimates: storage at S3 Standard rates, compute at $0.05 per vCPU-hour, local power at $0.10/kWh',
  storage: { ...AWS_PRICES.storage, cloud: { ...AWS_PRICES.storage.cloud, usdPerGbMonth: 0.023 } },
  cloudCompute: {
    small: { usdPerHour: 0.1, vcpus: 2, memoryGb: 8 },
    medium: { usdPerHour: 0.2, vcpus: 4, memoryGb: 16 },
    large: { usdPerHour: 0.8, vcpus: 16, memoryGb: 64 },
  },
  local: { ...OWNED_MACHINE, electricityUsdPerKwh: 0.1 },
};

export const PRESETS: Readonly<Record<string, PriceBook>> = { aws: AWS_PRICES, seed: SEED_PRICES };
