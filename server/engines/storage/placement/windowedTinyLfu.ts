// The cache structure NeuroLake's policy and its miniature shadows share: W-TinyLFU (Einziger,
// Friedman & Manes) by weight. New objects enter an LRU window; the window's oldest becomes a
// candidate for the segmented main space (probation, then protected once hit again) and is
// admitted only while it is worth more, by the shared frequency sketch and per byte, than the
// victims it displaces. The window's share of the capacity is set from outside.
import type { FrequencySketch } from './frequencySketch';
import { LruList, type ListNode } from './lruList';
import type { ResidentNode, TierStructure } from './tierStructure';

const PROTECTED_SHARE = 0.8;

export const Segment = { Window: 0, Probation: 1, Protected: 2, Pinned: 3 } as const;
export type Segment = (typeof Segment)[keyof typeof Segment];

export class CacheNode implements ListNode, ResidentNode {
  older: ListNode | undefined = undefined;
  newer: ListNode | undefined = undefined;
  constructor(
    readonly key: string,
    readonly hash: number,
    readonly size: number,
    public segment: Segment,
  ) {}

  get isPinned(): boolean {
    return this.segment === Segment.Pinned;
  }
}

export class WindowedTinyLfu implements TierStructure {
  readonly index = new Map<string, CacheNode>();
  private readonly window = new LruList<CacheNode>();
  private readonly probation = new LruList<CacheNode>();
  private readonly protectedList = new LruList<CacheNode>();
  private readonly pinned = new LruList<CacheNode>();
  private maxWindow = 0;
  private maxProtected = 0;
  private windowShareValue = 0;

  /**
   * @param sketch the frequency sketch to consult (shared: every access is counted once by the owner).
   * @param evicted receives the keys this structure drops, in order, when the owner must act
   *   on them (it drains it after every call); a shadow passes none.
   */
  constructor(
    private capacityValue: number,
    windowShare: number,
    private readonly sketch: () => FrequencySketch,
    readonly evicted: string[] | undefined = undefined,
  ) {
    this.setWindowShare(windowShare);
  }

  get capacity(): number {
    return this.capacityValue;
  }

  get windowShare(): number {
    return this.windowShareValue;
  }

  get usedBytes(): number {
    return this.window.bytes + this.probation.bytes + this.protectedList.bytes + this.pinned.bytes;
  }

  get pinnedBytes(): number {
    return this.pinned.bytes;
  }

  get residents(): number {
    return this.index.size;
  }

  setCapacity(capacity: number): void {
    this.capacityValue = capacity;
    this.setWindowShare(this.windowShareValue);
  }

  setWindowShare(share: number): void {
    const grows = share > this.windowShareValue;
    this.windowShareValue = share;
    this.maxWindow = Math.max(1, this.capacityValue * share);
    this.maxProtected = (this.capacityValue - this.maxWindow) * PROTECTED_SHARE;
    if (grows) this.growWindowFromMain();
    this.rebalance();
  }

  /**
   * A grown window takes main's hottest objects, at its cold end, while they fit: a window
   * grown to the whole tier is then plain LRU at once, where a hit refreshes any resident,
   * instead of leaving main's old residents to be evicted first however often they are hit.
   */
  private growWindowFromMain(): void {
    for (const list of [this.protectedList, this.probation]) {
      for (let node = list.newest; node !== undefined && this.window.bytes + node.size <= this.maxWindow; node = list.newest) {
        list.unlink(node);
        node.segment = Segment.Window;
        this.window.prepend(node);
      }
    }
  }

  lookup(key: string): CacheNode | undefined {
    return this.index.get(key);
  }

  adopt(resident: ResidentNode): void {
    const node = new CacheNode(resident.key, resident.hash, resident.size, resident.isPinned ? Segment.Pinned : Segment.Probation);
    this.index.set(node.key, node);
    this.listOf(node.segment).append(node);
  }

  settle(): void {
    // Adopted residents wait on probation; the window takes its share of the hottest.
    this.growWindowFromMain();
    this.rebalance();
  }

  coldestFirst(): ResidentNode[] {
    const nodes: ResidentNode[] = [];
    for (const list of [this.probation, this.window, this.protectedList, this.pinned]) {
      for (let node = list.oldest; node !== undefined; node = node.newer as CacheNode | undefined) nodes.push(node);
    }
    return nodes;
  }

