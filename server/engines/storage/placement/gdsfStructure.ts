// GreedyDual-Size-Frequency (Cherkasova, 1998) as a local-tier structure: each object's
// priority is the inflation clock plus its frequency per byte; the lowest goes first and the
// clock rises to it, so objects not requested for long age out. It favours many small popular
// objects over a few large ones, which is what wins hits on traces of mixed sizes.
import { IndexedMinHeap } from './indexedHeap';
import type { ResidentNode, TierStructure } from './tierStructure';

class GdsfNode implements ResidentNode {
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
  private readonly heap = new IndexedMinHeap();
  private clock = 0;
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
    if (!node.isPinned) this.heap.set(node.key, this.priority(node));
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
    this.heap.remove(key);
    this.used -= node.size;
    if (node.isPinned) this.pinned -= node.size;
    return node;
  }

  setPinned(key: string, pinned: boolean): void {
    const node = this.index.get(key);
    if (node === undefined || node.isPinned === pinned) return;
    node.isPinned = pinned;
    if (pinned) {
      this.heap.remove(key);
      this.pinned += node.size;
    } else {
      this.pinned -= node.size;
      this.heap.set(key, this.priority(node));
      this.fit();
    }
  }

  setCapacity(capacity: number): void {
    this.capacityValue = capacity;
    this.fit();
  }

  coldestFirst(): ResidentNode[] {
    const nodes = [...this.index.values()];
    nodes.sort((a, b) => (this.heap.priorityOf(a.key) ?? Infinity) - (this.heap.priorityOf(b.key) ?? Infinity));
    return nodes;
  }

  private add(node: GdsfNode): void {
    this.index.set(node.key, node);
    this.used += node.size;
    if (node.isPinned) this.pinned += node.size;
    else this.heap.set(node.key, this.priority(node));
  }

  private priority(node: GdsfNode): number {
    return this.clock + node.frequency / Math.max(1, node.size);
  }

  private fit(): void {
    while (this.used > this.capacityValue && this.heap.size > 0) {
      this.clock = this.heap.peekPriority() as number;
      const key = this.heap.pop() as string;
      const node = this.index.get(key) as GdsfNode;
      this.index.delete(key);
      this.used -= node.size;
      this.evicted?.push(key);
    }
  }
}
