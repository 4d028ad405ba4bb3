// The storage engine's own records (the objects it lists, their history of moves, the access log)
// turned into what the cost engine prices: GB-months per tier per day, requests, archive
// retrievals and egress per day, every object with its tier and last read, and the reads and
// writes to replay through the placement policy. Pure: the runtime's cost reader (costSources.ts)
// hands it what the storage engine answers.
import { DAY_MS, GB, dayOf, daysInMonth, type AccessRecord, type Day, type ObjectRecord, type StorageTier, type StorageUsageRecord } from '../engines/cost';
import type { AccessEntry, HistoryEvent, ObjectInfo, TierName } from '../engines/storage';

export interface StorageCostRecords {
  readonly storage: StorageUsageRecord[];
  readonly objects: ObjectRecord[];
  readonly accesses: AccessRecord[];
}

type Usage = { -readonly [K in keyof Omit<StorageUsageRecord, 'day' | 'tier'>]: number };

/** The events after which an object has a copy in the tier (the copy's cost starts then). */
const ENTERS: Readonly<Record<TierName, ReadonlySet<HistoryEvent['event']>>> = {
  local: new Set(['stored', 'promoted']),
  cloud: new Set(['stored', 'uploaded', 'restored']),
  archive: new Set(['archived']),
};

/**
 * Every tier an object has a copy in costs from the time the copy was made (the last event that
 * put it there, or the object's creation when its history no longer reaches back) until `now`.
 * Objects already deleted are gone from the index, and their past days with them.
 */
export function storageCostRecords(objects: readonly ObjectInfo[], log: readonly AccessEntry[], now: number): StorageCostRecords {
  const usage = new Map<string, Usage>();
  const at = (day: Day, tier: StorageTier): Usage => {
    const id = `${day} ${tier}`;
    let entry = usage.get(id);
    if (entry === undefined) {
      entry = { gbMonths: 0, writeRequests: 0, readRequests: 0, retrievalGb: 0, egressGb: 0 };
      usage.set(id, entry);
    }
    return entry;
  };

  // Days are named once each: a year of log lines would otherwise format the same date a thousand times.
  const names = new Map<number, Day>();
  const dayName = (ms: number): Day => {
    const index = Math.floor(ms / DAY_MS);
    let name = names.get(index);
    if (name === undefined) names.set(index, (name = dayOf(index * DAY_MS)));
    return name;
  };

  const held = new HeldGbDays();
  const records: ObjectRecord[] = [];
  for (const object of objects) {
    const created = Date.parse(object.created);
    for (const tier of object.tiers) held.add(tier, object.size / GB, copiedAt(object, tier, created), now);
    for (const event of object.history) {
      const time = Date.parse(event.at);
      if (!Number.isFinite(time)) continue;
      const day = dayName(time);
      // Uploads and archive copies are PUT and COPY requests; a restore reads the archive class back.
      if (event.event === 'uploaded') at(day, 'cloud').writeRequests += 1;
      else if (event.event === 'archived') at(day, 'archive').writeRequests += 1;
      else if (event.event === 'restored' && event.tier === 'cloud') at(day, 'archive').retrievalGb += object.size / GB;
    }
    records.push({
      key: object.key,
      tier: object.tier,
      sizeBytes: object.size,
      storedAt: created,
      lastAccessAt: Date.parse(object.lastAccess),
    });
  }

  const accesses: AccessRecord[] = [];
  for (const entry of log) {
    const time = Date.parse(entry.at);
    if (!Number.isFinite(time)) continue;
    const day = dayName(time);
    if (entry.op === 'write') {
      at(day, entry.tier).writeRequests += 1;
      accesses.push({ at: time, key: entry.key, sizeBytes: entry.bytes, kind: 'store' });
      continue;
    }
    const served = at(day, entry.tier);
    served.readRequests += 1;
    // A read the local tier missed left the provider's network; one from the archive class is also a retrieval.
    if (entry.tier !== 'local') served.egressGb += entry.bytes / GB;
    if (entry.tier === 'archive') served.retrievalGb += entry.bytes / GB;
    accesses.push({ at: time, key: entry.key, sizeBytes: entry.bytes, kind: 'read' });
  }

  held.forEach((day, tier, gbDays) => (at(day, tier).gbMonths += gbDays / daysInMonth(day)));
  const storage = [...usage.entries()]
    .map(([id, entry]) => {
      const [day, tier] = id.split(' ') as [Day, StorageTier];
      return { day, tier, ...entry };
    })
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { storage, objects: records, accesses };
}

function copiedAt(object: ObjectInfo, tier: TierName, created: number): number {
  for (let i = object.history.length - 1; i >= 0; i--) {
    const event = object.history[i] as HistoryEvent;
    if (event.tier === tier && ENTERS[tier].has(event.event)) {
      const time = Date.parse(event.at);
      if (Number.isFinite(time)) return time;
    }
  }
  return created;
}

/**
 * GB-days held per tier per day, for every copy's span of time: the partial first and last days
 * as they are, the whole days between as one difference each, so a year of a hundred thousand
 * objects costs a pass over the objects and one over the days, not one per object per day.
 */
class HeldGbDays {
  private readonly partial = new Map<string, number>();
  private readonly steps = new Map<StorageTier, Map<number, number>>();
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;

  add(tier: StorageTier, gb: number, from: number, to: number): void {
    if (!Number.isFinite(from) || to <= from) return;
    const firstDay = Math.floor(from / DAY_MS);
    const lastDay = Math.floor((to - 1) / DAY_MS);
    this.first = Math.min(this.first, firstDay);
    this.last = Math.max(this.last, lastDay);
    if (firstDay === lastDay) {
      this.addPartial(tier, firstDay, (gb * (to - from)) / DAY_MS);
      return;
    }
    this.addPartial(tier, firstDay, (gb * ((firstDay + 1) * DAY_MS - from)) / DAY_MS);
    this.addPartial(tier, lastDay, (gb * (to - lastDay * DAY_MS)) / DAY_MS);
    if (lastDay - firstDay > 1) {
      let steps = this.steps.get(tier);
      if (steps === undefined) this.steps.set(tier, (steps = new Map()));
      steps.set(firstDay + 1, (steps.get(firstDay + 1) ?? 0) + gb);
      steps.set(lastDay, (steps.get(lastDay) ?? 0) - gb);
    }
  }

  /** Each day and tier with data held, and its GB-days. */
  forEach(visit: (day: Day, tier: StorageTier, gbDays: number) => void): void {
    const tiers = new Set<StorageTier>([...this.steps.keys(), ...[...this.partial.keys()].map((id) => id.split(' ')[1] as StorageTier)]);
    for (const tier of tiers) {
      const steps = this.steps.get(tier);
      let whole = 0;
      for (let index = this.first; index <= this.last; index++) {
        whole += steps?.get(index) ?? 0;
        const gbDays = whole + (this.partial.get(`${index} ${tier}`) ?? 0);
        // Whole days add and remove the same amounts; what is left below this is rounding.
        if (gbDays > 1e-15) visit(dayOf(index * DAY_MS), tier, gbDays);
      }
    }
  }

  private addPartial(tier: StorageTier, dayIndex: number, gbDays: number): void {
    const id = `${dayIndex} ${tier}`;
    this.partial.set(id, (this.partial.get(id) ?? 0) + gbDays);
  }
}
