// NeuroLake's local-tier policy: W-TinyLFU's structure (an LRU window in front of a segmented
// main space, a frequency sketch deciding whether a window evictee may displace main's victim)
// with two adaptations that fix the workloads where a fixed filter collapses:
// - every admission decision is checked against what happened next: a rejected candidate that
//   is requested again before the victim it lost to was is a wrong rejection; an evicted victim
//   requested before the candidate that displaced it is a wrong admission. Their balance moves
//   an admission bias, so on recency-heavy traffic the filter opens up (towards LRU) within a
//   few hundred requests, and on loops and scans it stays shut;
// - the window/main split climbs the hit rate the way Caffeine does, for the slower drifts.
// Sizes are weighed: a candidate displaces victims only while it is worth more per byte.
// State: one small record per resident object, two ghost maps of at most as many records as
// there are residents, and a 4-row sketch of 4 × residents one-byte counters.
import { FrequencySketch, hashKey } from './frequencySketch';
import type { AccessOutcome, LocalTierPolicy } from './policy';

const INITIAL_WINDOW_SHARE = 0.01;
const PROTECTED_SHARE = 0.8;
const STEP_SHARE = 0.0625;
const STEP_DECAY = 0.98;
const RESTART_THRESHOLD = 0.05;
const MAX_BIAS = 16;
const BIAS_STEP = 0;
const PROTECTED_FEEDBACK = false;
const PROTECTED_STEP = 0.01;
const MAX_PROTECTED_SHARE = 0.8;
const SIZE_MODE: string = 'sqrt';
const SAMPLE_MULTIPLE = 10;
const ADMISSION_WINDOW_FEEDBACK = false;
const WINDOW_FEEDBACK = false;
const WINDOW_STEP_SHARE = 0.01;

interface Entry {
  readonly size: number;
  readonly hash: number;
  lastAccess: number;
  segment: Segment;
  /** Has been in the protected segment since it was admitted. */
  wasProtected: boolean;
}

type Segment = 'window' | 'probation' | 'protected' | 'pinned';

interface Rejection {
  readonly victim: string;
  readonly at: number;
}

interface Admission {
  readonly candidate: string;
  readonly at: number;
  readonly wasProtected: boolean;
}

const NOTHING: readonly string[] = [];

export interface NeuroLakePolicyOptions {
  /**
   * Typical object size in bytes, to size the sketch and the sample periods before the tier has
   * seen traffic (1 when the capacity counts entries). It is refined from the objects seen.
   */
  readonly typicalObjectBytes?: number;
}

export class NeuroLakePolicy implements LocalTierPolicy {
  readonly name = 'neurolake';
  private readonly window = new Map<string, Entry>();
  private readonly probation = new Map<string, Entry>();
  private readonly protectedSegment = new Map<string, Entry>();
  private readonly pinnedEntries = new Map<string, Entry>();
  private readonly pinnedKeys = new Set<string>();
  private windowBytes = 0;
  private probationBytes = 0;
  private protectedBytes = 0;
  private pinnedBytes = 0;
  private capacity: number;
  private maxWindow: number;
  private maxProtected: number;
  private sketch: FrequencySketch;
  private clock = 0;
  // Admission feedback.
  private readonly rejections = new Map<string, Rejection>();
  private readonly admissions = new Map<string, Admission>();
  private bias = 0;
  private protectedShare = PROTECTED_SHARE;
  // Hill climbing.
  private hitsInSample = 0;
  private missesInSample = 0;
  private previousHitRate = 0;
  private stepSize: number;
  private full = false;
  private seenBytes = 0;
  private seenObjects = 0;

  constructor(capacityBytes: number, private readonly options: NeuroLakePolicyOptions = {}) {
    this.capacity = checkNonNegative('Local tier capacity', capacityBytes);
    this.maxWindow = Math.max(1, Math.floor(this.capacity * INITIAL_WINDOW_SHARE));
    this.maxProtected = Math.floor((this.capacity - this.maxWindow) * PROTECTED_SHARE);
    this.stepSize = STEP_SHARE * this.capacity;
    const entries = this.expectedEntries();
    this.sketch = new FrequencySketch(entries, 10 * entries);
  }

  get capacityBytes(): number {
    return this.capacity;
  }

