// NeuroLake's local-tier policy. No single cache policy wins everywhere: W-TinyLFU's frequency
// filter is what saves loops and scans, but it loses to plain LRU on recency-heavy traffic; the
// best split between its LRU window and its frequency-guarded main space differs from one
// workload to the next; LIRS's reuse distances follow multi-pattern traffic (loops beside hot
// sets) faster than a frequency sketch that forgets slowly; and on objects of mixed sizes
// GreedyDual-Size-Frequency's preference for small popular objects wins the most hits. So the
// tier runs one of these structures and, beside it, miniature simulations (Waldspurger et al.,
// ATC'17) of each candidate: W-TinyLFU at window shares of 1%, 20% and 100% (the last is LRU),
// GDSF and LIRS, fed a fixed hash-sampled ninth of the keys at a ninth of the capacity. Every
// period the real cache (which starts on LIRS) moves to the candidate whose miniature has been
// hitting most, when it leads by more than chance and led at the decision before too. One
// frequency sketch serves all: a sampled key's count is the same for every cache.
//
// A read of a resident object is a hit whatever size it names (a changed object comes through
// store, which replaces it); the trace replays rely on that, as every simulator does.
//
// Memory: per resident object one node (key, hash, size, segment or frequency, links: about
// 80 bytes plus the key) and its index entry; LIRS, when it runs, also keeps ghosts (key and
// links) of at most twice as many evicted objects. The five miniatures each hold a ninth of the
// tier's capacity, so about 5/9 as many nodes again in all (plus the LIRS miniature's ghosts,
// at most 2/9 more); the sketch holds 16 one-byte counters per expected resident (a power of
// two, at most 16 MiB); the decision state is a few arrays of five and 25 numbers.
// Time per access: O(1) for W-TinyLFU and LIRS, O(log n) for GDSF's heap, plus the
// miniatures' work on the sampled ninth of accesses; moving between kinds of structure
// hands the residents over in O(n log n), at most once a decision period (as many sampled
// requests as a miniature has residents), so O(log n) amortised.
import { FrequencySketch, hashKey } from './frequencySketch';
import type { AccessOutcome, LocalTierPolicy } from './policy';
import { GreedyDualSizeFrequency } from './gdsfStructure';
import { LowInterReferenceRecency } from './lirsStructure';
import type { TierStructure } from './tierStructure';
import { WindowedTinyLfu } from './windowedTinyLfu';

/** The structures the miniatures try; the real cache always runs one of them. */
type Candidate = { readonly kind: 'w-tinylfu'; readonly windowShare: number } | { readonly kind: 'gdsf' } | { readonly kind: 'lirs' };
const CANDIDATES: readonly Candidate[] = [
  { kind: 'w-tinylfu', windowShare: 0.01 },
  { kind: 'w-tinylfu', windowShare: 0.2 },
  { kind: 'w-tinylfu', windowShare: 1 },
  { kind: 'gdsf' },
  { kind: 'lirs' },
];
/**
 * LIRS until the miniatures know better: like W-TinyLFU it survives loops and scans, which
 * LRU does not, and it follows a change of working set faster than a frequency sketch.
 */
const INITIAL_CANDIDATE = CANDIDATES.findIndex((candidate) => candidate.kind === 'lirs');
/** Fraction of the key space the miniatures see (by hash, so a key is always in or out). */
const SAMPLE_RATE = 1 / 9;
const SAMPLE_THRESHOLD = Math.round(SAMPLE_RATE * 2 ** 16);
/** Sampled requests between decisions, in miniature residents (about one turnover). */
const PERIOD_IN_RESIDENTS = 1;
const MIN_PERIOD = 64;
/**
 * Weight the past keeps at each decision: a candidate must keep winning to be chosen. Scores
 * span about ten periods, so a workload whose phases favour one structure and then another
 * (a sweep up, then down) does not move the tier at every phase.
 */
const SCORE_MEMORY = 0.9;
/**
 * Standard deviations by which a candidate's hits must lead the running structure's to take
 * over. The miniatures see the same requests, so the difference of their hit counts varies
 * only with the requests where they disagree (McNemar's test), not with all their hits.
 */
const SWITCH_MARGIN = 2;
/** How fast the extra bar raised by each move falls back, per decision. */
const RESTLESSNESS_DECAY = 0.5;

/** Miniatures fuller than this have stopped hitting alike and start telling structures apart. */
const WARM_SHARE = 0.95;

/** Size spread (standard deviation over mean) above which sizes count as widely mixed. */
const MIXED_SIZES_SPREAD = 1;

/** Objects the sketch is first sized for, at most (until the tier first fills). */
const INITIAL_SKETCH_KEYS = 1 << 16;

