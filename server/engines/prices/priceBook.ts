// What things cost: the one shape every price is kept in, whichever preset, override or imported
// price list it came from. The storage and compute engines read their views of it (storagePrices.ts,
// compute.ts); the cost engine reads it whole. Amounts are US dollars.

/** Where data lives. The local tier is the machine's own disk; cloud and archive are S3 classes. */
export type StorageTier = 'local' | 'cloud' | 'archive';
export const STORAGE_TIERS: readonly StorageTier[] = ['local', 'cloud', 'archive'];

export interface StorageClassPrice {
  /** The storage class this tier maps to, in the provider's words ("S3 Standard"). */
  readonly label: string;
  readonly usdPerGbMonth: number;
  /** Charged per GB read back out of the class (archive restores); 0 for classes without it. */
  readonly retrievalUsdPerGb: number;
  /** An object removed sooner is charged for the rest of these days, prorated. */
  readonly minimumDays: number;
  /** PUT, COPY, POST and LIST requests. */
  readonly writeUsdPer1000: number;
  /** GET and every other request. */
  readonly readUsdPer1000: number;
  /** The provider's usage types these prices are billed under, so a price list can refresh them. */
  readonly usageTypes?: StorageUsageTypes;
}

export interface StorageUsageTypes {
  readonly storage?: string;
  readonly writeRequests?: string;
  readonly readRequests?: string;
  readonly retrieval?: string;
}

/** One band of a tiered price: GB up to `upToGb` (a month's total) cost `usdPerGb` each. */
export interface PriceBand {
  /** Upper end of the band in GB per month; null for the last, open-ended band. */
  readonly upToGb: number | null;
  readonly usdPerGb: number;
}

/** Data read out of the cloud to the internet (here: to the local machine). */
export interface EgressPrice {
  /** Bands in ascending order; a leading band at 0 $/GB is the free allowance. */
  readonly bands: readonly PriceBand[];
  readonly usageType?: string;
}

export interface CloudMachinePrice {
  readonly usdPerHour: number;
  /** The instance type priced, when the rate is a provider's list price ("m5.large"). */
  readonly instanceType?: string;
  readonly vcpus?: number;
  readonly memoryGb?: number;
}

/**
 * The local machine. Running costs are the power it draws while working; the purchase is spread
 * over its useful life, so a model that needs the machine carries a monthly share of it.
 */
export interface LocalHardware {
  /** What the machine cost (0: already owned, so only running costs count). */
  readonly machineUsd: number;
  /** Months over which the purchase is written off. */
  readonly lifeMonths: number;
  /** Average draw while running work. */
  readonly powerWatts: number;
  readonly electricityUsdPerKwh: number;
  /** Disk wear and power of keeping one GB on the local disk for a month. */
  readonly storageUsdPerGbMonth: number;
}

export interface PriceBook {
  /** The preset or file name these prices came from ("aws", "seed", "my-prices"). */
  readonly name: string;
  /** Where the figures come from, in words a user can check. */
  readonly source: string;
  /** The date the prices are from (YYYY-MM-DD), shown wherever a price is used. */
  readonly asOf: string;
  readonly region: string;
  /** Prices for the cloud and archive tiers; the local tier is priced from `local`. */
  readonly storage: Readonly<Record<Exclude<StorageTier, 'local'>, StorageClassPrice>>;
  readonly egress: EgressPrice;
  /** Cloud machine rates by size name ("small", "large"); the first is the default size. */
  readonly cloudCompute: Readonly<Record<string, CloudMachinePrice>>;
  readonly local: LocalHardware;
}

/** A partial price book a user (or a file) lays over a preset; only the numbers it names change. */
export type PriceOverrides = DeepPartial<Omit<PriceBook, 'name'>> & { readonly name?: string };

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly DeepPartial<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What an hour of local work costs in power. */
export function localComputeUsdPerHour(local: LocalHardware): number {
  return (local.powerWatts / 1000) * local.electricityUsdPerKwh;
}

/** The monthly share of the machine's purchase. */
export function hardwareUsdPerMonth(local: LocalHardware): number {
  return local.lifeMonths > 0 ? local.machineUsd / local.lifeMonths : 0;
}

/** The price of a storage tier per GB-month, the local one included. */
export function storageUsdPerGbMonth(book: PriceBook, tier: StorageTier): number {
  return tier === 'local' ? book.local.storageUsdPerGbMonth : book.storage[tier].usdPerGbMonth;
}

/** The size used when a caller names none: the first one the book lists. */
export function defaultCloudSize(book: PriceBook): string {
  const [first] = Object.keys(book.cloudCompute);
  if (first === undefined) throw new Error(`Price book "${book.name}" lists no cloud machine sizes.`);
  return first;
}

/** Cost of a month's egress of `gb`, walking the bands (the free allowance first). */
export function egressUsd(egress: EgressPrice, gb: number): number {
  let remaining = gb;
  let floor = 0;
  let usd = 0;
  for (const band of egress.bands) {
    if (remaining <= 0) break;
    const width = band.upToGb === null ? remaining : Math.max(0, band.upToGb - floor);
    const inBand = Math.min(remaining, width);
    usd += inBand * band.usdPerGb;
    remaining -= inBand;
    if (band.upToGb !== null) floor = band.upToGb;
  }
  return usd;
}

/** The GB a month that cost nothing to read out. */
export function freeEgressGb(egress: EgressPrice): number {
  let free = 0;
  for (const band of egress.bands) {
    if (band.usdPerGb !== 0) break;
    free = band.upToGb ?? Number.POSITIVE_INFINITY;
  }
  return free;
}
