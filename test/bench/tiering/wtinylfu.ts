// W-TinyLFU (Einziger, Friedman & Manes, 2017): an LRU window in front of an SLRU main space
// (20% probation, 80% protected); a window evictee enters main only when the frequency sketch
// says it is more popular than main's victim. Fixed 1% window, or Caffeine's hill climber that
// moves the window/main split every sample by the sign of the last hit-rate change.
// Sizes follow Caffeine's simulator: main is the capacity's 99% rounded down and the window the
// rest (so 205 entries give a window of 3, not 2); the climber's window is a fraction that
// accumulates steps smaller than one entry; a shrinking window hands its oldest entries to
// probation's LRU end, where they are main's next victims.
import { FrequencySketch, hashKey } from '../../../server/engines/storage';
import type { SimCache } from './simCache';

const PROTECTED_SHARE = 0.8;
const STEP_SHARE = 0.0625;
const STEP_DECAY = 0.98;
const RESTART_THRESHOLD = 0.05;

type Segment = Map<string, number>;

export interface WTinyLfuOptions {
  readonly windowShare: number;
  readonly adaptive: boolean;
  /** Entries the sketch and the sample period are scaled to (the capacity for unsized traces). */
  readonly expectedEntries: number;
}

export class WTinyLfuCache implements SimCache {
  readonly name: string;
  private readonly sketch: FrequencySketch;
  private readonly window: Segment = new Map();
  private readonly probation: Segment = new Map();
  private readonly protectedSegment: Segment = new Map();
  private windowBytes = 0;
  private probationBytes = 0;
  private protectedBytes = 0;
  private maxWindow: number;
  private maxProtected: number;
  // Hill climbing state.
  private readonly samplePeriod: number;
  private hitsInSample = 0;
  private missesInSample = 0;
  private previousHitRate = 0;
  private stepSize: number;
  /** The climber's window size, fractional: maxWindow is its whole part. */
  private windowSize: number;
  private full = false;

  constructor(private readonly capacity: number, private readonly options: WTinyLfuOptions) {
    this.name = options.adaptive ? 'wtinylfu-adaptive' : 'wtinylfu';
    this.sketch = new FrequencySketch(options.expectedEntries, 10 * options.expectedEntries);
    const maxMain = Math.floor(capacity * (1 - options.windowShare));
    this.maxWindow = Math.max(1, capacity - maxMain);
    this.maxProtected = Math.floor((capacity - this.maxWindow) * PROTECTED_SHARE);
    this.windowSize = this.maxWindow;
    this.samplePeriod = 10 * options.expectedEntries;
    this.stepSize = STEP_SHARE * capacity;
  }

  access(key: string, size: number): boolean {
    const hash = hashKey(key);
    this.sketch.increment(hash);
    const hit = this.lookup(key);
    if (!hit && size <= this.capacity) {
      this.window.set(key, size);
      this.windowBytes += size;
      this.evict();
    }
    if (this.options.adaptive) this.climb(hit);
    return hit;
  }

  private lookup(key: string): boolean {
    const inWindow = this.window.get(key);
    if (inWindow !== undefined) {
      this.window.delete(key);
      this.window.set(key, inWindow);
      return true;
    }
    const inProtected = this.protectedSegment.get(key);
    if (inProtected !== undefined) {
      this.protectedSegment.delete(key);
      this.protectedSegment.set(key, inProtected);
      return true;
    }
    const inProbation = this.probation.get(key);
    if (inProbation !== undefined) {
      this.probation.delete(key);
      this.probationBytes -= inProbation;
      this.protectedSegment.set(key, inProbation);
      this.protectedBytes += inProbation;
      this.demoteProtected();
      return true;
    }
    return false;
  }

  private demoteProtected(): void {
    while (this.protectedBytes > this.maxProtected) {
      const [key, size] = first(this.protectedSegment);
      this.protectedSegment.delete(key);
      this.protectedBytes -= size;
      this.probation.set(key, size);
      this.probationBytes += size;
    }
  }

  private evict(): void {
    // The newest object always gets its turn in the window, even when it alone outweighs the
    // window's share of the bytes: otherwise a byte-sized window smaller than an object would
    // send every large arrival straight to the admission filter with a count of one.
    while (this.windowBytes > this.maxWindow && this.window.size > 1) {
      const [candidate, size] = first(this.window);
      this.window.delete(candidate);
      this.windowBytes -= size;
      this.probation.set(candidate, size);
      this.probationBytes += size;
      this.admitOrReject(candidate);
    }
    // Still over (a large newest object, or a window grown past main's share): main's LRU
    // victims go first, then the window's oldest, never the newest.
    while (this.used() > this.capacity) {
      const segment = this.probation.size > 0 ? this.probation : this.protectedSegment.size > 0 ? this.protectedSegment : this.window;
      if (segment === this.window && this.window.size <= 1) return;
      const [key, size] = first(segment);
      segment.delete(key);
      if (segment === this.probation) this.probationBytes -= size;
      else if (segment === this.protectedSegment) this.protectedBytes -= size;
      else this.windowBytes -= size;
    }
  }

