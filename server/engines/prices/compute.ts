// What an hour of compute costs on each tier, by price preset: the compute engine's view of the
// preset's price book (presets.ts), with which it prices every decision and every finished run,
// and the benchmark its columns, at the same figures and date as the cost engine.
//
// A rate has two parts so one shape serves both presets: a flat price per hour of a running
// workload (the `seed` preset prices whole workloads: a small cloud job, a large one, the local
// machine) and a price per vCPU-hour (the `aws` preset follows EC2 on-demand, which bills by size).
import { localComputeUsdPerHour, type CloudMachinePrice, type PriceBook } from './priceBook';
import { PRESETS } from './presets';

export type ComputePresetName = 'seed' | 'aws';

export interface ComputeRate {
  /** Dollars per hour the workload runs, whatever its size. */
  readonly perHour: number;
  /** Dollars per vCPU-hour: multiplied by the CPUs the workload asked for. */
  readonly perVcpuHour: number;
  /** In the user's words, shown beside a cost ("m5.large on-demand, $0.048 per vCPU-hour"). */
  readonly label: string;
}

export interface ComputePrices {
  readonly preset: ComputePresetName;
  /** The date the prices are from (YYYY-MM-DD), the price book's. */
  readonly asOf: string;
  readonly local: ComputeRate;
  /** A cluster job up to `smallMaxCpus` CPUs and `smallMaxMemoryGb` memory. */
  readonly clusterSmall: ComputeRate;
  readonly clusterLarge: ComputeRate;
  readonly smallMaxCpus: number;
  readonly smallMaxMemoryGb: number;
}

/** Under `seed` a cluster job up to this size is a small one, anything larger a large one. */
const SEED_SMALL_JOB = { cpus: 4, memoryGb: 16 };

function machine(book: PriceBook, size: string): CloudMachinePrice {
  const price = book.cloudCompute[size];
  if (price === undefined) throw new Error(`The ${book.name} prices have no "${size}" cloud machine.`);
  return price;
}

function localRate(book: PriceBook): ComputeRate {
  const perHour = localComputeUsdPerHour(book.local);
  return { perHour, perVcpuHour: 0, label: `local machine power, ${book.local.powerWatts} W at $${book.local.electricityUsdPerKwh}/kWh ($${round(perHour)} per hour)` };
}

/** Whole workloads at the `small` and `large` machines' hourly rates. */
function seedRates(book: PriceBook): ComputePrices {
  const small = machine(book, 'small').usdPerHour;
  const large = machine(book, 'large').usdPerHour;
  return {
    preset: 'seed',
    asOf: book.asOf,
    local: localRate(book),
    clusterSmall: { perHour: small, perVcpuHour: 0, label: `cloud small, $${small.toFixed(2)} per hour` },
    clusterLarge: { perHour: large, perVcpuHour: 0, label: `cloud large, $${large.toFixed(2)} per hour` },
    smallMaxCpus: SEED_SMALL_JOB.cpus,
    smallMaxMemoryGb: SEED_SMALL_JOB.memoryGb,
  };
}

/** EC2 by the vCPU-hour: general-purpose `small` machines, `memory` ones for jobs over 4 GB a vCPU. */
function awsRates(book: PriceBook): ComputePrices {
  const perVcpu = (size: string): ComputeRate => {
    const price = machine(book, size);
    const rate = price.usdPerHour / Math.max(1, price.vcpus ?? 1);
    return { perHour: 0, perVcpuHour: rate, label: `${price.instanceType ?? size} on-demand, $${round(rate)} per vCPU-hour` };
  };
  return {
    preset: 'aws',
    asOf: book.asOf,
    local: localRate(book),
    clusterSmall: perVcpu('small'),
    clusterLarge: perVcpu('memory'),
    smallMaxCpus: Number.POSITIVE_INFINITY,
    smallMaxMemoryGb: Number.POSITIVE_INFINITY,
  };
}

export const COMPUTE_PRESETS: Readonly<Record<ComputePresetName, ComputePrices>> = {
  seed: seedRates(PRESETS['seed'] as PriceBook),
  aws: awsRates(PRESETS['aws'] as PriceBook),
};

export function computePrices(preset: ComputePresetName = 'seed'): ComputePrices {
  return COMPUTE_PRESETS[preset];
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export type ComputeTier = 'local' | 'cluster';

/** The rate a workload of this size pays on a tier; large is for jobs over the small limits. */
export function computeRate(prices: ComputePrices, tier: ComputeTier, cpus: number, memoryGb: number): ComputeRate {
  if (tier === 'local') return prices.local;
  const small = cpus <= prices.smallMaxCpus && memoryGb <= prices.smallMaxMemoryGb;
  // Under `aws` the size rule is memory per vCPU: a job wanting more than 4 GB a vCPU needs r6i.
  if (prices.preset === 'aws') return memoryGb / Math.max(cpus, 1) > 4 ? prices.clusterLarge : prices.clusterSmall;
  return small ? prices.clusterSmall : prices.clusterLarge;
}

/** Dollars for `seconds` of a workload of `cpus` CPUs on a tier. */
export function computeCost(prices: ComputePrices, tier: ComputeTier, cpus: number, memoryGb: number, seconds: number): number {
  const rate = computeRate(prices, tier, cpus, memoryGb);
  const hours = Math.max(0, seconds) / 3600;
  return hours * (rate.perHour + rate.perVcpuHour * Math.max(cpus, 0));
}
