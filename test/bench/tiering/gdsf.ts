// GreedyDual-Size-Frequency (Cherkasova, 1998) with unit cost: priority L + frequency / size,
// evict the lowest, and L (the inflation clock) rises to the evicted priority so long-idle
// objects age out.
import { IndexedMinHeap } from '../../../server/engines/storage';
import type { SimCache } from './simCache';

export class GdsfCache implements SimCache {
  readonly name = 'gdsf';
  private readonly heap = new IndexedMinHeap();
  private readonly residents = new Map<string, { size: number; frequency: number }>();
  private clock = 0;
  private used = 0;

  constructor(private readonly capacity: number) {}

  access(key: string, size: number): boolean {
    const resident = this.residents.get(key);
    if (resident !== undefined) {
      resident.frequency += 1;
      this.heap.set(key, this.clock + resident.frequency / resident.size);
      return true;
    }
    if (size > this.capacity) return false;
    while (this.used + size > this.capacity) {
      this.clock = this.heap.peekPriority() as number;
      const victim = this.heap.pop() as string;
      this.used -= (this.residents.get(victim) as { size: number }).size;
      this.residents.delete(victim);
    }
    this.residents.set(key, { size, frequency: 1 });
    this.used += size;
    this.heap.set(key, this.clock + 1 / Math.max(1, size));
    return false;
  }
}
