// How the local tier's hit ratio would change with its capacity: the recorded access history
// replayed through the real placement policy at each candidate capacity. A policy is built fresh
// for every capacity, so each replay starts from an empty local tier as the engine's would.
import type { LocalTierPolicyFactory } from '../storage';
import { CostError } from './errors';
import type { AccessRecord } from './records';

export interface CapacityPoint {
  readonly capacityBytes: number;
  readonly reads: number;
  readonly hits: number;
  /** Hits per read (0 when nothing was read). */
  readonly hitRatio: number;
  /** Bytes that had to come from the cloud. */
  readonly missBytes: number;
  /** Bytes served locally per byte read. */
  readonly byteHitRatio: number;
}

/** Replays `accesses` (in time order) once per capacity. */
export function replayHitRatios(accesses: readonly AccessRecord[], policyFor: LocalTierPolicyFactory, capacities: readonly number[]): CapacityPoint[] {
  accesses.forEach(checkAccess);
  for (const capacity of capacities) {
    if (!Number.isFinite(capacity) || capacity < 0) throw new CostError('invalid-input', `A capacity to replay must be a number of bytes of at least 0, not ${capacity}.`, 'capacities');
  }
  const ordered = isSorted(accesses) ? accesses : [...accesses].sort((a, b) => a.at - b.at);
  return [...new Set(capacities)]
    .sort((a, b) => a - b)
    .map((capacityBytes) => {
      const policy = policyFor(capacityBytes);
      let reads = 0;
      let hits = 0;
      let readBytes = 0;
      let missBytes = 0;
      for (const access of ordered) {
        if (access.kind === 'read') {
          reads += 1;
          readBytes += access.sizeBytes;
          if (policy.read(access.key, access.sizeBytes, access.at).hit) hits += 1;
          else missBytes += access.sizeBytes;
        } else if (access.kind === 'store') {
          policy.store(access.key, access.sizeBytes, access.at);
        } else {
          policy.remove(access.key);
        }
      }
      return { capacityBytes, reads, hits, hitRatio: reads === 0 ? 0 : hits / reads, missBytes, byteHitRatio: readBytes === 0 ? 0 : 1 - missBytes / readBytes };
    });
}

/**
 * Capacities worth trying around the current one: fractions and multiples of it, up to the
 * working set (every distinct object once), past which more disk cannot raise the hit ratio.
 */
export function candidateCapacities(currentBytes: number, accesses: readonly AccessRecord[]): number[] {
  const sizes = new Map<string, number>();
  for (const access of accesses) if (access.kind !== 'delete') sizes.set(access.key, Math.max(sizes.get(access.key) ?? 0, access.sizeBytes));
  let workingSet = 0;
  for (const size of sizes.values()) workingSet += size;
  const multiples = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];
  const candidates = multiples.map((m) => Math.round(currentBytes * m)).filter((bytes) => bytes > 0 && bytes <= workingSet);
  return [...new Set([...candidates, currentBytes, workingSet].filter((bytes) => bytes > 0))].sort((a, b) => a - b);
}

function isSorted(accesses: readonly AccessRecord[]): boolean {
  for (let i = 1; i < accesses.length; i++) if ((accesses[i] as AccessRecord).at < (accesses[i - 1] as AccessRecord).at) return false;
  return true;
}

function checkAccess(access: AccessRecord, i: number): void {
  const where = `access ${i} (${JSON.stringify(access.key)})`;
  if (access.kind !== 'read' && access.kind !== 'store' && access.kind !== 'delete') {
    throw new CostError('invalid-input', `${where}: kind must be read, store or delete, not ${JSON.stringify(access.kind)}.`, `accesses[${i}].kind`);
  }
  if (!Number.isFinite(access.sizeBytes) || access.sizeBytes < 0) {
    throw new CostError('invalid-input', `${where}: sizeBytes must be a number of at least 0, not ${access.sizeBytes}.`, `accesses[${i}].sizeBytes`);
  }
  if (!Number.isFinite(access.at)) throw new CostError('invalid-input', `${where}: at must be a time in milliseconds, not ${access.at}.`, `accesses[${i}].at`);
}
