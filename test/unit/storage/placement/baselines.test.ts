// The tiering bench's baseline policies on traces short enough to work out by hand: each
// expectation below is the policy's paper rule applied step by step (noted beside it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArcCache } from '../../../bench/tiering/arc';
import { GdsfCache } from '../../../bench/tiering/gdsf';
import { LruCache } from '../../../bench/tiering/lru';
import { BeladyCache } from '../../../bench/tiering/opt';
import { S3FifoCache } from '../../../bench/tiering/s3fifo';
import { SieveCache } from '../../../bench/tiering/sieve';
import type { SimCache } from '../../../bench/tiering/simCache';
import { WTinyLfuCache } from '../../../bench/tiering/wtinylfu';

function hits(cache: SimCache, keys: string, sizes: Record<string, number> = {}): boolean[] {
  return [...keys].map((key) => cache.access(key, sizes[key] ?? 1));
}

const H = true;
const M = false;

describe('baseline cache policies, worked by hand', () => {
  it('LRU evicts the least recently used', () => {
    // a b | a refreshes a | c evicts b | a hit | b evicts c | c evicts a
    assert.deepEqual(hits(new LruCache(2), 'abacabc'), [M, M, H, M, H, M, M]);
  });

  it('SIEVE keeps a visited old object and evicts the unvisited newer one', () => {
    // a, a (visited), b; c: the hand clears a and evicts b; a is still there.
    assert.deepEqual(hits(new SieveCache(2), 'aabca'), [M, H, M, M, H]);
    assert.deepEqual(hits(new LruCache(2), 'aabca'), [M, H, M, M, M]);
  });

  it('ARC moves a ghost hit into T2 and adapts p towards recency', () => {
    // a; a -> T2; b -> T1; c: T1 (b) > p = 0, so b goes to ghost B1; a hit in T2;
    // b: ghost hit in B1, p = 1, T1 (c) is not over p so a goes to B2; c hits in T1.
    assert.deepEqual(hits(new ArcCache(2), 'aabcabc'), [M, H, M, M, H, M, H]);
    assert.deepEqual(hits(new LruCache(2), 'aabcabc'), [M, H, M, M, M, M, M]);
  });

  it('W-TinyLFU rejects a candidate no more frequent than main\'s victim', () => {
    // Capacity 2: window 1, main 1. a, a (window hit), b pushes a into main, a hits there;
    // c pushes b out of the window, b (seen once) loses to a (seen three times); likewise c.
    const cache = new WTinyLfuCache(2, { windowShare: 0.01, adaptive: false, expectedEntries: 2 });
    assert.deepEqual(hits(cache, 'aabacba'), [M, H, M, H, M, M, H]);
    assert.deepEqual(hits(new LruCache(2), 'aabacba'), [M, H, M, H, M, M, M]);
  });

  it('W-TinyLFU by bytes gives a large arrival its window turn and keeps the hot set', () => {
    // 100 bytes, a 1-byte window: a..e (10 bytes each) arrive twice and settle in main; X (60
    // bytes) outweighs the window yet stays there for its next request (main's oldest victim,
    // e, makes room); a..d, seen twice, still hit afterwards.
    const cache = new WTinyLfuCache(100, { windowShare: 0.01, adaptive: false, expectedEntries: 10 });
    const sizes = { X: 60 };
    assert.deepEqual(hits(cache, 'aabbccddeeXX', sizes), [M, H, M, H, M, H, M, H, M, H, M, H]);
    assert.deepEqual(hits(cache, 'abcd', sizes), [H, H, H, H]);
  });

  it('S3-FIFO demotes one-hit wonders to the ghost and brings returning ones to main', () => {
    // Capacity 2 (small queue 0.2): c demotes a to the ghost; a returns to main, demoting b;
    // a hits (frequency 1); b returns to main, demoting c; c returns and main reinserts a
    // (frequency 1 -> 0) and evicts b; a hits.
    assert.deepEqual(hits(new S3FifoCache(2), 'abcaabca'), [M, M, M, M, H, M, M, H]);
    assert.deepEqual(hits(new LruCache(2), 'abcaabca'), [M, M, M, M, H, M, M, M]);
  });

  it('S3-FIFO keeps the count of an object the small queue promotes', () => {
    // Capacity 2 (small queue 0.2, main and ghost 1.8: one entry). a is seen three times (count
    // 2), then b; c promotes a to main with its count and ghosts b; b returns to main, ghosting
    // c; e sweeps main: a spends one count and stays, b (count 0) goes; a still hits. Were the
    // count reset on promotion, e would have evicted a.
    assert.deepEqual(hits(new S3FifoCache(2), 'aaabcbea'), [M, H, H, M, M, M, M, H]);
  });

  it('S3-FIFO evicts from main there and then when a promotion fills it', () => {
    // Capacity 100 bytes (small queue 10, main 90). m (80) and a (15) are seen three times each
    // (count 2), then b (5) fills the tier. c: the small queue promotes m (main 80), then a
    // (main 95, over 90): main sweeps at once, spending both counts, and m, first in line,
    // goes; then b goes to the ghost. So m misses (a later rule that waited for the next
    // eviction would have kept it) and a, still in main, hits.
    const sizes = { m: 80, a: 15, b: 5, c: 5 };
    assert.deepEqual(hits(new S3FifoCache(100), 'mmmaaabcma', sizes), [M, H, H, M, H, H, M, M, M, H]);
  });

  it('W-TinyLFU sizes its window as Caffeine does: the capacity less 99% of it rounded down', () => {
    // Capacity 101: main 99, window 2 (1% rounded down would give 1). h0..h98, each seen twice
    // in a row (the second a window hit), fill main; f1 and f2 fill the tier. x then pushes f1
    // out of the window, where it loses to main's victim (seen twice); y does the same to f2.
    // x is still in the two-entry window: a hit. With a one-entry window y would have pushed x
    // to the filter, which rejects it (seen once), and x would miss.
    const hot = Array.from({ length: 99 }, (_, index) => [`h${index}`, `h${index}`]).flat();
    const cache = new WTinyLfuCache(101, { windowShare: 0.01, adaptive: false, expectedEntries: 101 });
    for (const key of [...hot, 'f1', 'f2']) cache.access(key, 1);
    assert.deepEqual(['x', 'y', 'x'].map((key) => cache.access(key, 1)), [M, M, H]);
    assert.deepEqual(['h0', 'h50', 'h98'].map((key) => cache.access(key, 1)), [H, H, H]);
  });

  it('GDSF evicts the lowest frequency per byte and ages by the evicted priority', () => {
    // Capacity 3 bytes, b is 2 bytes. a (H 1), b (H 0.5), a hit (H 2); c evicts b (L 0.5, H 1.5);
    // d fits (H 1.5); b needs 2 bytes: c then d go (L 1.5); a is still resident.
    assert.deepEqual(hits(new GdsfCache(3), 'abacdba', { b: 2 }), [M, M, H, M, M, M, H]);
  });

  it('Belady does not admit what is needed later than everything it would displace', () => {
    const trace = { keys: [...'abcab'], sizes: [1, 1, 1, 1, 1], sized: false };
    const cache = new BeladyCache(2, trace);
    // c is never requested again, so a and b stay and both hit; LRU would lose both.
    assert.deepEqual(trace.keys.map((key) => cache.access(key)), [M, M, M, H, H]);
    assert.deepEqual(hits(new LruCache(2), 'abcab'), [M, M, M, M, M]);
  });
});
