// Archive decisions for an object's cloud copy: which storage class it should sit in, priced at
// a preset's prices. An object moves to an archive class only when the time it is expected to
// stay unread pays for that class's transition, retrieval fee and minimum duration; an archived
// object that is read often enough that Standard is cheaper for its next gap returns.
// Pure: prices and times come in, a decision comes out.

const BYTES_PER_GB = 2 ** 30;
const DAYS_PER_MONTH = 30;

/** What one storage class charges (USD). */
export interface StorageClassPrices {
  readonly name: string;
  readonly storagePerGbMonth: number;
  /** Per GB read back out of the class (0 for Standard). */
  readonly retrievalPerGb: number;
  /** Per read (GET, or restore request) of an object in the class. */
  readonly readPerRequest: number;
  /** Per object moved into the class (lifecycle transition or copy). */
  readonly transitionPerRequest: number;
  /** Storage is charged for at least this many days once an object enters the class. */
  readonly minimumDays: number;
}

export interface ArchivePrices {
  /** The class objects live in by default and return to. */
  readonly standard: StorageClassPrices;
  /** Colder classes an object may move to, in any order. */
  readonly archives: readonly StorageClassPrices[];
}

/**
 * Dollars of keeping `sizeBytes` in `storageClass` for `days`, entering it first unless it is
 * Standard, and (when `endsWithRead`) reading it back at the end: retrieval, the read, the
 * minimum duration's remainder and the copy back to Standard.
 */
export function stayCost(storageClass: StorageClassPrices, prices: ArchivePrices, sizeBytes: number, days: number, endsWithRead: boolean): number {
  const gb = sizeBytes / BYTES_PER_GB;
  const isStandard = storageClass === prices.standard;
  const chargedDays = endsWithRead ? Math.max(days, storageClass.minimumDays) : days;
  let cost = (gb * storageClass.storagePerGbMonth * chargedDays) / DAYS_PER_MONTH;
  if (!isStandard) cost += storageClass.transitionPerRequest;
  if (endsWithRead) {
    cost += gb * storageClass.retrievalPerGb + storageClass.readPerRequest;
    if (!isStandard) cost += prices.standard.transitionPerRequest;
  }
  return cost;
}

/** The class that keeps an object unread for `days` (then reads it, if `endsWithRead`) cheapest. */
export function cheapestClassFor(prices: ArchivePrices, sizeBytes: number, days: number, endsWithRead = true): StorageClassPrices {
  let best = prices.standard;
  let bestCost = stayCost(best, prices, sizeBytes, days, endsWithRead);
  for (const candidate of prices.archives) {
    const cost = stayCost(candidate, prices, sizeBytes, days, endsWithRead);
    if (cost < bestCost) {
      best = candidate;
      bestCost = cost;
    }
  }
  return best;
}

/** What the engine knows of one object's reads, in days on any clock. */
export interface ReadHistory {
  readonly sizeBytes: number;
  /** Day of the last read (or of the write, before any read). */
  readonly lastReadDay: number;
  /** Reads seen so far. */
  readonly reads: number;
  /** Mean days between its reads so far, when it has been read more than once. */
  readonly meanGapDays?: number;
}

/**
 * How long the object is expected to stay unread from `today`: as long again as it has been
 * idle since its last read (an object idle for long tends to stay idle), and no less than its
 * usual gap. An object never read yet has shown no pattern, so nothing is expected of it: it
 * stays where it is until its reads say otherwise.
 */
export function expectedIdleDays(history: ReadHistory, today: number): number {
  if (history.reads === 0) return 0;
  const idle = Math.max(0, today - history.lastReadDay);
  return Math.max(idle, history.meanGapDays ?? 0);
}

export interface ArchiveDecision {
  readonly target: StorageClassPrices;
  /** True when the object should change class. */
  readonly move: boolean;
}

/**
 * Where the object's cloud copy should be now. It leaves Standard only for a class whose cost
 * over the expected idle time, retrieval and minimum duration included, is below Standard's.
 */
export function decideArchive(history: ReadHistory, current: StorageClassPrices, prices: ArchivePrices, today: number): ArchiveDecision {
  // Once archived, an object stays until a read brings it back (decideAfterRead): leaving
  // unread would pay a transition and the minimum duration for nothing.
  if (current !== prices.standard) return { target: current, move: false };
  const target = cheapestClassFor(prices, history.sizeBytes, expectedIdleDays(history, today));
  return { target, move: target !== current };
}

/**
 * An archived object has just been read: it returns to Standard when its reads come often
 * enough that Standard is the cheapest home for its next gap.
 */
export function decideAfterRead(history: ReadHistory, current: StorageClassPrices, prices: ArchivePrices): ArchiveDecision {
  if (current === prices.standard) return { target: current, move: false };
  const nextGap = history.meanGapDays ?? Infinity;
  const target = cheapestClassFor(prices, history.sizeBytes, nextGap);
  if (target === prices.standard) return { target, move: true };
  return { target: current, move: false };
}
