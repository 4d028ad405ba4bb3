// GreedyDual-Size-Frequency (Cherkasova, 1998) as a local-tier structure: each object's
// priority is the inflation clock plus its frequency per byte; the lowest goes first and the
// clock rises to it, so objects not requested for long age out. It favours many small popular
// objects over a few large ones, which is what wins hits on traces of mixed sizes. A hit only
// raises the node's priority (the clock never falls), so the heap keeps the node where it was,
// under its old, lower key, and the node sinks to its place only if it reaches the top while
// the tier makes room: a hit is O(1), and the victim is still the lowest priority of all.
//
// The heap is four-ary (half the levels of a binary one to sift through) and kept in typed
// arrays, not in the nodes: each heap position holds a slot number
// and the priority and stamp the heap is ordered by, so sifting compares numbers side by side
// in memory instead of following a pointer to a node at every step; a slot's current priority,
// stamp, size and heap position live in arrays indexed by the slot, which a freed node returns
// to a free list for the next one.
import type { ResidentNode, TierStructure } from './tierStructure';

const INITIAL_SLOTS = 64;

/** A slot's node: an evicted object's node is reused by the next object given its slot, so a miss allocates nothing. */
class GdsfNode implements ResidentNode {
  constructor(
    public key: string,
    public hash: number,
    public size: number,
    /** Index into the structure's per-slot arrays while resident. */
    readonly slot: number,
    public frequency: number,
    public isPinned: boolean,
  ) {}
}

export class GreedyDualSizeFrequency implements TierStructure {
  private readonly index = new Map<string, GdsfNode>();
  /** Per slot: the node, its current priority and stamp (tie-break: touched longer ago goes first), its size, its heap position (-1 while pinned). */
  private nodes: (GdsfNode | undefined)[] = [];
  private priorities = new Float64Array(INITIAL_SLOTS);
  private stampsOf = new Float64Array(INITIAL_SLOTS);
  private sizes = new Float64Array(INITIAL_SLOTS);
  private positions = new Int32Array(INITIAL_SLOTS);
  private readonly freeSlots: number[] = [];
  private slotCount = 0;
  /** Per heap position: the slot, and the priority and stamp the heap is ordered by (at most the slot's current ones). */
  private heapSlots = new Int32Array(INITIAL_SLOTS);
  private heapPriorities = new Float64Array(INITIAL_SLOTS);
  private heapStamps = new Float64Array(INITIAL_SLOTS);
  private heapLength = 0;
  private clock = 0;
  private stamps = 0;
  private used = 0;
  private pinned = 0;

  /** @param evicted receives the keys dropped, when the owner must act on them; a shadow passes none. */
  constructor(
    private capacityValue: number,
    readonly evicted: string[] | undefined = undefined,
  ) {}

  get capacity(): number {
    return this.capacityValue;
  }

  get usedBytes(): number {
    return this.used;
  }

  get pinnedBytes(): number {
    return this.pinned;
  }

  get residents(): number {
    return this.index.size;
  }

  lookup(key: string): ResidentNode | undefined {
    return this.index.get(key);
  }

  touch(resident: ResidentNode): void {
    const node = resident as GdsfNode;
    node.frequency += 1;
    if (!node.isPinned) this.reprioritise(node.slot, node.frequency);
  }

  access(key: string, hash: number, size: number): boolean {
    const node = this.index.get(key);
    if (node !== undefined) {
      this.touch(node);
      return true;
    }
    if (size <= this.capacityValue - this.pinned) this.insert(key, hash, size, false);
    return false;
  }

