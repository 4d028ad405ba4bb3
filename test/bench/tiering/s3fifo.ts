// S3-FIFO (Yang et al., SOSP'23), as the paper's Algorithm 1 writes it: a small FIFO (10%) that
// quickly demotes one-hit wonders, a main FIFO with a 2-bit reinsertion counter, and a ghost
// FIFO (as large as main) of keys demoted from the small queue, whose return goes straight to
// main. An object the small queue promotes keeps its count in main (so it survives that many
// of main's sweeps), and a promotion into a full main evicts from main there and then.
import type { SimCache } from './simCache';

const SMALL_SHARE = 0.1;
const MAX_FREQUENCY = 3;

interface Entry {
  size: number;
  frequency: number;
}

export class S3FifoCache implements SimCache {
  readonly name = 's3fifo';
  private readonly small = new Map<string, Entry>();
  private readonly main = new Map<string, Entry>();
  private readonly ghost = new Map<string, number>();
  private smallBytes = 0;
  private mainBytes = 0;
  private ghostBytes = 0;

  /** @param moveToMainThreshold hits in the small queue that earn a place in main (more than one). */
  constructor(private readonly capacity: number, private readonly moveToMainThreshold = 2) {}

  access(key: string, size: number): boolean {
    const entry = this.small.get(key) ?? this.main.get(key);
    if (entry !== undefined) {
      entry.frequency = Math.min(entry.frequency + 1, MAX_FREQUENCY);
      return true;
    }
    if (size > this.capacity) return false;
    // The ghost is consulted before making room, which may push the key out of it.
    const ghostSize = this.ghost.get(key);
    if (ghostSize !== undefined) {
      this.ghost.delete(key);
      this.ghostBytes -= ghostSize;
    }
    while (this.smallBytes + this.mainBytes + size > this.capacity) this.evict();
    if (ghostSize !== undefined) {
      this.main.set(key, { size, frequency: 0 });
      this.mainBytes += size;
    } else {
      this.small.set(key, { size, frequency: 0 });
      this.smallBytes += size;
    }
    return false;
  }

  /** One eviction step; the caller repeats it until the newcomer fits. */
  private evict(): void {
    if (this.small.size > 0 && (this.smallBytes >= SMALL_SHARE * this.capacity || this.main.size === 0)) this.evictSmall();
    else this.evictMain();
  }

  /**
   * Promotes the small queue's oldest objects seen more than once to main until one object is
   * demoted to the ghost, or the small queue is empty (then only main's evictions, if any, made
   * room).
   */
  private evictSmall(): void {
    while (this.small.size > 0) {
      const [key, entry] = this.small.entries().next().value as [string, Entry];
      this.small.delete(key);
      this.smallBytes -= entry.size;
      if (entry.frequency >= this.moveToMainThreshold) {
        this.main.set(key, entry);
        this.mainBytes += entry.size;
        if (this.mainBytes > this.capacity - SMALL_SHARE * this.capacity) this.evictMain();
        continue;
      }
      this.ghost.set(key, entry.size);
      this.ghostBytes += entry.size;
      while (this.ghostBytes > this.capacity - SMALL_SHARE * this.capacity && this.ghost.size > 0) {
        const [oldKey, oldSize] = this.ghost.entries().next().value as [string, number];
        this.ghost.delete(oldKey);
        this.ghostBytes -= oldSize;
      }
      return;
    }
  }

  private evictMain(): void {
    while (this.main.size > 0) {
      const [key, entry] = this.main.entries().next().value as [string, Entry];
      this.main.delete(key);
      if (entry.frequency > 0) {
        entry.frequency -= 1;
        this.main.set(key, entry);
        continue;
      }
      this.mainBytes -= entry.size;
      return;
    }
  }
}
