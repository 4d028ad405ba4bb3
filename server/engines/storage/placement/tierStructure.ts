// What NeuroLake's policy needs of a cache structure, so it can run (and simulate in miniature)
// more than one kind and move its residents from one to another.

export interface ResidentNode {
  readonly key: string;
  readonly hash: number;
  readonly size: number;
  /** Pinned objects are never evicted. */
  readonly isPinned: boolean;
}

export interface TierStructure {
  readonly capacity: number;
  readonly usedBytes: number;
  readonly pinnedBytes: number;
  readonly residents: number;
  lookup(key: string): ResidentNode | undefined;
  /** A hit on a resident object. */
  touch(node: ResidentNode): void;
  /** One request as a cache sees it (for miniatures): a hit refreshes, a miss admits. */
  access(key: string, hash: number, size: number): boolean;
  /** Adds an object known not to be resident; the caller has checked that it can fit. */
  insert(key: string, hash: number, size: number, pinned: boolean): void;
  /** Takes over a resident of another structure, without admission or eviction. */
  adopt(node: ResidentNode): void;
  /** Call after adopting: restores the structure's own invariants. */
  settle(): void;
  remove(key: string): ResidentNode | undefined;
  setPinned(key: string, pinned: boolean): void;
  setCapacity(capacity: number): void;
  /** Residents from the coldest to the hottest, for handing over to another structure. */
  coldestFirst(): ResidentNode[];
}
