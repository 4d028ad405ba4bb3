// Belady's OPT for unit sizes: on a miss with the cache full, evict whichever of the residents
// and the newcomer is next requested furthest in the future. Belady-size for sized traces: the
// resident (or newcomer) with the largest size × distance to its next request goes, chosen from
// a deterministic random sample of residents as the heuristic's authors do.
import { IndexedMinHeap } from '../../../server/engines/storage';
import type { SimCache } from './simCache';
import type { Trace } from './traces';

/** For each request, the index of the next request of the same key (Infinity if none). */
export function nextUses(keys: readonly string[]): Float64Array {
  const next = new Float64Array(keys.length);
  const seen = new Map<string, number>();
  for (let index = keys.length - 1; index >= 0; index -= 1) {
    const key = keys[index] as string;
    next[index] = seen.get(key) ?? Infinity;
    seen.set(key, index);
  }
  return next;
}

export class BeladyCache implements SimCache {
  readonly name = 'opt';
  // A min-heap of negated next uses: its top is the resident needed furthest away.
  private readonly heap = new IndexedMinHeap();
  private readonly next: Float64Array;
  private position = 0;

  constructor(private readonly capacity: number, trace: Trace) {
    this.next = nextUses(trace.keys);
  }

  access(key: string): boolean {
    const nextUse = this.next[this.position++] as number;
    if (this.heap.has(key)) {
      this.heap.set(key, -nextUse);
      return true;
    }
    if (this.heap.size < this.capacity) {
      this.heap.set(key, -nextUse);
    } else if (-(this.heap.peekPriority() as number) > nextUse) {
      this.heap.pop();
      this.heap.set(key, -nextUse);
    }
    return false;
  }
}

const SAMPLE = 64;

export class BeladySizeCache implements SimCache {
  readonly name = 'opt';
  private readonly next: Float64Array;
  private position = 0;
  private readonly residentKeys: string[] = [];
  private readonly residents = new Map<string, { size: number; nextUse: number; slot: number }>();
  private used = 0;
  private seed = 0x2545f491;

  constructor(private readonly capacity: number, trace: Trace) {
    this.next = nextUses(trace.keys);
  }

  access(key: string, size: number): boolean {
    const now = this.position;
    const nextUse = this.next[this.position++] as number;
    const resident = this.residents.get(key);
    if (resident !== undefined) {
      resident.nextUse = nextUse;
      return true;
    }
    if (size > this.capacity || nextUse === Infinity) return false;
    const newcomerScore = size * (nextUse - now);
    while (this.used + size > this.capacity) {
      let victim: string | undefined;
      let victimScore = -1;
      for (let draw = 0; draw < Math.min(SAMPLE, this.residentKeys.length); draw += 1) {
        const candidate = this.residentKeys[this.random() % this.residentKeys.length] as string;
        const entry = this.residents.get(candidate) as { size: number; nextUse: number };
        const score = entry.size * (entry.nextUse - now);
        if (score > victimScore) {
          victimScore = score;
          victim = candidate;
        }
      }
      if (victim === undefined || victimScore < newcomerScore) return false;
      this.drop(victim);
    }
    this.residents.set(key, { size, nextUse, slot: this.residentKeys.length });
    this.residentKeys.push(key);
    this.used += size;
    return false;
  }

  private drop(key: string): void {
    const entry = this.residents.get(key) as { size: number; slot: number };
    const last = this.residentKeys.pop() as string;
    if (last !== key) {
      this.residentKeys[entry.slot] = last;
      (this.residents.get(last) as { slot: number }).slot = entry.slot;
    }
    this.residents.delete(key);
    this.used -= entry.size;
  }

  private random(): number {
    // xorshift32: deterministic, so every run prints the same figures.
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }
}
