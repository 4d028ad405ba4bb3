// GreedyDual-Size-Frequency (Cherkasova, 1998) as a local-tier structure: each object's
// priority is the inflation clock plus its frequency per byte; the lowest goes first and the
// clock rises to it, so objects not requested for long age out. It favours many small popular
// objects over a few large ones, which is what wins hits on traces of mixed sizes. The heap
// keeps each node's position in the node itself. A hit only raises the node's priority (the
// clock never falls), so the heap keeps the node where it was, under its old, lower key, and
// the node sinks to its place only if it reaches the top while the tier makes room: a hit is
// O(1), and the victim is still the lowest priority of all.
import type { ResidentNode, TierStructure } from './tierStructure';

class GdsfNode implements ResidentNode {
  /** Position in the heap, or -1 while pinned (pinned objects are not candidates). */
  position = -1;
  priority = 0;
  /** Tie-break: the object touched longer ago goes first. */
  stamp = 0;
  /** The priority and stamp the heap is ordered by: at most the current ones. */
  heapPriority = 0;
  heapStamp = 0;
  constructor(
    readonly key: string,
    readonly hash: number,
    readonly size: number,
    public frequency: number,
    public isPinned: boolean,
  ) {}
}

export class GreedyDualSizeFrequency implements TierStructure {
  private readonly index = new Map<string, GdsfNode>();
  private readonly heap: GdsfNode[] = [];
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
    if (node.position >= 0) this.reprioritise(node);
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
    this.add(new GdsfNode(key, hash, size, 1, pinned));
    this.fit();
  }

  adopt(resident: ResidentNode): void {
    this.add(new GdsfNode(resident.key, resident.hash, resident.size, 1, resident.isPinned));
  }

  settle(): void {
    this.fit();
  }

  remove(key: string): ResidentNode | undefined {
    const node = this.index.get(key);
    if (node === undefined) return undefined;
    this.index.delete(key);
    if (node.position >= 0) this.takeOut(node);
    this.used -= node.size;
    if (node.isPinned) this.pinned -= node.size;
    return node;
  }

  setPinned(key: string, pinned: boolean): void {
    const node = this.index.get(key);
    if (node === undefined || node.isPinned === pinned) return;
    node.isPinned = pinned;
    if (pinned) {
      this.takeOut(node);
      this.pinned += node.size;
    } else {
      this.pinned -= node.size;
      this.push(node);
      this.fit();
    }
  }

  setCapacity(capacity: number): void {
    this.capacityValue = capacity;
    this.fit();
  }

  coldestFirst(): ResidentNode[] {
    const nodes = [...this.index.values()];
    nodes.sort((a, b) => (a.isPinned ? Infinity : a.priority) - (b.isPinned ? Infinity : b.priority));
    return nodes;
  }

  private add(node: GdsfNode): void {
    this.index.set(node.key, node);
    this.used += node.size;
    if (node.isPinned) this.pinned += node.size;
    else this.push(node);
  }

  private reprioritise(node: GdsfNode): void {
    node.priority = this.clock + node.frequency / Math.max(1, node.size);
    node.stamp = this.stamps++;
  }

  private push(node: GdsfNode): void {
    this.reprioritise(node);
    node.heapPriority = node.priority;
    node.heapStamp = node.stamp;
    node.position = this.heap.length;
    this.heap.push(node);
    this.up(node.position);
  }

  private takeOut(node: GdsfNode): void {
    const at = node.position;
    const last = this.heap.pop() as GdsfNode;
    node.position = -1;
    if (last === node) return;
    this.heap[at] = last;
    last.position = at;
    this.down(this.up(at));
  }

  private fit(): void {
    while (this.used > this.capacityValue && this.heap.length > 0) {
      const victim = this.heap[0] as GdsfNode;
      if (victim.heapStamp !== victim.stamp) {
        // Hit since it was placed: it sinks under its current priority, and the top is looked at again.
        victim.heapPriority = victim.priority;
        victim.heapStamp = victim.stamp;
        this.down(0);
        continue;
      }
      this.clock = victim.priority;
      this.takeOut(victim);
      this.index.delete(victim.key);
      this.used -= victim.size;
      this.evicted?.push(victim.key);
    }
  }

  private less(a: GdsfNode, b: GdsfNode): boolean {
    return a.heapPriority < b.heapPriority || (a.heapPriority === b.heapPriority && a.heapStamp < b.heapStamp);
  }

  private up(start: number): number {
    const heap = this.heap;
    const node = heap[start] as GdsfNode;
    let at = start;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = heap[parentAt] as GdsfNode;
      if (!this.less(node, parent)) break;
      heap[at] = parent;
      parent.position = at;
      at = parentAt;
    }
    heap[at] = node;
    node.position = at;
    return at;
  }

  private down(start: number): number {
    const heap = this.heap;
    const node = heap[start] as GdsfNode;
    let at = start;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      let child = left;
      if (right < heap.length && this.less(heap[right] as GdsfNode, heap[left] as GdsfNode)) child = right;
      const childNode = heap[child] as GdsfNode;
      if (!this.less(childNode, node)) break;
      heap[at] = childNode;
      childNode.position = at;
      at = child;
    }
    heap[at] = node;
    node.position = at;
    return at;
  }
}
