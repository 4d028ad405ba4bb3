// The local tier's placement policies: what stays on the local disk, what is evicted.
export type { AccessOutcome, LocalTierPolicy, LocalTierPolicyFactory } from './policy';
export { LruByBytesPolicy } from './lruByBytes';
export { NeuroLakePolicy } from './neuroLakePolicy';
import type { LocalTierPolicyFactory } from './policy';
import { LruByBytesPolicy } from './lruByBytes';
import { NeuroLakePolicy } from './neuroLakePolicy';

/** The policy the storage engine uses unless told otherwise. */
export const createDefaultLocalTierPolicy: LocalTierPolicyFactory = (capacityBytes) => new LruByBytesPolicy(capacityBytes);

/** NeuroLake's adaptive policy (see neuroLakePolicy.ts). */
export const createNeuroLakePolicy: LocalTierPolicyFactory = (capacityBytes) => new NeuroLakePolicy(capacityBytes);
export { cheapestClassFor, decideAfterRead, decideArchive, expectedIdleDays, stayCost } from './archive';
export type { ArchiveDecision, ArchivePrices, ReadHistory, StorageClassPrices } from './archive';
