// Replays one trace through every policy at one capacity: hit and byte hit ratios, and the time
// each policy spends per access.
import type { LocalTierPolicyFactory } from '../../../server/engines/storage';
import { ArcCache } from './arc';
import { GdsfCache } from './gdsf';
import { LruCache } from './lru';
import { BeladyCache, BeladySizeCache } from './opt';
import { S3FifoCache } from './s3fifo';
import { SieveCache } from './sieve';
import type { SimCache } from './simCache';
import type { Trace } from './traces';
import { WTinyLfuCache } from './wtinylfu';

export const POLICY_NAMES = ['neurolake', 'lru', 'arc', 'wtinylfu', 'wtinylfu-adaptive', 's3fifo', 'sieve', 'gdsf', 'opt'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
export const ONLINE_BASELINES: readonly PolicyName[] = ['lru', 'arc', 'wtinylfu', 'wtinylfu-adaptive', 's3fifo', 'sieve', 'gdsf'];

export interface PolicyResult {
  readonly hitRatio: number;
  readonly byteHitRatio: number;
  /** CPU time (user + system) per access: unlike wall time it does not count the time a busy
   * machine spends running other processes. */
  readonly nanosPerAccess: number;
}

/** Drives a LocalTierPolicy (what the storage engine runs) as a simulated cache. */
export class LocalTierAdapter implements SimCache {
  private now = 0;
  constructor(readonly name: string, private readonly policy: ReturnType<LocalTierPolicyFactory>) {}
  access(key: string, size: number): boolean {
    return this.policy.read(key, size, this.now++).hit;
  }
}

/** Entries a byte-capacity cache is expected to hold, for sketches and sample periods. */
function expectedEntries(trace: Trace, capacity: number): number {
  if (!trace.sized) return capacity;
  let total = 0;
  for (const size of trace.sizes) total += size;
  const meanSize = total / Math.max(1, trace.sizes.length);
  return Math.max(16, Math.round(capacity / Math.max(1, meanSize)));
}

export function makePolicy(name: PolicyName, trace: Trace, capacity: number, neurolake: LocalTierPolicyFactory): SimCache {
  const entries = expectedEntries(trace, capacity);
  switch (name) {
    case 'neurolake':
      return new LocalTierAdapter(name, neurolake(capacity));
    case 'lru':
      return new LruCache(capacity);
    case 'arc':
      return new ArcCache(capacity);
    case 'wtinylfu':
      return new WTinyLfuCache(capacity, { windowShare: 0.01, adaptive: false, expectedEntries: entries });
    case 'wtinylfu-adaptive':
      return new WTinyLfuCache(capacity, { windowShare: 0.01, adaptive: true, expectedEntries: entries });
    case 's3fifo':
      return new S3FifoCache(capacity);
    case 'sieve':
      return new SieveCache(capacity);
    case 'gdsf':
      return new GdsfCache(capacity);
    case 'opt':
      return trace.sized ? new BeladySizeCache(capacity, trace) : new BeladyCache(capacity, trace);
  }
}

export function replay(cache: SimCache, trace: Trace): PolicyResult {
  let hits = 0;
  let hitBytes = 0;
  let totalBytes = 0;
  const { keys, sizes } = trace;
  const started = process.cpuUsage();
  for (let index = 0; index < keys.length; index += 1) {
    const size = sizes[index] as number;
    totalBytes += size;
    if (cache.access(keys[index] as string, size)) {
      hits += 1;
      hitBytes += size;
    }
  }
  const used = process.cpuUsage(started);
  const elapsed = (used.user + used.system) * 1000;
  return {
    hitRatio: hits / Math.max(1, keys.length),
    byteHitRatio: hitBytes / Math.max(1, totalBytes),
    nanosPerAccess: elapsed / Math.max(1, keys.length),
  };
}
