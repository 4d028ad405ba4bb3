// Shared by the cost tests and the cost benchmark: a byte-capacity LRU placement policy (the
// LocalTierPolicy contract, as simple as it gets, so replays have hand-checkable answers) and
// small builders for records.
import type { AccessOutcome, LocalTierPolicy, LocalTierPolicyFactory } from '../../../server/engines/storage/placement/policy';
import type { ComputeRunRecord, StorageUsageRecord } from '../../../server/engines/cost';

export class LruPolicy implements LocalTierPolicy {
  readonly name = 'lru';
  /** Key -> size, least recently used first (a Map keeps insertion order). */
  private readonly resident = new Map<string, number>();
  private readonly pinned = new Set<string>();
  private used = 0;

  constructor(public capacityBytes: number) {}

  read(key: string, sizeBytes: number): AccessOutcome {
    if (this.resident.has(key)) {
      const size = this.resident.get(key) as number;
      this.resident.delete(key);
      this.resident.set(key, size);
      return { hit: true, admitted: false, evicted: [] };
    }
    return { hit: false, ...this.admit(key, sizeBytes) };
  }

  store(key: string, sizeBytes: number): AccessOutcome {
    this.remove(key);
    return { hit: false, ...this.admit(key, sizeBytes) };
  }

  remove(key: string): void {
    const size = this.resident.get(key);
    if (size === undefined) return;
    this.resident.delete(key);
    this.used -= size;
  }

  isResident(key: string): boolean {
    return this.resident.has(key);
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
    this.resident.set(key, sizeBytes);
    this.used += sizeBytes;
    return { admitted: true, evicted };
  }

  private evictUntil(incoming: number): string[] {
    const evicted: string[] = [];
    for (const [key, size] of this.resident) {
      if (this.used + incoming <= this.capacityBytes) break;
      if (this.pinned.has(key)) continue;
      this.resident.delete(key);
      this.used -= size;
      evicted.push(key);
    }
    return evicted;
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