  insert(key: string, hash: number, size: number, pinned: boolean): void {
    if (pinned || this.used + size <= this.capacityValue || this.heapLength === 0) {
      this.add(key, hash, size, pinned);
      this.fit();
      return;
    }
    // The newcomer will push the tier over, so the lowest priority goes: pushing the newcomer
    // and then popping the top would sift twice through the heap, so the newcomer is compared
    // with the top instead and either goes at once (never entering the index) or takes the
    // top's place and sinks from there. The victims are the same: each is the unique least
    // (priority, stamp) of all, whatever the heap's shape.
    this.refreshTop();
    const priority = this.clock + 1 / Math.max(1, size);
    const stamp = this.stamps++;
    const top = this.heapSlots[0] as number;
    const topPriority = this.heapPriorities[0] as number;
    if (priority < topPriority) {
      // Its own victim (a newcomer's stamp is the newest, so it loses a tie): the clock rises
      // to it, as it would had it been admitted and evicted.
      this.clock = priority;
      this.evicted?.push(key);
      return;
    }
    const slot = this.allocateSlot();
    const node = this.occupy(slot, key, hash, size, false);
    this.sizes[slot] = size;
    this.priorities[slot] = priority;
    this.stampsOf[slot] = stamp;
    this.index.set(key, node);
    this.used += size;
    this.clock = topPriority;
    this.positions[top] = -1;
    this.dropVictim(top);
    this.place(0, slot, priority, stamp);
    this.down(0);
    this.fit();
  }

  adopt(resident: ResidentNode): void {
    this.add(resident.key, resident.hash, resident.size, resident.isPinned);
  }

  settle(): void {
    this.fit();
  }

  remove(key: string): ResidentNode | undefined {
    const node = this.index.get(key);
    if (node === undefined) return undefined;
    this.index.delete(key);
    if (!node.isPinned) this.takeOut(node.slot);
    this.used -= node.size;
    if (node.isPinned) this.pinned -= node.size;
    // The caller gets the node: the slot takes a new one, so the next object cannot change it.
    this.nodes[node.slot] = undefined;
    this.freeSlot(node.slot);
    return node;
  }

  setPinned(key: string, pinned: boolean): void {
    const node = this.index.get(key);
    if (node === undefined || node.isPinned === pinned) return;
    node.isPinned = pinned;
    if (pinned) {
      this.takeOut(node.slot);
      this.pinned += node.size;
    } else {
      this.pinned -= node.size;
      this.push(node.slot, node.frequency);
      this.fit();
    }
  }

  setCapacity(capacity: number): void {
    this.capacityValue = capacity;
    this.fit();
  }

  coldestFirst(): ResidentNode[] {
    const nodes = [...this.index.values()];
    const priorities = this.priorities;
    nodes.sort((a, b) => (a.isPinned ? Infinity : (priorities[a.slot] as number)) - (b.isPinned ? Infinity : (priorities[b.slot] as number)));
    return nodes;
  }

  private add(key: string, hash: number, size: number, pinned: boolean): void {
    const slot = this.allocateSlot();
    const node = this.occupy(slot, key, hash, size, pinned);
    this.sizes[slot] = size;
    this.positions[slot] = -1;
    this.index.set(key, node);
    this.used += size;
    if (pinned) this.pinned += size;
    else this.push(slot, 1);
  }

