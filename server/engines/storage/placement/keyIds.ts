// Small integer ids for the keys NeuroLake's policy holds, so that its cache structure and its
// miniatures find a node by indexing an array rather than each hashing and comparing the key
// string in a map of its own: one map lookup an access instead of up to six.
//
// An id stays given to its key while any structure may hold it, and returns to a free list
// when a sweep finds that none does. Sweeps run when the map has grown to twice what the last
// sweep left (at least MIN_SWEEP), so their cost is O(1) amortised an access and the map holds
// at most about twice the keys the structures know.

const MIN_SWEEP = 1024;

export class KeyIds {
  private readonly ids = new Map<string, number>();
  private readonly freeIds: number[] = [];
  private nextId = 0;
  private sweepAt = MIN_SWEEP;

  get size(): number {
    return this.ids.size;
  }

  /** The key's id, or -1 when it has none. */
  idOf(key: string): number {
    return this.ids.get(key) ?? -1;
  }

  /** Gives `key` an id (its own if it has one); see add. */
  intern(key: string, isHeld: (id: number) => boolean): number {
    const known = this.ids.get(key);
    return known !== undefined ? known : this.add(key, isHeld);
  }

  /**
   * Gives an id to `key`, which has none. When the map is due a sweep, first forgets every key
   * `isHeld` says no structure holds; the caller must not be holding an id it has not yet
   * handed to a structure.
   */
  add(key: string, isHeld: (id: number) => boolean): number {
    if (this.ids.size >= this.sweepAt) this.sweep(isHeld);
    const id = this.freeIds.pop() ?? this.nextId++;
    this.ids.set(key, id);
    return id;
  }

  private sweep(isHeld: (id: number) => boolean): void {
    for (const [key, id] of this.ids) {
      if (isHeld(id)) continue;
      this.ids.delete(key);
      this.freeIds.push(id);
    }
    this.sweepAt = Math.max(MIN_SWEEP, 2 * this.ids.size);
  }
}
