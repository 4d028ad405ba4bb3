// Small builders for the records the cost tests make.
import type { ComputeRunRecord, StorageUsageRecord } from '../../../server/engines/cost';


/** A storage record with every count at 0 but those given. */
export function usage(day: string, tier: StorageUsageRecord['tier'], fields: Partial<StorageUsageRecord> = {}): StorageUsageRecord {
  return { day, tier, gbMonths: 0, writeRequests: 0, readRequests: 0, retrievalGb: 0, egressGb: 0, ...fields };
}

let runCounter = 0;
export function run(day: string, fields: Partial<ComputeRunRecord> & Pick<ComputeRunRecord, 'tier' | 'type' | 'hours'>): ComputeRunRecord {
  runCounter += 1;
  return { id: `run-${runCounter}`, day, ...fields };
}

/** Money compared within a cent (a published figure may be rounded either way). */
export function assertWithinCent(actual: number, expected: number, what: string): void {
  if (Math.abs(actual - expected) > 0.01 + 1e-9) throw new Error(`${what}: expected $${expected.toFixed(2)} within a cent, got $${actual.toFixed(4)}`);
}