  read(key: string, sizeBytes: number, _now: number): AccessOutcome {
    checkNonNegative(`Size of "${key}"`, sizeBytes);
    const now = this.clock++;
    const hash = hashKey(key);
    this.sketch.increment(hash);
    this.learnFrom(key, now);
    const entry = this.find(key);
    if (entry !== undefined) {
      entry.lastAccess = now;
      this.touch(key, entry);
      this.climb(true);
      return { hit: true, admitted: false, evicted: NOTHING };
    }
    this.climb(false);
    return this.admit(key, hash, sizeBytes, now);
  }

  store(key: string, sizeBytes: number, _now: number): AccessOutcome {
    checkNonNegative(`Size of "${key}"`, sizeBytes);
    const now = this.clock++;
    const hash = hashKey(key);
    this.sketch.increment(hash);
    const old = this.find(key);
    if (old !== undefined) this.unlink(key, old);
    const outcome = this.admit(key, hash, sizeBytes, now);
    if (old !== undefined && !outcome.admitted && !this.pinnedKeys.has(key)) {
      return { hit: false, admitted: false, evicted: [key, ...outcome.evicted] };
    }
    return outcome;
  }

  remove(key: string): void {
    const entry = this.find(key);
    if (entry !== undefined) this.unlink(key, entry);
    this.pinnedKeys.delete(key);
  }

  isResident(key: string): boolean {
    return this.find(key) !== undefined;
  }

  setPinned(key: string, pinned: boolean): void {
    if (pinned) this.pinnedKeys.add(key);
    else this.pinnedKeys.delete(key);
    const entry = this.find(key);
    if (entry === undefined || (entry.segment === 'pinned') === pinned) return;
    this.unlink(key, entry);
    // An unpinned object starts over on probation, where it must earn its place.
    this.link(key, entry, pinned ? 'pinned' : 'probation');
    if (!pinned) this.demoteProtected();
  }

  resize(capacityBytes: number): readonly string[] {
    this.capacity = checkNonNegative('Local tier capacity', capacityBytes);
    const windowShare = this.maxWindow / Math.max(1, this.capacity);
    this.maxWindow = Math.max(1, Math.floor(this.capacity * Math.min(1, windowShare)));
    this.maxProtected = Math.floor((this.capacity - this.maxWindow) * this.protectedShare);
    this.stepSize = STEP_SHARE * this.capacity;
    const evicted: string[] = [];
    this.demoteProtected();
    while (this.usedBytes() > this.capacity) {
      const victim = this.oldestEvictable(undefined);
      if (victim === undefined) break;
      this.unlink(victim[0], victim[1]);
      evicted.push(victim[0]);
    }
    return evicted;
  }

  usedBytes(): number {
    return this.windowBytes + this.probationBytes + this.protectedBytes + this.pinnedBytes;
  }

  /** Bytes of state beyond the residents' own records: the sketch, at a fixed size. */
  get sketchBytes(): number {
    return this.sketch.memoryBytes;
  }

  private admit(key: string, hash: number, size: number, now: number): AccessOutcome {
    this.seenBytes += size;
    this.seenObjects += 1;
    if (size > this.capacity - this.pinnedBytes) return { hit: false, admitted: false, evicted: NOTHING };
    const entry: Entry = { size, hash, lastAccess: now, segment: 'window', wasProtected: false };
    if (this.pinnedKeys.has(key)) {
      this.link(key, entry, 'pinned');
    } else {
      this.link(key, entry, 'window');
    }
    const evicted = this.evict(now);
    return { hit: false, admitted: this.find(key) !== undefined, evicted: evicted.filter((gone) => gone !== key) };
  }

  private evict(now: number): string[] {
    const evicted: string[] = [];
    while (this.windowBytes > this.maxWindow && this.window.size > 0) {
      const [candidate, entry] = first(this.window);
      this.unlink(candidate, entry);
      this.link(candidate, entry, 'probation');
      this.admitOrReject(candidate, entry, now, evicted);
    }
    // The window may hold more than its share only while main is short of its own.
    while (this.usedBytes() > this.capacity) {
      const victim = this.oldestEvictable(undefined);
      if (victim === undefined) break;
      if (!this.full) this.becameFull();
      this.unlink(victim[0], victim[1]);
      evicted.push(victim[0]);
    }
    return evicted;
  }

