// ARC (Megiddo & Modha, FAST'03), by weight: recency list T1 and frequency list T2, ghosts B1
// and B2 of what each evicted, and a target p for T1 that a ghost hit moves towards the list
// that would have kept the object.
import type { SimCache } from './simCache';

class SizedList {
  readonly entries = new Map<string, number>();
  bytes = 0;
  add(key: string, size: number): void {
    this.entries.set(key, size);
    this.bytes += size;
  }
  take(key: string): number | undefined {
    const size = this.entries.get(key);
    if (size !== undefined) {
      this.entries.delete(key);
      this.bytes -= size;
    }
    return size;
  }
  takeOldest(): [string, number] {
    const [key, size] = this.entries.entries().next().value as [string, number];
    this.take(key);
    return [key, size];
  }
}

export class ArcCache implements SimCache {
  readonly name = 'arc';
  private readonly t1 = new SizedList();
  private readonly t2 = new SizedList();
  private readonly b1 = new SizedList();
  private readonly b2 = new SizedList();
  private p = 0;

  constructor(private readonly capacity: number) {}

  access(key: string, size: number): boolean {
    const c = this.capacity;
    const resident = this.t1.take(key) ?? this.t2.take(key);
    if (resident !== undefined) {
      this.t2.add(key, resident);
      return true;
    }
    if (size > c) return false;
    if (this.b1.entries.has(key)) {
      this.p = Math.min(c, this.p + size * Math.max(1, this.b2.bytes / Math.max(1, this.b1.bytes)));
      this.b1.take(key);
      this.replace(size, false);
      this.t2.add(key, size);
      return false;
    }
    if (this.b2.entries.has(key)) {
      this.p = Math.max(0, this.p - size * Math.max(1, this.b1.bytes / Math.max(1, this.b2.bytes)));
      this.b2.take(key);
      this.replace(size, true);
      this.t2.add(key, size);
      return false;
    }
    if (this.t1.bytes + this.b1.bytes + size > c) {
      while (this.t1.bytes + this.b1.bytes + size > c && this.b1.entries.size > 0) this.b1.takeOldest();
      while (this.t1.bytes + this.b1.bytes + size > c && this.t1.entries.size > 0) this.t1.takeOldest();
    } else {
      while (this.t1.bytes + this.t2.bytes + this.b1.bytes + this.b2.bytes + size > 2 * c && this.b2.entries.size > 0) {
        this.b2.takeOldest();
      }
    }
    this.replace(size, false);
    this.t1.add(key, size);
    return false;
  }

  private replace(size: number, inB2: boolean): void {
    while (this.t1.bytes + this.t2.bytes + size > this.capacity) {
      const fromT1 = this.t1.entries.size > 0 && (this.t1.bytes > this.p || (inB2 && this.t1.bytes === this.p) || this.t2.entries.size === 0);
      if (fromT1) this.b1.add(...this.t1.takeOldest());
      else this.b2.add(...this.t2.takeOldest());
    }
  }
}
