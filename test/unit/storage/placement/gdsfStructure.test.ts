// The GDSF structure NeuroLake runs on mixed sizes, worked by hand, and the tier handing its
// residents over to it without losing a pinned one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GreedyDualSizeFrequency, hashKey, NeuroLakePolicy } from '../../../../server/engines/storage';

describe('GDSF local-tier structure', () => {
  it('evicts the lowest frequency per byte, ageing by the evicted priority', () => {
    const gdsf = new GreedyDualSizeFrequency(3);
    const sizes: Record<string, number> = { b: 2 };
    const hits = [...'abacdba'].map((key) => gdsf.access(key, hashKey(key), sizes[key] ?? 1));
    // a (1), b (0.5), a hit (2); c (1) pushes out b (clock 0.5); d fits (1.5); b (1.0) pushes
    // out c (1, older tie) and then itself; a still hits.
    assert.deepEqual(hits, [false, false, true, false, false, false, true]);
    assert.deepEqual(
      [...'abcd'].filter((key) => gdsf.lookup(key) !== undefined),
      ['a', 'd'],
    );
  });

  it("a newcomer below the lowest priority goes at once; one above takes the victim's place; a hit top sinks first", () => {
    const evicted: string[] = [];
    const gdsf = new GreedyDualSizeFrequency(4, evicted);
    const sizes: Record<string, number> = { c: 2, d: 4, f: 2, g: 4 };
    const hits = [...'abcdaefg'].map((key) => gdsf.access(key, hashKey(key), sizes[key] ?? 1));
    // a (1), b (1), c (0.5) fill the tier. d (0.25) is below c: it goes at once, the clock
    // rises to 0.25. a is hit (2.25). e (1.25) pushes out c (clock 0.5). f (1.0): a's old
    // place (1) is stale and sinks, so b (1, older than f) goes (clock 1). g (1.25) pushes
    // out f (1.0), then e (1.25, older than g), then itself.
    assert.deepEqual(hits, [false, false, false, false, true, false, false, false]);
    assert.deepEqual(evicted, ['d', 'c', 'b', 'f', 'e', 'g']);
    assert.deepEqual(
      [...'abcdefg'].filter((key) => gdsf.lookup(key) !== undefined),
      ['a'],
    );
    assert.equal(gdsf.usedBytes, 1);
  });

  it('never evicts a pinned object', () => {
    const evicted: string[] = [];
    const gdsf = new GreedyDualSizeFrequency(10, evicted);
    gdsf.insert('pin', hashKey('pin'), 6, true);
    for (let id = 0; id < 100; id += 1) gdsf.access(`o${id}`, hashKey(`o${id}`), 1 + (id % 4));
    assert.equal(evicted.includes('pin'), false);
    assert.ok(gdsf.usedBytes <= 10);
  });

  it('the tier moves to GDSF on widely mixed sizes and keeps its pins and its capacity', () => {
    const policy = new NeuroLakePolicy(50_000);
    policy.setPinned('only-copy', true);
    policy.store('only-copy', 5000, 0);
    let state = 7;
    for (let step = 0; step < 20_000; step += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const id = state % 3000;
      // Sizes spread over four orders of magnitude, as on a CDN.
      const size = 10 ** (1 + (id % 4)) + (id % 97);
      const outcome = policy.read(`m${id}`, size, step);
      assert.equal(outcome.evicted.includes('only-copy'), false);
      assert.ok(policy.usedBytes() <= policy.capacityBytes);
    }
    assert.equal(policy.running, 'gdsf');
    assert.equal(policy.isResident('only-copy'), true);
  });
});
