// A binary min-heap of keys by a numeric priority that can be changed in place: O(log n) insert,
// update, remove and pop, O(1) peek. Ties go to the key inserted or updated first.
export class IndexedMinHeap {
  private readonly keys: string[] = [];
  private readonly priorities: number[] = [];
  private readonly order: number[] = [];
  private readonly positions = new Map<string, number>();
  private clock = 0;

  get size(): number {
    return this.keys.length;
  }

  has(key: string): boolean {
    return this.positions.has(key);
  }

  priorityOf(key: string): number | undefined {
    const position = this.positions.get(key);
    return position === undefined ? undefined : this.priorities[position];
  }

  /** Inserts `key`, or moves it to its new priority if present. */
  set(key: string, priority: number): void {
    const position = this.positions.get(key);
    if (position === undefined) {
      this.keys.push(key);
      this.priorities.push(priority);
      this.order.push(this.clock++);
      this.positions.set(key, this.keys.length - 1);
      this.up(this.keys.length - 1);
      return;
    }
    this.priorities[position] = priority;
    this.order[position] = this.clock++;
    this.down(this.up(position));
  }

  peek(): string | undefined {
    return this.keys[0];
  }

  peekPriority(): number | undefined {
    return this.priorities[0];
  }

  pop(): string | undefined {
    const top = this.keys[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(key: string): void {
    const position = this.positions.get(key);
    if (position === undefined) return;
    const last = this.keys.length - 1;
    this.swap(position, last);
    this.keys.pop();
    this.priorities.pop();
    this.order.pop();
    this.positions.delete(key);
    if (position < this.keys.length) this.down(this.up(position));
  }

  private less(a: number, b: number): boolean {
    const pa = this.priorities[a] as number;
    const pb = this.priorities[b] as number;
    return pa < pb || (pa === pb && (this.order[a] as number) < (this.order[b] as number));
  }

  private up(position: number): number {
    let at = position;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(at, parent)) break;
      this.swap(at, parent);
      at = parent;
    }
    return at;
  }

  private down(position: number): number {
    let at = position;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < this.keys.length && this.less(left, smallest)) smallest = left;
      if (right < this.keys.length && this.less(right, smallest)) smallest = right;
      if (smallest === at) return at;
      this.swap(at, smallest);
      at = smallest;
    }
  }

  private swap(a: number, b: number): void {
    if (a === b) return;
    const keyA = this.keys[a] as string;
    const keyB = this.keys[b] as string;
    this.keys[a] = keyB;
    this.keys[b] = keyA;
    [this.priorities[a], this.priorities[b]] = [this.priorities[b] as number, this.priorities[a] as number];
    [this.order[a], this.order[b]] = [this.order[b] as number, this.order[a] as number];
    this.positions.set(keyA, b);
    this.positions.set(keyB, a);
  }
}