  /** The candidate has just entered probation's MRU end: it or probation's LRU victims go. */
  private admitOrReject(candidate: string): void {
    while (this.used() > this.capacity) {
      this.full = true;
      const [victim] = first(this.probation);
      if (victim === candidate || this.sketch.frequency(hashKey(candidate)) <= this.sketch.frequency(hashKey(victim))) {
        this.removeFromMain(candidate);
        return;
      }
      this.removeFromMain(victim);
    }
  }

  private removeFromMain(key: string): void {
    const inProbation = this.probation.get(key);
    if (inProbation !== undefined) {
      this.probation.delete(key);
      this.probationBytes -= inProbation;
      return;
    }
    const inProtected = this.protectedSegment.get(key);
    if (inProtected !== undefined) {
      this.protectedSegment.delete(key);
      this.protectedBytes -= inProtected;
    }
  }

  private used(): number {
    return this.windowBytes + this.probationBytes + this.protectedBytes;
  }

  private climb(hit: boolean): void {
    if (!this.full) return;
    if (hit) this.hitsInSample += 1;
    else this.missesInSample += 1;
    const requests = this.hitsInSample + this.missesInSample;
    if (requests < this.samplePeriod) return;
    const hitRate = this.hitsInSample / requests;
    const change = hitRate - this.previousHitRate;
    const amount = change >= 0 ? this.stepSize : -this.stepSize;
    this.stepSize = Math.abs(change) >= RESTART_THRESHOLD ? STEP_SHARE * this.capacity * (amount >= 0 ? 1 : -1) : STEP_DECAY * amount;
    this.previousHitRate = hitRate;
    this.hitsInSample = 0;
    this.missesInSample = 0;
    if (amount > 0 && this.maxProtected > 0) {
      const quota = Math.min(amount, this.maxProtected);
      const steps = Math.floor(this.windowSize + quota) - Math.floor(this.windowSize);
      this.windowSize += quota;
      if (steps > 0) this.growWindow(steps);
    } else if (amount < 0 && this.maxWindow > 1) {
      const quota = Math.min(-amount, this.maxWindow - 1);
      const steps = Math.floor(this.windowSize) - Math.floor(this.windowSize - quota);
      this.windowSize -= quota;
      if (steps > 0) this.shrinkWindow(steps);
    }
  }

  private growWindow(amount: number): void {
    const quota = Math.min(amount, this.maxProtected);
    this.maxWindow += quota;
    this.maxProtected -= quota;
    this.demoteProtected();
    // Main's LRU entries move into the window's MRU end while they fit.
    let moved = 0;
    while (moved < quota) {
      const segment = this.probation.size > 0 ? this.probation : this.protectedSegment;
      if (segment.size === 0) break;
      const [key, size] = first(segment);
      if (this.windowBytes + size > this.maxWindow) break;
      segment.delete(key);
      if (segment === this.probation) this.probationBytes -= size;
      else this.protectedBytes -= size;
      this.window.set(key, size);
      this.windowBytes += size;
      moved += size;
    }
  }

  private shrinkWindow(amount: number): void {
    const quota = Math.min(amount, this.maxWindow - 1);
    if (quota <= 0) return;
    this.maxWindow -= quota;
    this.maxProtected += quota;
    const demoted: [string, number][] = [];
    while (this.windowBytes > this.maxWindow) {
      const [key, size] = first(this.window);
      this.window.delete(key);
      this.windowBytes -= size;
      demoted.push([key, size]);
      this.probationBytes += size;
    }
    if (demoted.length === 0) return;
    // Each demoted entry goes to probation's LRU end in turn, as Caffeine's simulator does, so
    // the last one (the newest of them) is main's next victim. A Map only appends, so probation
    // is rebuilt: once a sample period (ten capacities of accesses) at most.
    const rest = [...this.probation];
    this.probation.clear();
    for (const [key, size] of demoted.reverse()) this.probation.set(key, size);
    for (const [key, size] of rest) this.probation.set(key, size);
  }
}

function first(segment: Segment): [string, number] {
  return segment.entries().next().value as [string, number];
}
