// The contract between the storage engine and whatever decides what stays on the local disk.
// Pure: no I/O, no clock of its own (times are passed in), so a benchmark can replay a trace
// through exactly the code the engine runs, and a test can replay it deterministically.

/** What happened to one access of the local tier, as the engine must carry it out. */
export interface AccessOutcome {
  /** The object was resident locally: served from disk. */
  readonly hit: boolean;
  /** After a miss (or a store), a local copy should be kept. */
  readonly admitted: boolean;
  /** Resident objects to drop from the local tier to make room, in order. Never a pinned one. */
  readonly evicted: readonly string[];
}

/**
 * Admission and eviction for the local tier, by bytes. The engine tells the policy of every
 * read, store and delete with its size; the policy answers what to keep and what to evict.
 * A pinned object (its only verified copy is local, or the user pinned it) is never evicted.
 */
export interface LocalTierPolicy {
  readonly name: string;
  /** Capacity in bytes; objects larger than it are never admitted. */
  readonly capacityBytes: number;
  /** A read of `key`: a hit when resident; otherwise the policy may admit it (evicting others). */
  read(key: string, sizeBytes: number, now: number): AccessOutcome;
  /** A new or replaced object offered to the local tier. */
  store(key: string, sizeBytes: number, now: number): AccessOutcome;
  /** The object is gone (deleted, or its local copy removed by the engine). */
  remove(key: string): void;
  isResident(key: string): boolean;
  /** Pinned objects stay resident whatever their score; unpinning lets them be evicted again. */
  setPinned(key: string, pinned: boolean): void;
  /** New capacity; returns the residents to evict to fit under it. */
  resize(capacityBytes: number): readonly string[];
  /** Bytes the policy believes are resident. */
  usedBytes(): number;
}

/** Builds a policy for a capacity; the engine and the benchmark both go through one of these. */
export type LocalTierPolicyFactory = (capacityBytes: number) => LocalTierPolicy;