  /** The candidate has just entered probation: it displaces main's victims, or it goes. */
  private admitOrReject(candidate: string, entry: Entry, now: number, evicted: string[]): void {
    const candidateFrequency = this.sketch.frequency(entry.hash);
    while (this.usedBytes() > this.capacity) {
      if (!this.full) this.becameFull();
      const victim = this.mainVictim(candidate);
      if (victim === undefined) {
        this.unlink(candidate, entry);
        evicted.push(candidate);
        return;
      }
      const [victimKey, victimEntry] = victim;
      const victimFrequency = this.sketch.frequency(victimEntry.hash);
      // Worth per byte decides for sized objects; for equal sizes it is plain TinyLFU with a bias.
      const sizeRatio = victimEntry.size / entry.size;
      const weight = SIZE_MODE === 'cap' ? Math.min(1, sizeRatio) : SIZE_MODE === 'full' ? sizeRatio : SIZE_MODE === 'sqrt' ? Math.sqrt(sizeRatio) : 1;
      if ((candidateFrequency + this.bias) * weight <= victimFrequency) {
        this.unlink(candidate, entry);
        evicted.push(candidate);
        this.remember(this.rejections, candidate, { victim: victimKey, at: now });
        return;
      }
      this.unlink(victimKey, victimEntry);
      evicted.push(victimKey);
      this.remember(this.admissions, victimKey, { candidate, at: now, wasProtected: victimEntry.wasProtected });
    }
  }

  /** Probation's oldest other than the candidate, else protected's oldest. */
  private mainVictim(candidate: string): [string, Entry] | undefined {
    for (const pair of this.probation) {
      if (pair[0] !== candidate) return pair;
      break;
    }
    if (this.protectedSegment.size > 0) return first(this.protectedSegment);
    return undefined;
  }

  private oldestEvictable(keep: string | undefined): [string, Entry] | undefined {
    for (const segment of [this.probation, this.protectedSegment, this.window]) {
      for (const pair of segment) {
        if (pair[0] !== keep) return pair;
      }
    }
    return undefined;
  }

  /** Judges the admission decisions this request settles, and moves the bias by the verdicts. */
  private learnFrom(key: string, now: number): void {
    const rejection = this.rejections.get(key);
    if (rejection !== undefined) {
      this.rejections.delete(key);
      const victim = this.find(rejection.victim);
      // The candidate came back before its victim was used again: the rejection cost a hit.
      if (victim !== undefined) this.judgeRejection(victim.lastAccess < rejection.at);
    }
    const admission = this.admissions.get(key);
    if (admission !== undefined) {
      this.admissions.delete(key);
      const candidate = this.find(admission.candidate);
      if (candidate !== undefined) this.judgeAdmission(candidate.lastAccess < admission.at);
      // An evicted victim back within a cache's worth of evictions: ARC's ghost hit. One that
      // had never been protected says probation was too short; one demoted from protected says
      // protected was.
      if (PROTECTED_FEEDBACK) this.moveProtectedShare(admission.wasProtected ? PROTECTED_STEP : -PROTECTED_STEP);
    }
  }

  private judgeRejection(wrong: boolean): void {
    const direction = wrong ? 1 : -1;
    this.bias = Math.min(MAX_BIAS, Math.max(0, this.bias + direction * BIAS_STEP));
    if (WINDOW_FEEDBACK) {
      const step = Math.max(1, this.capacity * WINDOW_STEP_SHARE);
      if (wrong) this.growWindow(step);
      else this.shrinkWindow(step);
    }
  }

  private moveProtectedShare(delta: number): void {
    this.protectedShare = Math.min(MAX_PROTECTED_SHARE, Math.max(0, this.protectedShare + delta));
    this.maxProtected = Math.floor((this.capacity - this.maxWindow) * this.protectedShare);
    this.demoteProtected();
  }

  private judgeAdmission(wrong: boolean): void {
    const direction = wrong ? -1 : 1;
    this.bias = Math.min(MAX_BIAS, Math.max(0, this.bias + direction * BIAS_STEP));
    if (ADMISSION_WINDOW_FEEDBACK) {
      const step = Math.max(1, this.capacity * WINDOW_STEP_SHARE);
      if (wrong) this.shrinkWindow(step);
      else this.growWindow(step);
    }
  }

  /** Records a pending decision, forgetting the oldest once there are as many as residents. */
  private remember<T>(ghost: Map<string, T>, key: string, record: T): void {
    ghost.delete(key);
    ghost.set(key, record);
    const limit = Math.max(16, this.window.size + this.probation.size + this.protectedSegment.size);
    while (ghost.size > limit) ghost.delete(first(ghost)[0]);
  }

