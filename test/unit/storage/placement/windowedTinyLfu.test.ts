// The W-TinyLFU structure NeuroLake runs: what its residents become when the window's share
// changes under them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrequencySketch, hashKey, WindowedTinyLfu } from '../../../../server/engines/storage';

describe('W-TinyLFU local-tier structure', () => {
  it('is plain LRU at once when its window grows to the whole tier: a hit protects any resident', () => {
    const sketch = new FrequencySketch(16, 160);
    const cache = new WindowedTinyLfu(10, 0.01, () => sketch);
    const access = (key: string): boolean => {
      sketch.increment(hashKey(key));
      return cache.access(key, hashKey(key), 1);
    };
    // a9 is in the one-object window, a0…a8 in the main space.
    for (let id = 0; id < 10; id += 1) access(`a${id}`);
    cache.setWindowShare(1);
    assert.equal(access('a0'), true);
    for (let id = 0; id < 9; id += 1) access(`b${id}`);
    // As in LRU: the nine least recently used (a1…a9) made room; a0, just hit, stays.
    assert.equal(cache.lookup('a0') !== undefined, true);
    assert.deepEqual(
      [...Array(10).keys()].filter((id) => cache.lookup(`a${id}`) !== undefined),
      [0],
    );
    assert.equal(cache.usedBytes, 10);
  });

  it('hands its window back to the main space when the window shrinks, without evicting', () => {
    const sketch = new FrequencySketch(16, 160);
    const evicted: string[] = [];
    const cache = new WindowedTinyLfu(10, 1, () => sketch, evicted);
    for (let id = 0; id < 10; id += 1) cache.access(`a${id}`, hashKey(`a${id}`), 1);
    cache.setWindowShare(0.2);
    assert.deepEqual(evicted, []);
    assert.equal(cache.residents, 10);
  });
});
