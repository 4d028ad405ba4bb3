// An intrusive doubly linked list in recency order (oldest at the head): O(1) append, unlink
// and move-to-newest without a Map's delete-and-reinsert.

export interface ListNode {
  older: ListNode | undefined;
  newer: ListNode | undefined;
  size: number;
}

export class LruList<T extends ListNode> {
  oldest: T | undefined;
  newest: T | undefined;
  bytes = 0;
  length = 0;

  append(node: T): void {
    node.older = this.newest;
    node.newer = undefined;
    if (this.newest !== undefined) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
    this.bytes += node.size;
    this.length += 1;
  }

  /** Adds `node` as the oldest. */
  prepend(node: T): void {
    node.newer = this.oldest;
    node.older = undefined;
    if (this.oldest !== undefined) this.oldest.older = node;
    else this.newest = node;
    this.oldest = node;
    this.bytes += node.size;
    this.length += 1;
  }

  unlink(node: T): void {
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.oldest = node.newer as T | undefined;
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.newest = node.older as T | undefined;
    node.older = undefined;
    node.newer = undefined;
    this.bytes -= node.size;
    this.length -= 1;
  }

  moveToNewest(node: T): void {
    if (this.newest === node) return;
    this.unlink(node);
    this.append(node);
  }
}