  private allocateSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.slotCount++;
    if (slot === this.priorities.length) {
      const length = slot * 2;
      this.priorities = grown(this.priorities, length);
      this.stampsOf = grown(this.stampsOf, length);
      this.sizes = grown(this.sizes, length);
      this.positions = grownInt(this.positions, length);
      this.heapSlots = grownInt(this.heapSlots, length);
      this.heapPriorities = grown(this.heapPriorities, length);
      this.heapStamps = grown(this.heapStamps, length);
    }
    return slot;
  }

  private occupy(slot: number, key: string, hash: number, size: number, pinned: boolean): GdsfNode {
    const node = this.nodes[slot];
    if (node === undefined) return (this.nodes[slot] = new GdsfNode(key, hash, size, slot, 1, pinned));
    node.key = key;
    node.hash = hash;
    node.size = size;
    node.frequency = 1;
    node.isPinned = pinned;
    return node;
  }

  /** The slot's node stays for the next object given the slot (an evicted node is referenced nowhere else). */
  private freeSlot(slot: number): void {
    this.freeSlots.push(slot);
  }

  private reprioritise(slot: number, frequency: number): void {
    this.priorities[slot] = this.clock + frequency / Math.max(1, this.sizes[slot] as number);
    this.stampsOf[slot] = this.stamps++;
  }

  private push(slot: number, frequency: number): void {
    this.reprioritise(slot, frequency);
    const at = this.heapLength++;
    this.heapSlots[at] = slot;
    this.heapPriorities[at] = this.priorities[slot] as number;
    this.heapStamps[at] = this.stampsOf[slot] as number;
    this.positions[slot] = at;
    this.up(at);
  }

  private takeOut(slot: number): void {
    const at = this.positions[slot] as number;
    const last = --this.heapLength;
    this.positions[slot] = -1;
    if (at === last) return;
    this.place(at, this.heapSlots[last] as number, this.heapPriorities[last] as number, this.heapStamps[last] as number);
    this.down(this.up(at));
  }

  private fit(): void {
    while (this.used > this.capacityValue && this.heapLength > 0) {
      this.refreshTop();
      const slot = this.heapSlots[0] as number;
      this.clock = this.priorities[slot] as number;
      this.takeOut(slot);
      this.dropVictim(slot);
    }
  }

  /** Until the top is placed under its current priority: one hit since it was placed sinks to its place, and the top is looked at again. */
  private refreshTop(): void {
    const heapStamps = this.heapStamps;
    for (let slot = this.heapSlots[0] as number; heapStamps[0] !== this.stampsOf[slot]; slot = this.heapSlots[0] as number) {
      this.heapPriorities[0] = this.priorities[slot] as number;
      heapStamps[0] = this.stampsOf[slot] as number;
      this.down(0);
    }
  }

  /** Forgets an evicted resident already out of the heap. */
  private dropVictim(slot: number): void {
    const victim = this.nodes[slot] as GdsfNode;
    this.index.delete(victim.key);
    this.used -= victim.size;
    this.freeSlot(slot);
    this.evicted?.push(victim.key);
  }

  private place(at: number, slot: number, priority: number, stamp: number): void {
    this.heapSlots[at] = slot;
    this.heapPriorities[at] = priority;
    this.heapStamps[at] = stamp;
    this.positions[slot] = at;
  }

  private up(start: number): number {
    const heapPriorities = this.heapPriorities;
    const heapStamps = this.heapStamps;
    const slot = this.heapSlots[start] as number;
    const priority = heapPriorities[start] as number;
    const stamp = heapStamps[start] as number;
    let at = start;
    while (at > 0) {
      const parentAt = (at - 1) >> 2;
      const parentPriority = heapPriorities[parentAt] as number;
      if (!(priority < parentPriority || (priority === parentPriority && stamp < (heapStamps[parentAt] as number)))) break;
      this.place(at, this.heapSlots[parentAt] as number, parentPriority, heapStamps[parentAt] as number);
      at = parentAt;
    }
    this.place(at, slot, priority, stamp);
    return at;
  }

  private down(start: number): number {
    const heapPriorities = this.heapPriorities;
    const heapStamps = this.heapStamps;
    const length = this.heapLength;
    const slot = this.heapSlots[start] as number;
    const priority = heapPriorities[start] as number;
    const stamp = heapStamps[start] as number;
    let at = start;
    for (;;) {
      const first = 4 * at + 1;
      if (first >= length) break;
      let child = first;
      let childPriority = heapPriorities[first] as number;
      let childStamp = heapStamps[first] as number;
      const last = Math.min(first + 4, length);
      for (let other = first + 1; other < last; other += 1) {
        const otherPriority = heapPriorities[other] as number;
        if (otherPriority < childPriority || (otherPriority === childPriority && (heapStamps[other] as number) < childStamp)) {
          child = other;
          childPriority = otherPriority;
          childStamp = heapStamps[other] as number;
        }
      }
      if (!(childPriority < priority || (childPriority === priority && childStamp < stamp))) break;
      this.place(at, this.heapSlots[child] as number, childPriority, childStamp);
      at = child;
    }
    this.place(at, slot, priority, stamp);
    return at;
  }
}

function grown(array: Float64Array, length: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(length);
  next.set(array);
  return next;
}

function grownInt(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(length);
  next.set(array);
  return next;
}
