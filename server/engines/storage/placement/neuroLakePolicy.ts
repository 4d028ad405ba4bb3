// NeuroLake's local-tier policy. No single cache policy wins everywhere: W-TinyLFU's frequency
// filter is what saves loops and scans, but it loses to plain LRU on recency-heavy traffic, and
// the best split between its LRU window and its frequency-guarded main space differs from one
// workload to the next (and within one over time). So the tier runs W-TinyLFU and, beside it,
// miniature simulations (Waldspurger et al., ATC'17) of the same structure at several window
// shares, fed a fixed hash-sampled slice of the keys at a proportionally scaled capacity. Every
// period the real cache moves its window to the share whose miniature has been hitting most.
// One sketch serves all: a sampled key's frequency is the same whichever cache looks at it.
//
// A read of a resident object is a hit whatever size it names (a changed object comes through
// store, which replaces it); the trace replays rely on that, as every simulator does.
//
// Memory: per resident object one node (key, hash, size, segment, two links: about 80 bytes
// plus the key) and its index entry; the four miniatures hold a quarter of the capacity each,
// so about as many nodes again in all; the sketch holds 16 one-byte counters per expected
// resident (rounded up to a power of two, at most 16 MiB). No ghost lists.
// Time: O(1) per access (a hash, four sketch counters, a Map lookup, list moves), plus the
// miniatures' O(1) work on the sampled fraction of accesses.
import { FrequencySketch, hashKey } from './frequencySketch';
import type { AccessOutcome, LocalTierPolicy } from './policy';
import { WindowedTinyLfu } from './windowedTinyLfu';

/** The window shares the miniatures try; the real cache always uses one of them. */
const WINDOW_SHARES: readonly number[] = [0.01, 0.2, 0.5, 1];
const INITIAL_SHARE_INDEX = 0;
/** Fraction of the key space the miniatures see (by hash, so a key is always in or out). */
const SAMPLE_RATE = 1 / 4;
const SAMPLE_THRESHOLD = Math.round(SAMPLE_RATE * 2 ** 16);
/** Sampled requests between decisions, in miniature residents. */
const PERIOD_IN_RESIDENTS = 2;
const MIN_PERIOD = 64;
/** Weight the past keeps at each decision: a share must keep winning to be chosen. */
const SCORE_MEMORY = 0.5;

const SWITCH_MARGIN = 1;

const NOTHING: readonly string[] = [];
const HIT: AccessOutcome = Object.freeze({ hit: true, admitted: false, evicted: NOTHING });

export class NeuroLakePolicy implements LocalTierPolicy {
  readonly name = 'neurolake';
  private readonly evicted: string[] = [];
  private readonly cache: WindowedTinyLfu;
  private readonly miniatures: WindowedTinyLfu[];
  private readonly scores: Float64Array;
  private readonly periodHits: Float64Array;
  private sketch: FrequencySketch;
  private readonly pinnedKeys = new Set<string>();
  private shareIndex = INITIAL_SHARE_INDEX;
  private sampledInPeriod = 0;
  private sizedSketch = false;
  private seenBytes = 0;
  private seenObjects = 0;

  constructor(capacityBytes: number) {
    const capacity = checkNonNegative('Local tier capacity', capacityBytes);
    this.sketch = new FrequencySketch(Math.max(16, capacity), 10 * Math.max(16, capacity));
    const sketch = (): FrequencySketch => this.sketch;
    this.cache = new WindowedTinyLfu(capacity, WINDOW_SHARES[INITIAL_SHARE_INDEX] as number, sketch, this.evicted);
    this.miniatures = WINDOW_SHARES.map((share) => new WindowedTinyLfu(capacity * SAMPLE_RATE, share, sketch));
    this.scores = new Float64Array(WINDOW_SHARES.length);
    this.periodHits = new Float64Array(WINDOW_SHARES.length);
  }

  get capacityBytes(): number {
    return this.cache.capacity;
  }

  /** The window share the tier runs at now (for tests and the bench's report). */
  get windowShare(): number {
    return this.cache.windowShare;
  }

  read(key: string, sizeBytes: number, _now: number): AccessOutcome {
    checkNonNegative(`Size of "${key}"`, sizeBytes);
    const node = this.cache.index.get(key);
    const hash = node?.hash ?? hashKey(key);
    this.record(key, hash, sizeBytes);
    if (node !== undefined) {
      this.cache.touch(node);
      return HIT;
    }
    return this.admit(key, hash, sizeBytes);
  }

