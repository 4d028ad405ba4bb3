// The local tier's placement policies (what stays on the local disk, what is evicted) and the
// archive decisions for cloud copies.
import { LruByBytesPolicy } from './lruByBytes';
import { NeuroLakePolicy } from './neuroLakePolicy';
import type { LocalTierPolicyFactory } from './policy';

export type { AccessOutcome, LocalTierPolicy, LocalTierPolicyFactory } from './policy';
export { LruByBytesPolicy } from './lruByBytes';
export { NeuroLakePolicy } from './neuroLakePolicy';
export { cheapestClassFor, decideAfterRead, decideArchive, expectedIdleDays, stayCost } from './archive';
export type { ArchiveDecision, ArchivePrices, ReadHistory, StorageClassPrices } from './archive';

/** NeuroLake's adaptive policy (see neuroLakePolicy.ts). */
export const createNeuroLakePolicy: LocalTierPolicyFactory = (capacityBytes) => new NeuroLakePolicy(capacityBytes);

/** The policy the storage engine uses unless told otherwise: NeuroLake's. */
export const createDefaultLocalTierPolicy: LocalTierPolicyFactory = createNeuroLakePolicy;

/** Plain LRU by bytes, for comparison. */
export const createLruPolicy: LocalTierPolicyFactory = (capacityBytes) => new LruByBytesPolicy(capacityBytes);

// Building blocks, for the tiering bench's baselines and tests.
export { FrequencySketch, hashKey } from './frequencySketch';
export { IndexedMinHeap } from './indexedHeap';
export { GreedyDualSizeFrequency } from './gdsfStructure';
export { LowInterReferenceRecency } from './lirsStructure';
export { WindowedTinyLfu } from './windowedTinyLfu';
