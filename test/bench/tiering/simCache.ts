// What the tiering bench replays a trace through: one access at a time, a hit or a miss.
// Every baseline keeps a resident object at the size it was admitted with: a request naming a
// different size is still a hit (the byte hit ratio counts the requested bytes).
export interface SimCache {
  readonly name: string;
  /** One request of `key` at `size` bytes (1 for unsized traces); true on a hit. */
  access(key: string, size: number): boolean;
}
