// The key ids NeuroLake's structures index their nodes by: stable while held, reused only once
// no structure holds them, and a map that stays within about twice what the structures hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyIds, NeuroLakePolicy } from '../../../../server/engines/storage';

describe('key ids', () => {
  it('keeps a held key its id through sweeps and gives a forgotten key’s id to a new key', () => {
    const ids = new KeyIds();
    const held = new Set<number>();
    const kept = ids.intern('kept', () => true);
    held.add(kept);
    const isHeld = (id: number): boolean => held.has(id);
    for (let n = 0; n < 5000; n += 1) ids.intern(`passing${n}`, isHeld);
    assert.equal(ids.idOf('kept'), kept);
    // Sweeps ran: the map holds at most twice what the last sweep left, not every key seen.
    assert.ok(ids.size < 2100, `map holds ${ids.size} keys`);
    const ids2 = new Set<number>();
    for (let n = 0; n < 3000; n += 1) ids2.add(ids.intern(`later${n}`, isHeld));
    assert.equal(ids2.has(kept), false);
  });

  it('the tier answers for each key on its own, however many ids have been reused', () => {
    // Far more distinct keys than the tier holds, so ids are swept and reused many times over.
    const policy = new NeuroLakePolicy(200);
    const resident = new Set<string>();
    let state = 11;
    for (let step = 0; step < 60_000; step += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const key = `k${state % (step < 30_000 ? 400 : 20_000)}`;
      const outcome = policy.read(key, 1, step);
      assert.equal(outcome.hit, resident.has(key), `step ${step}: ${key}`);
      for (const gone of outcome.evicted) resident.delete(gone);
      if (outcome.admitted) resident.add(key);
    }
    for (const key of resident) assert.equal(policy.isResident(key), true, key);
    assert.ok(resident.size <= 200);
  });
});