const NOTHING: readonly string[] = [];
const HIT: AccessOutcome = Object.freeze({ hit: true, admitted: false, evicted: NOTHING });
const MISS_ADMITTED: AccessOutcome = Object.freeze({ hit: false, admitted: true, evicted: NOTHING });

export class NeuroLakePolicy implements LocalTierPolicy {
  readonly name = 'neurolake';
  private readonly evicted: string[] = [];
  private cache: TierStructure;
  private readonly miniatures: TierStructure[];
  private readonly scores: Float64Array;
  private readonly periodHits: Float64Array;
  /** Per pair of candidates (i * count + j, i < j): requests one hit and the other missed. */
  private readonly discordant: Float64Array;
  private readonly periodDiscordant: Float64Array;
  private sketch: FrequencySketch;
  private readonly pinnedKeys = new Set<string>();
  private chosen = INITIAL_CANDIDATE;
  /** The candidate with the best score at the last decision. */
  private leader = INITIAL_CANDIDATE;
  private restlessness = 0;
  private sampledInPeriod = 0;
  private sizedSketch = false;
  private seenBytes = 0;
  private seenSquares = 0;
  private seenObjects = 0;

  constructor(capacityBytes: number) {
    const capacity = checkNonNegative('Local tier capacity', capacityBytes);
    // Sized for the capacity as a count of objects, within reason: a capacity in bytes says
    // nothing about how many objects it holds, and the first fill sizes the sketch again.
    const expectedKeys = Math.max(16, Math.min(capacity, INITIAL_SKETCH_KEYS));
    this.sketch = new FrequencySketch(expectedKeys, 10 * expectedKeys);
    this.cache = this.build(CANDIDATES[INITIAL_CANDIDATE] as Candidate, capacity, this.evicted);
    this.miniatures = CANDIDATES.map((candidate) => this.build(candidate, capacity * SAMPLE_RATE, undefined));
    this.scores = new Float64Array(CANDIDATES.length);
    this.periodHits = new Float64Array(CANDIDATES.length);
    this.discordant = new Float64Array(CANDIDATES.length * CANDIDATES.length);
    this.periodDiscordant = new Float64Array(CANDIDATES.length * CANDIDATES.length);
  }

  get capacityBytes(): number {
    return this.cache.capacity;
  }

  /** The structure the tier runs now, e.g. "w-tinylfu 20%" (for tests and the bench's report). */
  get running(): string {
    const candidate = CANDIDATES[this.chosen] as Candidate;
    return candidate.kind === 'w-tinylfu' ? `w-tinylfu ${candidate.windowShare * 100}%` : candidate.kind;
  }

  read(key: string, sizeBytes: number, _now: number): AccessOutcome {
    checkSize(key, sizeBytes);
    const node = this.cache.lookup(key);
    const hash = node?.hash ?? hashKey(key);
    this.record(key, hash, sizeBytes);
    if (node !== undefined) {
      this.cache.touch(node);
      return HIT;
    }
    return this.admit(key, hash, sizeBytes);
  }

  store(key: string, sizeBytes: number, _now: number): AccessOutcome {
    checkSize(key, sizeBytes);
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
    return this.cache.lookup(key) !== undefined;
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
    this.cache.insert(key, hash, size, this.pinnedKeys.size !== 0 && this.pinnedKeys.has(key));
    // The key was not resident before (a switch of structure can evict, but only residents),
    // so the newcomer was kept unless it is among the keys just evicted: no second lookup.
    if (this.evicted.length === 0) return MISS_ADMITTED;
    const evicted = this.drainEvicted();
    const admitted = !evicted.includes(key);
    return { hit: false, admitted, evicted: admitted ? evicted : evicted.filter((gone) => gone !== key) };
  }

  private drainEvicted(): readonly string[] {
    const evicted = this.evicted;
    if (evicted.length === 0) return NOTHING;
    const drained = evicted.slice();
    // Emptied by popping: truncating an array through its length is a runtime call costing
    // as much as a map lookup, and this runs on most misses.
    while (evicted.length > 0) evicted.pop();
    return drained;
  }

