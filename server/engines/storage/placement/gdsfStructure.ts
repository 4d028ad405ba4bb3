// GreedyDual-Size-Frequency (Cherkasova, 1998) as a local-tier structure: each object's
// priority is the inflation clock plus its frequency per byte; the lowest goes first and the
// clock rises to it, so objects not requested for long age out. It favours many small popular
// objects over a few large ones, which is what wins hits on traces of mixed sizes. A hit only
// raises the node's priority (the clock never falls), so the heap keeps the node where it was,
// under its old, lower key, and the node sinks to its place only if it reaches the top while
// the tier makes room: a hit is O(1), and the victim is still the lowest priority of all.
//
// The heap is four-ary (half the levels of a binary one to sift through) and kept in typed
// arrays, not in the nodes: each heap position holds a key id and the priority and stamp the
// heap is ordered by, so sifting compares numbers side by side in memory instead of following
// a pointer to a node at every step; an id's current priority, stamp, size and heap position
// live in arrays indexed by the id.
import type { ResidentNode, TierStructure } from './tierStructure';

const INITIAL_IDS = 64;

class GdsfNode implements ResidentNode {
  constructor(
    readonly id: number,
    readonly key: string,
    readonly hash: number,
    readonly size: number,
    public frequency: number,
    public isPinned: boolean,
  ) {}
}

