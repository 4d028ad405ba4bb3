// The simple default local-tier policy: least recently used by bytes, with an admission check.
// An object larger than the tier is never admitted, and a pinned object is never evicted; when
// the unpinned residents cannot free enough room, the newcomer is not admitted rather than
// pushing the tier over its capacity.
import type { AccessOutcome, LocalTierPolicy } from './policy';

interface Resident {
  sizeBytes: number;
  pinned: boolean;
}

const NOTHING_EVICTED: readonly string[] = [];

export class LruByBytesPolicy implements LocalTierPolicy {
  readonly name = 'lru';
  // A Map iterates in insertion order, so deleting and re-inserting a key on every access keeps
  // the least recently used resident first: O(1) per access, no list of our own.
  private readonly residents = new Map<string, Resident>();
  // Pins can arrive before the object is resident (the engine pins an only copy as it writes it).
  private readonly pinnedKeys = new Set<string>();
  private used = 0;
  private pinnedBytes = 0;
  private capacity: number;

  constructor(capacityBytes: number) {
    this.capacity = checkCapacity(capacityBytes);
  }

  get capacityBytes(): number {
    return this.capacity;
  }

  read(key: string, sizeBytes: number, _now: number): AccessOutcome {
    const resident = this.residents.get(key);
    if (resident !== undefined && resident.sizeBytes === sizeBytes) {
      this.residents.delete(key);
      this.residents.set(key, resident);
      return { hit: true, admitted: false, evicted: NOTHING_EVICTED };
    }
    return this.admit(key, sizeBytes, resident !== undefined);
  }

  store(key: string, sizeBytes: number, _now: number): AccessOutcome {
    return this.admit(key, sizeBytes, this.residents.has(key));
  }

  remove(key: string): void {
    this.drop(key);
    this.pinnedKeys.delete(key);
  }

  isResident(key: string): boolean {
    return this.residents.has(key);
  }

  setPinned(key: string, pinned: boolean): void {
    if (pinned) this.pinnedKeys.add(key);
    else this.pinnedKeys.delete(key);
    const resident = this.residents.get(key);
    if (resident === undefined || resident.pinned === pinned) return;
    resident.pinned = pinned;
    this.pinnedBytes += pinned ? resident.sizeBytes : -resident.sizeBytes;
  }

  resize(capacityBytes: number): readonly string[] {
    this.capacity = checkCapacity(capacityBytes);
    return this.evictDownTo(this.capacity, undefined);
  }

  usedBytes(): number {
    return this.used;
  }

  /** Makes `key` resident at `sizeBytes` when room can be made for it without touching a pin. */
  private admit(key: string, sizeBytes: number, wasResident: boolean): AccessOutcome {
    checkSize(key, sizeBytes);
    const pinned = this.pinnedKeys.has(key);
    // A replaced object's old bytes stop counting; its local copy is rewritten when it is
    // admitted again, and listed for eviction when it is not.
    if (wasResident) this.drop(key);
    // Room exists when evicting every unpinned resident would free enough; a pinned newcomer is
    // held to the same rule, so the tier never goes over capacity (the engine keeps such a copy
    // outside the tier's accounting until it has another verified copy).
    if (sizeBytes > this.capacity - this.pinnedBytes) {
      return { hit: false, admitted: false, evicted: wasResident && !pinned ? [key] : NOTHING_EVICTED };
    }
    const evicted = this.evictDownTo(this.capacity - sizeBytes, key);
    this.residents.set(key, { sizeBytes, pinned });
    this.used += sizeBytes;
    if (pinned) this.pinnedBytes += sizeBytes;
    return { hit: false, admitted: true, evicted };
  }

  private evictDownTo(targetBytes: number, keep: string | undefined): string[] {
    const evicted: string[] = [];
    if (this.used <= targetBytes) return evicted;
    for (const [key, resident] of this.residents) {
      if (this.used <= targetBytes) break;
      if (resident.pinned || key === keep) continue;
      this.drop(key);
      evicted.push(key);
    }
    return evicted;
  }

  private drop(key: string): void {
    const resident = this.residents.get(key);
    if (resident === undefined) return;
    this.residents.delete(key);
    this.used -= resident.sizeBytes;
    if (resident.pinned) this.pinnedBytes -= resident.sizeBytes;
  }
}

function checkCapacity(capacityBytes: number): number {
  if (!Number.isFinite(capacityBytes) || capacityBytes < 0) {
    throw new RangeError(`Local tier capacity must be a non-negative number of bytes, got ${capacityBytes}.`);
  }
  return capacityBytes;
}

function checkSize(key: string, sizeBytes: number): void {
  if (!Number.isFinite(sizeBytes) || sizeBytes < 0) {
    throw new RangeError(`Size of "${key}" must be a non-negative number of bytes, got ${sizeBytes}.`);
  }
}
