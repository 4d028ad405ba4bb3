// The local tier's placement policies: what stays on the local disk, what is evicted.
export type { AccessOutcome, LocalTierPolicy, LocalTierPolicyFactory } from './policy';
export { LruByBytesPolicy } from './lruByBytes';
import type { LocalTierPolicyFactory } from './policy';
import { LruByBytesPolicy } from './lruByBytes';

/** The policy the storage engine uses unless told otherwise. */
export const createDefaultLocalTierPolicy: LocalTierPolicyFactory = (capacityBytes) => new LruByBytesPolicy(capacityBytes);
