// NeuroLake's local-tier policy keeps the engine's invariants whatever the traffic: never over
// capacity, never a pinned (only-copy) object evicted, nothing larger than the tier admitted,
// and the same decisions for the same requests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNeuroLakePolicy, type LocalTierPolicy } from '../../../../server/engines/storage';

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Step {
  readonly key: string;
  readonly size: number;
}

/** A skewed workload mixing a hot set, scans and one-hit wonders, with sizes by key. */
function workload(seed: number, length: number): Step[] {
  const random = seeded(seed);
  const steps: Step[] = [];
  for (let index = 0; index < length; index += 1) {
    const roll = random();
    const id = roll < 0.5 ? Math.floor(random() * 50) : roll < 0.8 ? 1000 + (index % 300) : 10_000 + index;
    steps.push({ key: `k${id}`, size: 1 + ((id * 7919) % 400) });
  }
  return steps;
}

function replayChecked(policy: LocalTierPolicy, steps: readonly Step[], pinned: ReadonlySet<string>): boolean[] {
  const resident = new Set<string>();
  return steps.map(({ key, size }, index) => {
    const wasResident = resident.has(key);
    const outcome = policy.read(key, size, index);
    assert.equal(outcome.hit, wasResident, `step ${index}: hit on ${key} disagrees with the outcomes so far`);
    for (const gone of outcome.evicted) {
      assert.equal(pinned.has(gone), false, `step ${index}: evicted pinned ${gone}`);
      assert.ok(resident.delete(gone), `step ${index}: evicted ${gone}, which was not resident`);
    }
    if (outcome.admitted) resident.add(key);
    assert.ok(policy.usedBytes() <= policy.capacityBytes, `step ${index}: ${policy.usedBytes()} bytes in a ${policy.capacityBytes}-byte tier`);
    assert.equal(policy.isResident(key), resident.has(key), `step ${index}: residency of ${key} disagrees with the outcomes`);
    return outcome.hit;
  });
}

describe('NeuroLake local-tier policy', () => {
  it('never goes over capacity, and its outcomes account for every resident', () => {
    const policy = createNeuroLakePolicy(5000);
    const hits = replayChecked(policy, workload(1, 20_000), new Set());
    assert.ok(hits.filter(Boolean).length > 2000, 'a skewed workload should hit the hot set');
  });

  it('never evicts a pinned object', () => {
    const policy = createNeuroLakePolicy(5000);
    const pinned = new Set(['only-copy-1', 'only-copy-2']);
    for (const key of pinned) {
      policy.setPinned(key, true);
      assert.equal(policy.store(key, 900, 0).admitted, true);
    }
    replayChecked(policy, workload(2, 20_000), pinned);
    for (const key of pinned) assert.equal(policy.isResident(key), true);
    // Unpinned, an object becomes evictable like any other.
    policy.setPinned('only-copy-1', false);
    let evicted = false;
    for (const { key, size } of workload(3, 20_000)) if (policy.read(key, size, 0).evicted.includes('only-copy-1')) evicted = true;
    assert.equal(evicted, true);
  });

  it('does not admit an object larger than the tier, nor one only evicting pins would fit', () => {
    const policy = createNeuroLakePolicy(1000);
    assert.deepEqual(policy.read('huge', 1001, 0), { hit: false, admitted: false, evicted: [] });
    policy.setPinned('pin', true);
    policy.store('pin', 700, 1);
    assert.equal(policy.read('big', 400, 2).admitted, false);
    assert.equal(policy.read('fits', 300, 3).admitted, true);
    assert.equal(policy.isResident('pin'), true);
  });

  it('makes the same decisions for the same requests', () => {
    const steps = workload(42, 30_000);
    const first = createNeuroLakePolicy(4000);
    const second = createNeuroLakePolicy(4000);
    const outcomes = (policy: LocalTierPolicy) => steps.map(({ key, size }, index) => JSON.stringify(policy.read(key, size, index)));
    assert.deepEqual(outcomes(first), outcomes(second));
  });

  it('keeps a loop that is slightly larger than the tier partly resident, where LRU keeps none', () => {
    const policy = createNeuroLakePolicy(100);
    let hits = 0;
    for (let pass = 0; pass < 50; pass += 1) for (let id = 0; id < 110; id += 1) if (policy.read(`loop${id}`, 1, 0).hit) hits += 1;
    assert.ok(hits / (50 * 110) > 0.5, `hit ratio ${hits / (50 * 110)}`);
  });

  it('serves a recency-heavy back-and-forth sweep like LRU does', () => {
    const policy = createNeuroLakePolicy(100);
    let hits = 0;
    let total = 0;
    for (let pass = 0; pass < 60; pass += 1) {
      const sweep = [...Array(200).keys()];
      for (const id of pass % 2 === 0 ? sweep : sweep.reverse()) {
        total += 1;
        if (policy.read(`z${id}`, 1, 0).hit) hits += 1;
      }
    }
    // LRU hits the first 100 of every reversed sweep: just under half.
    assert.ok(hits / total > 0.4, `hit ratio ${hits / total}`);
  });

  it('shrinks by evicting, and a store replaces a resident object in place', () => {
    const policy = createNeuroLakePolicy(1000);
    for (let id = 0; id < 10; id += 1) policy.read(`s${id}`, 100, id);
    assert.equal(policy.usedBytes(), 1000);
    const evicted = policy.resize(500);
    assert.equal(evicted.length, 5);
    assert.equal(policy.usedBytes(), 500);
    const resident = [...Array(10).keys()].map((id) => `s${id}`).find((key) => policy.isResident(key)) as string;
    assert.equal(policy.store(resident, 200, 20).admitted, true);
    assert.ok(policy.usedBytes() <= 500);
  });
});
