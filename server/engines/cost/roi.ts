// Return on a hardware purchase: how many months of savings pay it back, and what is left after
// three years (or another horizon).
import { CostError } from './errors';

export interface RoiInput {
  readonly hardwareUsd: number;
  /** What the month costs without the hardware (cloud-only) and with it (hybrid). */
  readonly monthlyCostWithoutUsd: number;
  readonly monthlyCostWithUsd: number;
  readonly horizonMonths?: number;
}

export interface Roi {
  readonly hardwareUsd: number;
  readonly monthlySavingsUsd: number;
  readonly monthlySavingsPct: number;
  readonly annualSavingsUsd: number;
  /** Months until the savings have paid for the hardware; null when there are no savings. */
  readonly paybackMonths: number | null;
  readonly horizonMonths: number;
  /** Savings over the horizon less the hardware. */
  readonly netUsd: number;
  /** Net over the hardware, in percent; null when nothing was invested. */
  readonly roiPct: number | null;
}

export function returnOnInvestment(input: RoiInput): Roi {
  const horizonMonths = input.horizonMonths ?? 36;
  for (const [name, value] of Object.entries({ hardwareUsd: input.hardwareUsd, monthlyCostWithoutUsd: input.monthlyCostWithoutUsd, monthlyCostWithUsd: input.monthlyCostWithUsd, horizonMonths })) {
    if (!Number.isFinite(value) || value < 0) throw new CostError('invalid-input', `${name} must be a number of at least 0, not ${value}.`, name);
  }
  const monthlySavingsUsd = input.monthlyCostWithoutUsd - input.monthlyCostWithUsd;
  const netUsd = monthlySavingsUsd * horizonMonths - input.hardwareUsd;
  return {
    hardwareUsd: input.hardwareUsd,
    monthlySavingsUsd,
    monthlySavingsPct: input.monthlyCostWithoutUsd > 0 ? (monthlySavingsUsd / input.monthlyCostWithoutUsd) * 100 : 0,
    annualSavingsUsd: monthlySavingsUsd * 12,
    paybackMonths: monthlySavingsUsd > 0 ? input.hardwareUsd / monthlySavingsUsd : null,
    horizonMonths,
    netUsd,
    roiPct: input.hardwareUsd > 0 ? (netUsd / input.hardwareUsd) * 100 : null,
  };
}