  store(key: string, sizeBytes: number, _now: number): AccessOutcome {
    checkNonNegative(`Size of "${key}"`, sizeBytes);
    const hash = hashKey(key);
    this.record(key, hash, sizeBytes);
    const old = this.cache.remove(key);
    const outcome = this.admit(key, hash, sizeBytes);
    // A replaced object's old local copy goes when the new one is not kept.
    if (old !== undefined && !outcome.admitted && !this.pinnedKeys.has(key)) return { ...outcome, evicted: [key, ...outcome.evicted] };
    return outcome;
  }

  remove(key: string): void {
    this.cache.remove(key);
    this.pinnedKeys.delete(key);
  }

  isResident(key: string): boolean {
    return this.cache.index.has(key);
  }

  setPinned(key: string, pinned: boolean): void {
    if (pinned) this.pinnedKeys.add(key);
    else this.pinnedKeys.delete(key);
    this.cache.setPinned(key, pinned);
    this.evicted.length = 0;
  }

  resize(capacityBytes: number): readonly string[] {
    const capacity = checkNonNegative('Local tier capacity', capacityBytes);
    this.cache.setCapacity(capacity);
    for (const miniature of this.miniatures) miniature.setCapacity(capacity * SAMPLE_RATE);
    return this.drainEvicted();
  }

  usedBytes(): number {
    return this.cache.usedBytes;
  }

  /** Bytes of fixed-size state: the frequency sketch. */
  get sketchBytes(): number {
    return this.sketch.memoryBytes;
  }

  private admit(key: string, hash: number, size: number): AccessOutcome {
    if (size > this.cache.capacity - this.cache.pinnedBytes) return { hit: false, admitted: false, evicted: NOTHING };
    this.cache.insert(key, hash, size, this.pinnedKeys.has(key));
    const admitted = this.cache.index.has(key);
    const evicted = this.drainEvicted();
    return { hit: false, admitted, evicted: admitted ? evicted : evicted.filter((gone) => gone !== key) };
  }

  private drainEvicted(): readonly string[] {
    if (this.evicted.length === 0) return NOTHING;
    const drained = this.evicted.slice();
    this.evicted.length = 0;
    return drained;
  }

  /** Counts the access in the sketch and, for sampled keys, replays it through the miniatures. */
  private record(key: string, hash: number, size: number): void {
    this.seenBytes += size;
    this.seenObjects += 1;
    if (!this.sizedSketch && this.cache.usedBytes + size > this.cache.capacity) this.sizeSketchToResidents();
    this.sketch.increment(hash);
    if ((Math.imul(hash, 0x2c1b3c6d) >>> 16) >= SAMPLE_THRESHOLD) return;
    for (let index = 0; index < this.miniatures.length; index += 1) {
      if ((this.miniatures[index] as WindowedTinyLfu).access(key, hash, size)) this.periodHits[index] = (this.periodHits[index] as number) + 1;
    }
    this.sampledInPeriod += 1;
    if (this.sampledInPeriod >= Math.max(MIN_PERIOD, PERIOD_IN_RESIDENTS * (this.miniatures[0] as WindowedTinyLfu).residents)) this.decide();
  }

  /** Moves the real window to the share whose miniature has been doing best. */
  private decide(): void {
    let best = this.shareIndex;
    for (let index = 0; index < this.scores.length; index += 1) {
      this.scores[index] = SCORE_MEMORY * (this.scores[index] as number) + (this.periodHits[index] as number);
      this.periodHits[index] = 0;
      if ((this.scores[index] as number) > (this.scores[best] as number)) best = index;
    }
    this.sampledInPeriod = 0;
    if (best === this.shareIndex) return;
    // Moving the window costs hits while the cache reshapes, so a share must beat the current
    // one by more than chance would (a standard deviation of a count of hits).
    const current = this.scores[this.shareIndex] as number;
    const leader = this.scores[best] as number;
    if (leader - current <= SWITCH_MARGIN * Math.sqrt(leader + current)) return;
    this.shareIndex = best;
    this.cache.setWindowShare(WINDOW_SHARES[best] as number);
  }

  /**
   * The first time the tier fills, the sketch is re-sized to the number of objects it holds:
   * before that, a byte capacity says nothing about how many objects it will hold.
   */
  private sizeSketchToResidents(): void {
    this.sizedSketch = true;
    const typical = this.seenBytes / Math.max(1, this.seenObjects);
    const entries = Math.max(16, Math.round(this.cache.capacity / Math.max(1, typical)));
    if (entries * 2 < this.sketch.samplePeriod / 10 || entries > (this.sketch.samplePeriod / 10) * 2) {
      this.sketch = new FrequencySketch(entries, 10 * entries);
    }
  }
}

function checkNonNegative(what: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a non-negative number of bytes, got ${value}.`);
  return value;
}
