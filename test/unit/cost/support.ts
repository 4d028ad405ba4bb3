// Shared by the cost tests and the cost benchmark: a byte-capacity LRU placement policy (the
// LocalTierPolicy contract, as simple as it gets, so replays have hand-checkable answers; the
// engine's own policy plugs into the same factory parameter) and small builders for records.
import type { AccessOutcome, LocalTierPolicy, LocalTierPolicyFactory } from '../../../server/engines/storage/placement/policy';
import type { ComputeRunRecord, StorageUsageRecord } from '../../../server/engines/cost';

/** Least recently used first, as a doubly linked list over a map: every operation O(1). */
interface Entry {
  readonly key: string;
  readonly size: number;
  older: Entry | undefined;
  newer: Entry | undefined;
}

export class LruPolicy implements LocalTierPolicy {
  readonly name = 'lru';
  private readonly entries = new Map<string, Entry>();
  private readonly pinned = new Set<string>();
  private oldest: Entry | undefined;
  private newest: Entry | undefined;
  private used = 0;

  constructor(public capacityBytes: number) {}

  read(key: string, sizeBytes: number): AccessOutcome {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.unlink(entry);
      this.append(entry);
      return { hit: true, admitted: false, evicted: [] };
    }
    return { hit: false, ...this.admit(key, sizeBytes) };
  }

  store(key: string, sizeBytes: number): AccessOutcome {
    this.remove(key);
    return { hit: false, ...this.admit(key, sizeBytes) };
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.unlink(entry);
    this.entries.delete(key);
    this.used -= entry.size;
  }

  isResident(key: string): boolean {
    return this.entries.has(key);
  }

  setPinned(key: string, pinned: boolean): void {
    if (pinned) this.pinned.add(key);
    else this.pinned.delete(key);
  }

  resize(capacityBytes: number): readonly string[] {
    this.capacityBytes = capacityBytes;
    return this.evictUntil(0);
  }

  usedBytes(): number {
    return this.used;
  }

  private admit(key: string, sizeBytes: number): { admitted: boolean; evicted: readonly string[] } {
    if (sizeBytes > this.capacityBytes) return { admitted: false, evicted: [] };
    const evicted = this.evictUntil(sizeBytes);
    if (this.used + sizeBytes > this.capacityBytes) return { admitted: false, evicted };
    const entry: Entry = { key, size: sizeBytes, older: undefined, newer: undefined };
    this.entries.set(key, entry);
    this.append(entry);
    this.used += sizeBytes;
    return { admitted: true, evicted };
  }

  private evictUntil(incoming: number): string[] {
    const evicted: string[] = [];
    let candidate = this.oldest;
    while (candidate !== undefined && this.used + incoming > this.capacityBytes) {
      const next = candidate.newer;
      if (!this.pinned.has(candidate.key)) {
        this.remove(candidate.key);
        evicted.push(candidate.key);
      }
      candidate = next;
    }
    return evicted;
  }

  private append(entry: Entry): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = entry;
    this.newest = entry;
    this.oldest ??= entry;
  }

  private unlink(entry: Entry): void {
    if (entry.older !== undefined) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer !== undefined) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }
}

export const lruFactory: LocalTierPolicyFactory = (capacityBytes) => new LruPolicy(capacityBytes);

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
