// The same month of data and work priced three ways: all in the cloud, hybrid (the local share on
// this machine, the rest in the cloud) and all local. Local work costs its power and disk, plus
// the monthly share of the machine's purchase wherever the machine is needed.
import { CostError } from './errors';
import { defaultCloudSize, egressUsd, hardwareUsdPerMonth, localComputeUsdPerHour, type LocalHardware, type PriceBook } from '../prices';
import type { CostSummary } from './costs';

export interface ComparisonInput {
  readonly monthlyDataGb: number;
  readonly monthlyComputeHours: number;
  /** Cloud machine size the hours would rent; the book's first size when absent. */
  readonly computeSize?: string;
  /** GB a month read out of the cloud when everything is there (egress). */
  readonly monthlyEgressGb?: number;
  /** The local share of data and of compute hours (0-1) for the hybrid; measured or assumed when absent. */
  readonly storageLocalShare?: number;
  readonly computeLocalShare?: number;
  /** Shares measured from the records, used where no share is given. */
  readonly measured?: LocalShares;
  /** The local machine's purchase and life, over the book's. */
  readonly hardware?: Partial<Pick<LocalHardware, 'machineUsd' | 'lifeMonths'>>;
}

export interface LocalShares {
  readonly storage?: number;
  readonly compute?: number;
}

export interface ModelCost {
  readonly storageUsd: number;
  readonly computeUsd: number;
  readonly egressUsd: number;
  /** The machine's purchase spread over its life, per month. */
  readonly hardwareUsd: number;
  readonly totalUsd: number;
}

export type ShareSource = 'given' | 'measured' | 'assumed';

export interface DeploymentComparison {
  readonly monthlyDataGb: number;
  readonly monthlyComputeHours: number;
  readonly computeSize: string;
  readonly cloudOnly: ModelCost;
  readonly hybrid: ModelCost;
  readonly localOnly: ModelCost;
  readonly hybridShares: {
    readonly storage: number;
    readonly compute: number;
    readonly storageSource: ShareSource;
    readonly computeSource: ShareSource;
  };
  /** Percent saved against cloud-only, in total and for storage and compute alone. */
  readonly savingsVsCloudPct: { readonly hybrid: number; readonly localOnly: number; readonly hybridStorage: number; readonly hybridCompute: number };
  readonly savingsVsCloudUsd: { readonly hybrid: number; readonly localOnly: number };
  readonly prices: { readonly name: string; readonly asOf: string };
}

/** Shares assumed for a hybrid when none is given or measured: 70% of data and 80% of hours local. */
export const ASSUMED_LOCAL_SHARES = { storage: 0.7, compute: 0.8 } as const;

export function compareDeploymentModels(book: PriceBook, input: ComparisonInput): DeploymentComparison {
  const { monthlyDataGb, monthlyComputeHours } = input;
  const egressGb = input.monthlyEgressGb ?? 0;
  for (const [name, value] of Object.entries({ monthlyDataGb, monthlyComputeHours, monthlyEgressGb: egressGb })) {
    if (!Number.isFinite(value) || value < 0) throw new CostError('invalid-input', `${name} must be a number of at least 0, not ${value}.`, name);
  }
  const size = input.computeSize ?? defaultCloudSize(book);
  const machine = book.cloudCompute[size];
  if (machine === undefined) {
    throw new CostError('invalid-input', `There is no cloud machine size "${size}" in the ${book.name} prices; the sizes are ${Object.keys(book.cloudCompute).join(', ')}.`, 'computeSize');
  }
  const storage = pickShare('storage', input.storageLocalShare, input.measured?.storage);
  const compute = pickShare('compute', input.computeLocalShare, input.measured?.compute);
  const hardware = { ...book.local, ...input.hardware };
  if (!(hardware.lifeMonths >= 1)) throw new CostError('invalid-input', `The machine's life must be at least 1 month, not ${hardware.lifeMonths}.`, 'hardware.lifeMonths');
  const hardwareUsd = hardwareUsdPerMonth(hardware);

  const cloudGbUsd = book.storage.cloud.usdPerGbMonth;
  const localGbUsd = book.local.storageUsdPerGbMonth;
  const cloudHourUsd = machine.usdPerHour;
  const localHourUsd = localComputeUsdPerHour(book.local);
  const model = (storageShare: number, computeShare: number, machineUsd: number): ModelCost => {
    const storageUsd = monthlyDataGb * (storageShare * localGbUsd + (1 - storageShare) * cloudGbUsd);
    const computeUsd = monthlyComputeHours * (computeShare * localHourUsd + (1 - computeShare) * cloudHourUsd);
    const egress = egressUsd(book.egress, egressGb * (1 - storageShare));
    return { storageUsd, computeUsd, egressUsd: egress, hardwareUsd: machineUsd, totalUsd: storageUsd + computeUsd + egress + machineUsd };
  };
  const cloudOnly = model(0, 0, 0);
  const hybrid = model(storage.share, compute.share, hardwareUsd);
  const localOnly = model(1, 1, hardwareUsd);
  return {
    monthlyDataGb,
    monthlyComputeHours,
    computeSize: size,
    cloudOnly,
    hybrid,
    localOnly,
    hybridShares: { storage: storage.share, compute: compute.share, storageSource: storage.source, computeSource: compute.source },
    savingsVsCloudPct: {
      hybrid: savedPct(cloudOnly.totalUsd, hybrid.totalUsd),
      localOnly: savedPct(cloudOnly.totalUsd, localOnly.totalUsd),
      hybridStorage: savedPct(cloudOnly.storageUsd, hybrid.storageUsd),
      hybridCompute: savedPct(cloudOnly.computeUsd, hybrid.computeUsd),
    },
    savingsVsCloudUsd: { hybrid: cloudOnly.totalUsd - hybrid.totalUsd, localOnly: cloudOnly.totalUsd - localOnly.totalUsd },
    prices: { name: book.name, asOf: book.asOf },
  };
}

/** The local shares the records show: of GB-months kept out of the archive, and of compute hours run. */
export function measuredLocalShares(summary: CostSummary): LocalShares {
  const storedGbMonths = summary.storageByTier.local.gbMonths + summary.storageByTier.cloud.gbMonths;
  const hours = summary.computeByTier.local.hours + summary.computeByTier.cloud.hours;
  return {
    ...(storedGbMonths > 0 ? { storage: summary.storageByTier.local.gbMonths / storedGbMonths } : {}),
    ...(hours > 0 ? { compute: summary.computeByTier.local.hours / hours } : {}),
  };
}

function pickShare(kind: 'storage' | 'compute', given: number | undefined, measured: number | undefined): { share: number; source: ShareSource } {
  if (given !== undefined) {
    if (!(given >= 0 && given <= 1)) throw new CostError('invalid-input', `The ${kind} local share must be between 0 and 1, not ${given}.`, `${kind}LocalShare`);
    return { share: given, source: 'given' };
  }
  if (measured !== undefined) return { share: measured, source: 'measured' };
  return { share: ASSUMED_LOCAL_SHARES[kind], source: 'assumed' };
}

function savedPct(before: number, after: number): number {
  return before > 0 ? ((before - after) / before) * 100 : 0;
}
