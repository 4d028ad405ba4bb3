// The default local-tier policy: LRU by bytes that never goes over capacity, never evicts a pin
// and never admits an object larger than the tier.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDefaultLocalTierPolicy } from '../../../../server/engines/storage/placement';

describe('default local-tier policy (LRU by bytes)', () => {
  it('evicts the least recently used bytes first', () => {
    const policy = createDefaultLocalTierPolicy(100);
    assert.deepEqual(policy.read('a', 40, 0), { hit: false, admitted: true, evicted: [] });
    policy.read('b', 40, 1);
    assert.equal(policy.read('a', 40, 2).hit, true);
    // 'b' is now the least recently used, so it goes to make room for 'c'.
    assert.deepEqual(policy.read('c', 40, 3), { hit: false, admitted: true, evicted: ['b'] });
    assert.equal(policy.isResident('a'), true);
    assert.equal(policy.isResident('b'), false);
    assert.equal(policy.usedBytes(), 80);
  });

  it('does not admit an object larger than the tier, and keeps what is there', () => {
    const policy = createDefaultLocalTierPolicy(100);
    policy.read('a', 60, 0);
    assert.deepEqual(policy.read('huge', 101, 1), { hit: false, admitted: false, evicted: [] });
    assert.equal(policy.isResident('a'), true);
    assert.equal(policy.usedBytes(), 60);
  });

  it('never evicts a pinned object, and refuses what only evicting a pin would fit', () => {
    const policy = createDefaultLocalTierPolicy(100);
    policy.setPinned('only-copy', true);
    policy.store('only-copy', 70, 0);
    policy.read('b', 30, 1);
    assert.deepEqual(policy.read('c', 30, 2), { hit: false, admitted: true, evicted: ['b'] });
    assert.deepEqual(policy.read('d', 40, 3), { hit: false, admitted: false, evicted: [] });
    assert.equal(policy.isResident('only-copy'), true);
    policy.setPinned('only-copy', false);
    assert.deepEqual(policy.read('d', 40, 4), { hit: false, admitted: true, evicted: ['only-copy'] });
  });

  it('stays under capacity on a long random workload, with pins and resizes', () => {
    const policy = createDefaultLocalTierPolicy(1000);
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pinned = new Set<string>();
    for (let step = 0; step < 5000; step += 1) {
      const id = Math.floor(random() * 200);
      const key = `k${id}`;
      const outcome = policy.read(key, 1 + ((id * 37) % 300), step);
      for (const gone of outcome.evicted) assert.equal(pinned.has(gone), false, `evicted pinned ${gone}`);
      if (step % 97 === 0 && policy.isResident(key)) {
        policy.setPinned(key, true);
        pinned.add(key);
      }
      // Shrinking below the pinned bytes cannot fit, so the pins go first (a resize with them is
      // the next test's subject).
      if (step % 500 === 499) {
        for (const key of pinned) policy.setPinned(key, false);
        pinned.clear();
        if (step % 1000 === 999) policy.resize(500 + Math.floor(random() * 1000));
      }
      assert.ok(policy.usedBytes() <= policy.capacityBytes, `used ${policy.usedBytes()} > ${policy.capacityBytes}`);
    }
  });

  it('a shrink evicts unpinned residents only, oldest first', () => {
    const policy = createDefaultLocalTierPolicy(100);
    policy.read('a', 30, 0);
    policy.read('b', 30, 1);
    policy.read('c', 30, 2);
    policy.setPinned('a', true);
    assert.deepEqual(policy.resize(40), ['b', 'c']);
    assert.equal(policy.usedBytes(), 30);
  });

  it('forgets a removed object and a store replaces a resident copy in place', () => {
    const policy = createDefaultLocalTierPolicy(100);
    policy.read('a', 50, 0);
    assert.deepEqual(policy.store('a', 80, 1), { hit: false, admitted: true, evicted: [] });
    assert.equal(policy.usedBytes(), 80);
    policy.remove('a');
    assert.equal(policy.isResident('a'), false);
    assert.equal(policy.usedBytes(), 0);
  });

  it('refuses a negative size with an error naming the object', () => {
    const policy = createDefaultLocalTierPolicy(100);
    assert.throws(() => policy.read('bad', -1, 0), /"bad".*-1/);
  });
});
