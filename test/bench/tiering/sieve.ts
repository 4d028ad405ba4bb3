// SIEVE (Zhang et al., NSDI'24): a FIFO queue with a visited bit and a hand that sweeps from the
// oldest entry, clearing bits, and evicts the first unvisited entry it meets.
import type { SimCache } from './simCache';

interface Node {
  key: string;
  size: number;
  visited: boolean;
  newer: Node | undefined;
  older: Node | undefined;
}

export class SieveCache implements SimCache {
  readonly name = 'sieve';
  private readonly nodes = new Map<string, Node>();
  private newest: Node | undefined;
  private oldest: Node | undefined;
  private hand: Node | undefined;
  private used = 0;

  constructor(private readonly capacity: number) {}

  access(key: string, size: number): boolean {
    const node = this.nodes.get(key);
    if (node !== undefined) {
      node.visited = true;
      return true;
    }
    if (size > this.capacity) return false;
    this.used += size;
    this.evict();
    const added: Node = { key, size, visited: false, newer: undefined, older: this.newest };
    if (this.newest !== undefined) this.newest.newer = added;
    this.newest = added;
    this.oldest ??= added;
    this.nodes.set(key, added);
    return false;
  }

  private evict(): void {
    while (this.used > this.capacity) {
      let candidate = this.hand ?? this.oldest;
      while (candidate !== undefined && candidate.visited) {
        candidate.visited = false;
        candidate = candidate.newer ?? this.oldest;
      }
      if (candidate === undefined) return;
      this.hand = candidate.newer;
      this.unlink(candidate);
      this.nodes.delete(candidate.key);
      this.used -= candidate.size;
    }
  }

  private unlink(node: Node): void {
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.newest = node.older;
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.oldest = node.newer;
  }
}
