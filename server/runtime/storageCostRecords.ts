// The storage engine's own records (the objects it lists, their history of moves, the access log)
// turned into what the cost engine prices: GB-months per tier per day, requests, archive
// retrievals and egress per day, every object with its tier and last read, and the reads and
// writes to replay through the placement policy. Pure, so the mapping is tested on its own.
import { DAY_MS, GB, dayOf, dayStart, daysInMonth, type AccessRecord, type Day, type ObjectRecord, type StorageTier, type StorageUsageRecord } from '../engines/cost';
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

  const records: ObjectRecord[] = [];
  for (const object of objects) {
    const created = Date.parse(object.created);
    for (const tier of object.tiers) {
      const since = copiedAt(object, tier, created);
      addGbMonths(object.size, since, now, (day, gbMonths) => (at(day, tier).gbMonths += gbMonths));
    }
    for (const event of object.history) {
      const time = Date.parse(event.at);
      if (!Number.isFinite(time)) continue;
      const day = dayOf(time);
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
    const day = dayOf(time);
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

/** Spreads `bytes` kept from `from` to `to` over the days it spans, as GB-months of each day's month. */
function addGbMonths(bytes: number, from: number, to: number, add: (day: Day, gbMonths: number) => void): void {
  if (!Number.isFinite(from) || to <= from) return;
  const gb = bytes / GB;
  for (let start = from; start < to; ) {
    const day = dayOf(start);
    const end = Math.min(to, dayStart(day) + DAY_MS);
    add(day, (gb * ((end - start) / DAY_MS)) / daysInMonth(day));
    start = end;
  }
}