  /** Counts the access in the sketch and, for sampled keys, replays it through the miniatures. */
  private record(key: string, hash: number, size: number): void {
    this.seenBytes += size;
    this.seenSquares += size * size;
    this.seenObjects += 1;
    if (!this.sizedSketch && this.cache.usedBytes + size > this.cache.capacity) this.sizeSketchToResidents();
    this.sketch.increment(hash);
    if ((Math.imul(hash, 0x2c1b3c6d) >>> 16) >= SAMPLE_THRESHOLD) return;
    let hits = 0;
    const count = this.miniatures.length;
    for (let index = 0; index < count; index += 1) {
      if ((this.miniatures[index] as TierStructure).access(key, hash, size)) {
        this.periodHits[index] = (this.periodHits[index] as number) + 1;
        hits |= 1 << index;
      }
    }
    // Only requests where two miniatures disagree tell them apart (McNemar's test).
    if (hits !== 0 && hits !== (1 << count) - 1) {
      for (let first = 0; first < count; first += 1) {
        for (let second = first + 1; second < count; second += 1) {
          if (((hits >>> first) ^ (hits >>> second)) & 1) this.periodDiscordant[first * count + second] = (this.periodDiscordant[first * count + second] as number) + 1;
        }
      }
    }
    this.sampledInPeriod += 1;
    if (this.sampledInPeriod >= Math.max(MIN_PERIOD, PERIOD_IN_RESIDENTS * (this.miniatures[0] as TierStructure).residents)) {
      // While the tier is still filling every structure hits alike: nothing to learn yet.
      const miniature = this.miniatures[0] as TierStructure;
      if (miniature.usedBytes >= WARM_SHARE * miniature.capacity) this.decide();
      else this.forgetPeriod();
    }
  }

  /** Moves the real cache to the structure whose miniature has been doing best. */
  private decide(): void {
    let best = this.chosen;
    for (let index = 0; index < this.scores.length; index += 1) {
      this.scores[index] = SCORE_MEMORY * (this.scores[index] as number) + (this.periodHits[index] as number);
      this.periodHits[index] = 0;
      if ((this.scores[index] as number) > (this.scores[best] as number)) best = index;
    }
    for (let pair = 0; pair < this.discordant.length; pair += 1) {
      this.discordant[pair] = SCORE_MEMORY * (this.discordant[pair] as number) + (this.periodDiscordant[pair] as number);
    }
    this.periodDiscordant.fill(0);
    this.sampledInPeriod = 0;
    const ledBefore = this.leader === best;
    this.leader = best;
    // A lead of one period alone may be the first half of a pattern whose second half favours
    // the structure running (a sweep back over what was just read: LRU hits its first half,
    // LIRS its second), and moving in between loses both halves: the candidate must lead at
    // two decisions running.
    if (best === this.chosen || !ledBefore) return;
    // Moving costs hits while the cache reshapes, so a candidate must beat the current one by
    // more than chance would (a standard deviation of a count of hits).
    const current = this.scores[this.chosen] as number;
    const leader = this.scores[best] as number;
    // Each recent move raises the bar, so two near-equal candidates cannot take turns.
    this.restlessness *= RESTLESSNESS_DECAY;
    const disagreements = this.discordant[Math.min(best, this.chosen) * CANDIDATES.length + Math.max(best, this.chosen)] as number;
    if (leader - current <= SWITCH_MARGIN * (1 + this.restlessness) * Math.sqrt(disagreements)) return;
    this.restlessness += 1;
    this.switchTo(best);
  }

  private forgetPeriod(): void {
    this.periodHits.fill(0);
    this.periodDiscordant.fill(0);
    this.sampledInPeriod = 0;
  }

  private switchTo(index: number): void {
    const from = CANDIDATES[this.chosen] as Candidate;
    const to = CANDIDATES[index] as Candidate;
    this.chosen = index;
    if (from.kind === 'w-tinylfu' && to.kind === 'w-tinylfu') {
      (this.cache as WindowedTinyLfu).setWindowShare(to.windowShare);
      return;
    }
    // A different kind of structure takes over the same residents, coldest first, so nothing
    // is evicted by the move itself (O(residents), at most once a period).
    const next = this.build(to, this.cache.capacity, this.evicted);
    for (const node of this.cache.coldestFirst()) next.adopt(node);
    next.settle();
    this.cache = next;
  }

  private build(candidate: Candidate, capacity: number, evicted: string[] | undefined): TierStructure {
    if (candidate.kind === 'gdsf') return new GreedyDualSizeFrequency(capacity, evicted);
    if (candidate.kind === 'lirs') return new LowInterReferenceRecency(capacity, evicted);
    return new WindowedTinyLfu(capacity, candidate.windowShare, () => this.sketch, evicted);
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
    // Objects of widely mixed sizes: start from the size-aware structure rather than wait for
    // the miniatures to find it (they still move the tier away if it is wrong).
    const variance = this.seenSquares / Math.max(1, this.seenObjects) - typical * typical;
    const gdsf = CANDIDATES.findIndex((candidate) => candidate.kind === 'gdsf');
    if (gdsf >= 0 && Math.sqrt(Math.max(0, variance)) > MIXED_SIZES_SPREAD * typical) this.switchTo(gdsf);
  }
}

/** The message is built only for a bad size: this runs on every access. */
function checkSize(key: string, sizeBytes: number): void {
  if (!(sizeBytes >= 0 && sizeBytes < Infinity)) checkNonNegative(`Size of "${key}"`, sizeBytes);
}

function checkNonNegative(what: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a non-negative number of bytes, got ${value}.`);
  return value;
}