  /** One request as a cache sees it: a hit refreshes the object, a miss admits it. */
  access(key: string, hash: number, size: number): boolean {
    const node = this.index.get(key);
    if (node !== undefined) {
      this.touch(node);
      return true;
    }
    if (size <= this.capacityValue - this.pinned.bytes) this.insert(key, hash, size, false);
    return false;
  }

  touch(resident: ResidentNode): void {
    const node = resident as CacheNode;
    switch (node.segment) {
      case Segment.Window:
        this.window.moveToNewest(node);
        return;
      case Segment.Protected:
        this.protectedList.moveToNewest(node);
        return;
      case Segment.Probation:
        this.probation.unlink(node);
        node.segment = Segment.Protected;
        this.protectedList.append(node);
        this.demoteProtected();
        return;
      case Segment.Pinned:
        return;
    }
  }

  /** Adds an object known not to be resident; the caller has checked that it can fit. */
  insert(key: string, hash: number, size: number, pinned: boolean): void {
    const node = new CacheNode(key, hash, size, pinned ? Segment.Pinned : Segment.Window);
    this.index.set(key, node);
    this.listOf(node.segment).append(node);
    this.rebalance();
  }

  remove(key: string): CacheNode | undefined {
    const node = this.index.get(key);
    if (node === undefined) return undefined;
    this.listOf(node.segment).unlink(node);
    this.index.delete(key);
    return node;
  }

  setPinned(key: string, pinned: boolean): void {
    const node = this.index.get(key);
    if (node === undefined || (node.segment === Segment.Pinned) === pinned) return;
    this.listOf(node.segment).unlink(node);
    // An unpinned object starts over on probation, where it must earn its place.
    node.segment = pinned ? Segment.Pinned : Segment.Probation;
    this.listOf(node.segment).append(node);
    this.rebalance();
  }

  /** Restores the window's share and the capacity, evicting into `evicted`. */
  private rebalance(): void {
    this.demoteProtected();
    while (this.window.bytes > this.maxWindow && this.window.oldest !== undefined) {
      const candidate = this.window.oldest;
      this.window.unlink(candidate);
      candidate.segment = Segment.Probation;
      this.probation.append(candidate);
      this.admitOrReject(candidate);
    }
    while (this.usedBytes > this.capacityValue) {
      const victim = this.probation.oldest ?? this.protectedList.oldest ?? this.window.oldest;
      if (victim === undefined) return;
      this.evict(victim);
    }
  }

  /** The candidate has just joined probation: it displaces main's victims, or it goes. */
  private admitOrReject(candidate: CacheNode): void {
    const sketch = this.sketch();
    let candidateFrequency = -1;
    while (this.usedBytes > this.capacityValue) {
      let victim = this.probation.oldest;
      if (victim === candidate) victim = this.protectedList.oldest;
      if (victim === undefined) {
        this.evict(candidate);
        return;
      }
      if (candidateFrequency < 0) candidateFrequency = sketch.frequency(candidate.hash);
      // Per byte, softened by a square root: a small object must be much less popular than
      // the large one it would displace to lose, a large one much more popular to win.
      const worth = candidate.size === victim.size ? candidateFrequency : candidateFrequency * Math.sqrt(victim.size / candidate.size);
      if (worth <= sketch.frequency(victim.hash)) {
        this.evict(candidate);
        return;
      }
      this.evict(victim);
    }
  }

  private evict(node: CacheNode): void {
    this.listOf(node.segment).unlink(node);
    this.index.delete(node.key);
    this.evicted?.push(node.key);
  }

  private demoteProtected(): void {
    while (this.protectedList.bytes > this.maxProtected && this.protectedList.oldest !== undefined) {
      const node = this.protectedList.oldest;
      this.protectedList.unlink(node);
      node.segment = Segment.Probation;
      this.probation.append(node);
    }
  }

  private listOf(segment: Segment): LruList<CacheNode> {
    switch (segment) {
      case Segment.Window:
        return this.window;
      case Segment.Probation:
        return this.probation;
      case Segment.Protected:
        return this.protectedList;
      case Segment.Pinned:
        return this.pinned;
    }
  }
}