export class GreedyDualSizeFrequency implements TierStructure {
  /** Per key id: the resident node, its current priority and stamp (tie-break: touched longer ago goes first), its size, its heap position (-1 while pinned) and when it was added. */
  private readonly nodes: (GdsfNode | undefined)[] = [];
  private priorities = new Float64Array(INITIAL_IDS);
  private stampsOf = new Float64Array(INITIAL_IDS);
  private sizes = new Float64Array(INITIAL_IDS);
  private positions = new Int32Array(INITIAL_IDS);
  private addedAt = new Float64Array(INITIAL_IDS);
  private additions = 0;
  private residentCount = 0;
  /** Per heap position: the id, and the priority and stamp the heap is ordered by (at most the id's current ones). */
  private heapIds = new Int32Array(INITIAL_IDS);
  private heapPriorities = new Float64Array(INITIAL_IDS);
  private heapStamps = new Float64Array(INITIAL_IDS);
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
    return this.residentCount;
  }

  lookup(id: number): ResidentNode | undefined {
    return this.nodes[id];
  }

  knows(id: number): boolean {
    return this.nodes[id] !== undefined;
  }

  touch(resident: ResidentNode): void {
    const node = resident as GdsfNode;
    node.frequency += 1;
    if (!node.isPinned) this.reprioritise(node.id, node.frequency);
  }

  access(id: number, key: string, hash: number, size: number): boolean {
    const node = this.nodes[id];
    if (node !== undefined) {
      this.touch(node);
      return true;
    }
    if (size <= this.capacityValue - this.pinned) this.insert(id, key, hash, size, false);
    return false;
  }

  insert(id: number, key: string, hash: number, size: number, pinned: boolean): void {
    this.add(id, key, hash, size, pinned);
    this.fit();
  }

  adopt(resident: ResidentNode): void {
    this.add(resident.id, resident.key, resident.hash, resident.size, resident.isPinned);
  }

  settle(): void {
    this.fit();
  }

  remove(id: number): ResidentNode | undefined {
    const node = this.nodes[id];
    if (node === undefined) return undefined;
    if (!node.isPinned) this.takeOut(id);
    this.used -= node.size;
    if (node.isPinned) this.pinned -= node.size;
    this.forget(id);
    return node;
  }

  setPinned(id: number, pinned: boolean): void {
    const node = this.nodes[id];
    if (node === undefined || node.isPinned === pinned) return;
    node.isPinned = pinned;
    if (pinned) {
      this.takeOut(id);
      this.pinned += node.size;
    } else {
      this.pinned -= node.size;
      this.push(id, node.frequency);
      this.fit();
    }
  }

  setCapacity(capacity: number): void {
    this.capacityValue = capacity;
    this.fit();
  }

  /** Unpinned residents by priority, pinned ones last; ties in the order they were added. */
  coldestFirst(): ResidentNode[] {
    const nodes: GdsfNode[] = [];
    for (const node of this.nodes) if (node !== undefined) nodes.push(node);
    const { priorities, addedAt } = this;
    const worth = (node: GdsfNode): number => (node.isPinned ? Infinity : (priorities[node.id] as number));
    nodes.sort((a, b) => worth(a) - worth(b) || (addedAt[a.id] as number) - (addedAt[b.id] as number));
    return nodes;
  }

  private add(id: number, key: string, hash: number, size: number, pinned: boolean): void {
    if (id >= this.priorities.length) this.growTo(id + 1);
    const node = new GdsfNode(id, key, hash, size, 1, pinned);
    this.nodes[id] = node;
    this.residentCount += 1;
    this.sizes[id] = size;
    this.positions[id] = -1;
    this.addedAt[id] = this.additions++;
    this.used += size;
    if (pinned) this.pinned += size;
    else this.push(id, 1);
  }

  private forget(id: number): void {
    this.nodes[id] = undefined;
    this.residentCount -= 1;
  }

  /** Room in the per-id arrays for ids below `needed`, and as many heap positions. */
  private growTo(needed: number): void {
    let length = this.priorities.length;
    while (length < needed) length *= 2;
    this.priorities = grown(this.priorities, length);
    this.stampsOf = grown(this.stampsOf, length);
    this.sizes = grown(this.sizes, length);
    this.positions = grownInt(this.positions, length);
    this.addedAt = grown(this.addedAt, length);
    this.heapIds = grownInt(this.heapIds, length);
    this.heapPriorities = grown(this.heapPriorities, length);
    this.heapStamps = grown(this.heapStamps, length);
  }

  private reprioritise(id: number, frequency: number): void {
    this.priorities[id] = this.clock + frequency / Math.max(1, this.sizes[id] as number);
    this.stampsOf[id] = this.stamps++;
  }

  private push(id: number, frequency: number): void {
    this.reprioritise(id, frequency);
    const at = this.heapLength++;
    this.heapIds[at] = id;
    this.heapPriorities[at] = this.priorities[id] as number;
    this.heapStamps[at] = this.stampsOf[id] as number;
    this.positions[id] = at;
    this.up(at);
  }

  private takeOut(id: number): void {
    const at = this.positions[id] as number;
    const last = --this.heapLength;
    this.positions[id] = -1;
    if (at === last) return;
    this.place(at, this.heapIds[last] as number, this.heapPriorities[last] as number, this.heapStamps[last] as number);
    this.down(this.up(at));
  }

  private fit(): void {
    const heapStamps = this.heapStamps;
    while (this.used > this.capacityValue && this.heapLength > 0) {
      const id = this.heapIds[0] as number;
      if (heapStamps[0] !== this.stampsOf[id]) {
        // Hit since it was placed: it sinks under its current priority, and the top is looked at again.
        this.heapPriorities[0] = this.priorities[id] as number;
        heapStamps[0] = this.stampsOf[id] as number;
        this.down(0);
        continue;
      }
      this.clock = this.priorities[id] as number;
      this.takeOut(id);
      const victim = this.nodes[id] as GdsfNode;
      this.used -= victim.size;
      this.forget(id);
      this.evicted?.push(victim.key);
    }
  }

  private place(at: number, id: number, priority: number, stamp: number): void {
    this.heapIds[at] = id;
    this.heapPriorities[at] = priority;
    this.heapStamps[at] = stamp;
    this.positions[id] = at;
  }

  private up(start: number): number {
    const heapPriorities = this.heapPriorities;
    const heapStamps = this.heapStamps;
    const id = this.heapIds[start] as number;
    const priority = heapPriorities[start] as number;
    const stamp = heapStamps[start] as number;
    let at = start;
    while (at > 0) {
      const parentAt = (at - 1) >> 2;
      const parentPriority = heapPriorities[parentAt] as number;
      if (!(priority < parentPriority || (priority === parentPriority && stamp < (heapStamps[parentAt] as number)))) break;
      this.place(at, this.heapIds[parentAt] as number, parentPriority, heapStamps[parentAt] as number);
      at = parentAt;
    }
    this.place(at, id, priority, stamp);
    return at;
  }

  private down(start: number): number {
    const heapPriorities = this.heapPriorities;
    const heapStamps = this.heapStamps;
    const length = this.heapLength;
    const id = this.heapIds[start] as number;
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
      this.place(at, this.heapIds[child] as number, childPriority, childStamp);
      at = child;
    }
    this.place(at, id, priority, stamp);
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
