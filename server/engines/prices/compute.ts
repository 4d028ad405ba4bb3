// What an hour of compute costs on each tier, by price preset. The compute engine prices every
// decision and every finished run with these rates, and the benchmark prices its columns with them.
//
// A rate has two parts so one shape serves both presets: a flat price per hour of a running
// workload (the `seed` preset prices whole workloads: a small cloud job, a large one, the local
// machine) and a price per vCPU-hour (the `aws` preset follows EC2 on-demand, which bills by size).

export type ComputePresetName = 'seed' | 'aws';

export interface ComputeRate {
  /** Dollars per hour the workload runs, whatever its size. */
  readonly perHour: number;
  /** Dollars per vCPU-hour: multiplied by the CPUs the workload asked for. */
  readonly perVcpuHour: number;
  /** In the user's words, shown beside a cost ("m6i on-demand, $0.048 per vCPU-hour"). */
  readonly label: string;
}

export interface ComputePrices {
  readonly preset: ComputePresetName;
  readonly local: ComputeRate;
  /** A cluster job up to `smallMaxCpus` CPUs and `smallMaxMemoryGb` memory. */
  readonly clusterSmall: ComputeRate;
  readonly clusterLarge: ComputeRate;
  readonly smallMaxCpus: number;
  readonly smallMaxMemoryGb: number;
}

const SEED: ComputePrices = {
  preset: 'seed',
  local: { perHour: 0.02, perVcpuHour: 0, label: 'local machine, $0.02 per hour' },
  clusterSmall: { perHour: 0.1, perVcpuHour: 0, label: 'cloud small, $0.10 per hour' },
  clusterLarge: { perHour: 0.8, perVcpuHour: 0, label: 'cloud large, $0.80 per hour' },
  smallMaxCpus: 4,
  smallMaxMemoryGb: 16,
};

// EC2 on-demand, us-east-1 Linux: m6i.large is $0.096/h for 2 vCPUs, r6i.large $0.126/h for 2
// vCPUs (memory-heavy jobs, more than 4 GB a vCPU). The local machine's rate is its power: about
// 12.5 W per busy core at $0.20 per kWh.
const AWS: ComputePrices = {
  preset: 'aws',
  local: { perHour: 0, perVcpuHour: 0.0025, label: 'local machine power, $0.0025 per vCPU-hour' },
  clusterSmall: { perHour: 0, perVcpuHour: 0.048, label: 'm6i on-demand, $0.048 per vCPU-hour' },
  clusterLarge: { perHour: 0, perVcpuHour: 0.063, label: 'r6i on-demand, $0.063 per vCPU-hour' },
  smallMaxCpus: Number.POSITIVE_INFINITY,
  smallMaxMemoryGb: Number.POSITIVE_INFINITY,
};

export const COMPUTE_PRESETS: Readonly<Record<ComputePresetName, ComputePrices>> = { seed: SEED, aws: AWS };

export function computePrices(preset: ComputePresetName = 'seed'): ComputePrices {
  return COMPUTE_PRESETS[preset];
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