  private touch(key: string, entry: Entry): void {
    switch (entry.segment) {
      case 'window':
        this.window.delete(key);
        this.window.set(key, entry);
        return;
      case 'protected':
        this.protectedSegment.delete(key);
        this.protectedSegment.set(key, entry);
        return;
      case 'probation':
        this.unlink(key, entry);
        this.link(key, entry, 'protected');
        entry.wasProtected = true;
        this.demoteProtected();
        return;
      case 'pinned':
        return;
    }
  }

  private demoteProtected(): void {
    while (this.protectedBytes > this.maxProtected && this.protectedSegment.size > 0) {
      const [key, entry] = first(this.protectedSegment);
      this.unlink(key, entry);
      this.link(key, entry, 'probation');
    }
  }

  /** The tier is full for the first time: the sketch is re-sized to the residents it holds. */
  private becameFull(): void {
    this.full = true;
    const residents = this.window.size + this.probation.size + this.protectedSegment.size + this.pinnedEntries.size;
    const entries = Math.max(16, residents);
    if (entries * 2 < this.sketch.samplePeriod / 10 || entries > (this.sketch.samplePeriod / 10) * 2) {
      this.sketch = new FrequencySketch(entries, 10 * entries);
    }
  }

  private climb(hit: boolean): void {
    if (!this.full) return;
    if (hit) this.hitsInSample += 1;
    else this.missesInSample += 1;
    const requests = this.hitsInSample + this.missesInSample;
    if (requests < SAMPLE_MULTIPLE * this.expectedEntries()) return;
    const hitRate = this.hitsInSample / requests;
    const change = hitRate - this.previousHitRate;
    const amount = change >= 0 ? this.stepSize : -this.stepSize;
    this.stepSize = Math.abs(change) >= RESTART_THRESHOLD ? STEP_SHARE * this.capacity * Math.sign(amount || 1) : STEP_DECAY * amount;
    this.previousHitRate = hitRate;
    this.hitsInSample = 0;
    this.missesInSample = 0;
    if (amount > 0) this.growWindow(amount);
    else if (amount < 0) this.shrinkWindow(-amount);
  }

  private growWindow(amount: number): void {
    const quota = Math.min(amount, this.capacity - this.maxWindow);
    this.maxWindow += quota;
    this.maxProtected = Math.floor((this.capacity - this.maxWindow) * this.protectedShare);
    this.demoteProtected();
  }

  private shrinkWindow(amount: number): void {
    const quota = Math.min(amount, this.maxWindow - 1);
    if (quota <= 0) return;
    this.maxWindow -= quota;
    this.maxProtected = Math.floor((this.capacity - this.maxWindow) * this.protectedShare);
    while (this.windowBytes > this.maxWindow && this.window.size > 0) {
      const [key, entry] = first(this.window);
      this.unlink(key, entry);
      this.link(key, entry, 'probation');
    }
  }

  private expectedEntries(): number {
    const typical = this.seenObjects > 0 ? this.seenBytes / this.seenObjects : (this.options.typicalObjectBytes ?? 1);
    return Math.max(16, Math.round(this.capacity / Math.max(1, typical)));
  }

  private find(key: string): Entry | undefined {
    return this.window.get(key) ?? this.probation.get(key) ?? this.protectedSegment.get(key) ?? this.pinnedEntries.get(key);
  }

  private link(key: string, entry: Entry, segment: Segment): void {
    entry.segment = segment;
    switch (segment) {
      case 'window':
        this.window.set(key, entry);
        this.windowBytes += entry.size;
        return;
      case 'probation':
        this.probation.set(key, entry);
        this.probationBytes += entry.size;
        return;
      case 'protected':
        this.protectedSegment.set(key, entry);
        this.protectedBytes += entry.size;
        return;
      case 'pinned':
        this.pinnedEntries.set(key, entry);
        this.pinnedBytes += entry.size;
        return;
    }
  }

  private unlink(key: string, entry: Entry): void {
    switch (entry.segment) {
      case 'window':
        this.window.delete(key);
        this.windowBytes -= entry.size;
        return;
      case 'probation':
        this.probation.delete(key);
        this.probationBytes -= entry.size;
        return;
      case 'protected':
        this.protectedSegment.delete(key);
        this.protectedBytes -= entry.size;
        return;
      case 'pinned':
        this.pinnedEntries.delete(key);
        this.pinnedBytes -= entry.size;
        return;
    }
  }
}

function first<T>(map: Map<string, T>): [string, T] {
  return map.entries().next().value as [string, T];
}

function checkNonNegative(what: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a non-negative number of bytes, got ${value}.`);
  return value;
}
