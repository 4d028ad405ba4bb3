// A minimal least-recently-used policy by bytes, used until the placement module provides the
// default; same contract, so the engine does not change when it is swapped.
import type { AccessOutcome, LocalTierPolicy } from './placement/policy';

export function createLruPolicy(capacityBytes: number): LocalTierPolicy {
  const resident = new Map<string, number>();
  const pinned = new Set<string>();
  let used = 0;
  let capacity = capacityBytes;
  const makeRoom = (need: number, except: string): string[] | undefined => {
    const evicted: string[] = [];
    let free = capacity - used;
    for (const [key, size] of resident) {
      if (free >= need) break;
      if (pinned.has(key) || key === except) continue;
      evicted.push(key);
      free += size;
    }
    return free >= need ? evicted : undefined;
  };
  const admit = (key: string, size: number): AccessOutcome => {
    if (size > capacity) return { hit: false, admitted: false, evicted: [] };
    const evicted = makeRoom(size, key);
    if (evicted === undefined) return { hit: false, admitted: false, evicted: [] };
    for (const key of evicted) policy.remove(key);
    resident.set(key, size);
    used += size;
    return { hit: false, admitted: true, evicted };
  };
  const policy: LocalTierPolicy = {
    name: 'lru',
    get capacityBytes() {
      return capacity;
    },
    read(key, size) {
      const known = resident.get(key);
      if (known !== undefined) {
        resident.delete(key);
        resident.set(key, known);
        return { hit: true, admitted: true, evicted: [] };
      }
      return admit(key, size);
    },
    store(key, size) {
      policy.remove(key);
      return admit(key, size);
    },
    remove(key) {
      const size = resident.get(key);
      if (size === undefined) return;
      resident.delete(key);
      used -= size;
    },
    isResident: (key) => resident.has(key),
    setPinned(key, value) {
      if (value) pinned.add(key);
      else pinned.delete(key);
    },
    resize(next) {
      capacity = next;
      const evicted = makeRoom(0, '') ?? [];
      for (const key of evicted) policy.remove(key);
      return evicted;
    },
    usedBytes: () => used,
  };
  return policy;
}
