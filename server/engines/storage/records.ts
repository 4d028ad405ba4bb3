// Small pure helpers over index records: where an object is, what callers see of it.
import type { HistoryEvent, ObjectInfo, ObjectRecord, TierName } from './types';

const HISTORY_LENGTH = 20;

/** The tiers holding a verified copy, fastest first. */
export function tiersOf(record: ObjectRecord): TierName[] {
  const tiers: TierName[] = [];
  if (record.copies.local) tiers.push('local');
  if (record.copies.cloud) tiers.push('cloud');
  if (record.copies.archive) tiers.push('archive');
  return tiers;
}

/** Where a read is served from. Every record has at least one copy. */
export function tierOf(record: ObjectRecord): TierName {
  return tiersOf(record)[0] ?? 'local';
}

export function withHistory(record: ObjectRecord, event: HistoryEvent['event'], tier?: TierName, at = new Date().toISOString()): ObjectRecord {
  const history = [...record.history, { at, event, ...(tier ? { tier } : {}) }];
  return { ...record, history: history.slice(-HISTORY_LENGTH) };
}

export function toInfo(record: ObjectRecord, cloudConfigured: boolean): ObjectInfo {
  return {
    key: record.key,
    size: record.size,
    sha256: record.sha256,
    created: record.created,
    lastAccess: record.lastAccess,
    accessCount: record.accessCount,
    hits: record.hits,
    tier: tierOf(record),
    tiers: tiersOf(record),
    uploadPending: cloudConfigured && record.copies.local !== undefined && record.copies.cloud === undefined && record.copies.archive === undefined,
    ...(record.restoring ? { restoring: record.restoring } : {}),
    ...(record.copies.archive ? { storageClass: record.copies.archive.storageClass } : record.copies.cloud ? { storageClass: 'STANDARD' as const } : {}),
    history: record.history,
  };
}
