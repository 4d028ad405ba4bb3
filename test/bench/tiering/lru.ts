// Least recently used, by weight (bytes, or 1 an entry): the plainest baseline.
import type { SimCache } from './simCache';

export class LruCache implements SimCache {
  readonly name = 'lru';
  // A Map iterates in insertion order: re-inserting on a hit keeps the LRU entry first.
  private readonly entries = new Map<string, number>();
  private used = 0;

  constructor(private readonly capacity: number) {}

  access(key: string, size: number): boolean {
    const resident = this.entries.get(key);
    if (resident !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, resident);
      return true;
    }
    if (size > this.capacity) return false;
    this.entries.set(key, size);
    this.used += size;
    this.evict();
    return false;
  }

  private evict(): void {
    while (this.used > this.capacity) {
      const [key, size] = this.entries.entries().next().value as [string, number];
      this.entries.delete(key);
      this.used -= size;
    }
  }
}
