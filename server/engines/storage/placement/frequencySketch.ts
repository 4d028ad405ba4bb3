// A count-min sketch of 4-bit counters estimating how often each key was seen recently
// (TinyLFU, Einziger et al.). Fixed size whatever the number of distinct keys: four rows of
// `width` one-byte counters saturating at 15, all halved every `samplePeriod` increments so
// old popularity fades.

const ROWS = 4;
const MAX_COUNT = 15;
const MAX_WIDTH = 1 << 22;

/** FNV-1a over the key's UTF-16 units, then a murmur finaliser so low bits are well mixed. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

export class FrequencySketch {
  private readonly counters: Uint8Array;
  /** The same counters as 32-bit words (the width is a power of two of at least 16). */
  private readonly words: Uint32Array;
  private readonly mask: number;
  private additions = 0;

  /**
   * @param expectedKeys distinct keys the sketch should tell apart (the cache's entries); the
   *   width is the next power of two of four times it, capped at 4M counters a row.
   * @param samplePeriod increments between halvings.
   */
  constructor(expectedKeys: number, readonly samplePeriod: number) {
    let width = 16;
    while (width < expectedKeys * 4 && width < MAX_WIDTH) width *= 2;
    this.counters = new Uint8Array(width * ROWS);
    this.words = new Uint32Array(this.counters.buffer);
    this.mask = width - 1;
  }

  /** Bytes the sketch holds, whatever the traffic. */
  get memoryBytes(): number {
    return this.counters.length;
  }

  frequency(hash: number): number {
    // Double hashing: row r probes (hash + r * step) in its own stretch of the table.
    const mask = this.mask;
    const width = mask + 1;
    const step = (Math.imul(hash, 0x9e3779b1) >>> 16) | 1;
    const counters = this.counters;
    let min = counters[hash & mask] as number;
    const b = counters[width + ((hash + step) & mask)] as number;
    const c = counters[2 * width + ((hash + 2 * step) & mask)] as number;
    const d = counters[3 * width + ((hash + 3 * step) & mask)] as number;
    if (b < min) min = b;
    if (c < min) min = c;
    if (d < min) min = d;
    return min;
  }

  increment(hash: number): void {
    const mask = this.mask;
    const width = mask + 1;
    const step = (Math.imul(hash, 0x9e3779b1) >>> 16) | 1;
    const counters = this.counters;
    let added = false;
    for (let row = 0, offset = 0; row < ROWS; row += 1, offset += width) {
      const slot = offset + ((hash + row * step) & mask);
      const count = counters[slot] as number;
      if (count < MAX_COUNT) {
        counters[slot] = count + 1;
        added = true;
      }
    }
    if (added && ++this.additions >= this.samplePeriod) this.halve();
  }

  /** Halves every counter, four at a time: each byte shifts right and loses the bit from its neighbour. */
  private halve(): void {
    const words = this.words;
    for (let index = 0; index < words.length; index += 1) {
      words[index] = ((words[index] as number) >>> 1) & 0x7f7f7f7f;
    }
    this.additions = Math.floor(this.additions / 2);
  }
}
