// The LIRS structure NeuroLake runs on multi-pattern traffic: hits worked out by hand, a loop
// and a scan beside a hot set, bounded ghosts, pins, and the tier moving to it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashKey, LowInterReferenceRecency, NeuroLakePolicy } from '../../../../server/engines/storage';

const access = (lirs: LowInterReferenceRecency, key: string, size = 1): boolean => lirs.access(key, hashKey(key), size);

describe('LIRS local-tier structure', () => {
  it('promotes an object requested again while its ghost is in the stack', () => {
    // Capacity 3: 2.97 bytes for LIR objects (a and b), the rest for one resident HIR object.
    const lirs = new LowInterReferenceRecency(3);
    const hits = [...'abcdcba'].map((key) => access(lirs, key));
    // a, b LIR; c HIR; d evicts c (c's ghost stays in the stack); c returns from its ghost as
    // LIR, the stack's bottom LIR object (a) becomes HIR, and the HIR queue's head (d) goes.
    // b and a still hit.
    assert.deepEqual(hits, [false, false, false, false, false, true, true]);
    assert.deepEqual(
      [...'abcd'].filter((key) => lirs.lookup(key) !== undefined),
      ['a', 'b', 'c'],
    );
    assert.ok(lirs.usedBytes <= 3);
  });

  it('stops promoting returning ghosts after a run of them, keeping its LIR set through a sweep back', () => {
    // Capacity 100: 99 LIR places, one HIR. The sweep up fills LIR with 0..98; 99..198 pass
    // through the HIR place and stay as ghosts; 199 is the resident HIR object. Sweeping down:
    // 199 hits and becomes LIR (0 goes); 198..192 come back from their ghosts as LIR, each
    // displacing the coldest LIR object (1..7); 191 is the eighth newest ghost in a row with
    // no hit between (the run of max(8, 100 / 16)), so from there a returning ghost stays HIR
    // and the LIR objects 8..98 wait for the sweep: 1 + 91 hits. The paper's rule would have
    // let every returning ghost displace one and hit only 199.
    const lirs = new LowInterReferenceRecency(100);
    for (let id = 0; id < 200; id += 1) access(lirs, `z${id}`);
    assert.equal(lirs.promotesOnFirstReturn, true);
    const down = [...Array(200).keys()].reverse().map((id) => access(lirs, `z${id}`));
    assert.equal(lirs.promotesOnFirstReturn, false);
    assert.equal(down.filter(Boolean).length, 92);
    assert.deepEqual(
      [199, 198, 192, 191, 98, 8, 7, 0].map((id) => down[199 - id]),
      [true, false, false, false, true, true, false, false],
    );
  });

  it('keeps the paper\'s rule on a loop, whose ghosts come back oldest first', () => {
    const lirs = new LowInterReferenceRecency(100);
    for (let pass = 0; pass < 10; pass += 1) for (let id = 0; id < 150; id += 1) access(lirs, `loop${id}`);
    assert.equal(lirs.promotesOnFirstReturn, true);
  });

  it('admits a newcomer larger than the HIR share, in place of the coldest objects', () => {
    const evicted: string[] = [];
    const lirs = new LowInterReferenceRecency(1000, evicted);
    for (let id = 0; id < 10; id += 1) access(lirs, `o${id}`, 100);
    lirs.insert('big', hashKey('big'), 300, false);
    assert.ok(lirs.lookup('big') !== undefined);
    // The HIR object (o9) goes first, then the stack's coldest LIR objects.
    assert.deepEqual(evicted, ['o9', 'o0', 'o1']);
    assert.equal(lirs.usedBytes, 1000);
  });

  it('keeps most of a loop slightly larger than the tier, where LRU keeps none', () => {
    const lirs = new LowInterReferenceRecency(100);
    let hits = 0;
    for (let pass = 0; pass < 30; pass += 1) for (let id = 0; id < 110; id += 1) if (access(lirs, `loop${id}`)) hits += 1;
    assert.ok(hits / (30 * 110) > 0.8, `hit ratio ${hits / (30 * 110)}`);
  });

  it('keeps a hot set through a long scan of one-time objects', () => {
    const lirs = new LowInterReferenceRecency(100);
    for (let round = 0; round < 3; round += 1) for (let id = 0; id < 50; id += 1) access(lirs, `hot${id}`);
    for (let id = 0; id < 5000; id += 1) access(lirs, `scan${id}`);
    const kept = [...Array(50).keys()].filter((id) => lirs.lookup(`hot${id}`) !== undefined).length;
    assert.equal(kept, 50);
  });

  it('holds at most twice as many ghosts as residents, and never more bytes than its capacity', () => {
    const lirs = new LowInterReferenceRecency(1000);
    let state = 11;
    for (let step = 0; step < 50_000; step += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const id = state % 20_000;
      access(lirs, `g${id}`, 1 + (id % 50));
      assert.ok(lirs.usedBytes <= 1000, `step ${step}: ${lirs.usedBytes} bytes`);
      assert.ok(lirs.ghostCount <= 2 * Math.max(1, lirs.residents), `step ${step}: ${lirs.ghostCount} ghosts for ${lirs.residents} residents`);
    }
  });

  it('never evicts a pinned object, and an unpinned one can go', () => {
    const evicted: string[] = [];
    const lirs = new LowInterReferenceRecency(20, evicted);
    lirs.insert('pin', hashKey('pin'), 10, true);
    for (let id = 0; id < 500; id += 1) access(lirs, `o${id % 40}`, 1 + (id % 3));
    assert.equal(evicted.includes('pin'), false);
    assert.ok(lirs.lookup('pin') !== undefined);
    lirs.setPinned('pin', false);
    for (let id = 0; id < 500; id += 1) access(lirs, `p${id}`, 1);
    assert.equal(evicted.includes('pin'), true);
    assert.ok(lirs.usedBytes <= 20);
  });

  it('the tier starts on LIRS and moves to LRU on back-and-forth sweeps, keeping its pins', () => {
    const policy = new NeuroLakePolicy(100);
    assert.equal(policy.running, 'lirs');
    policy.setPinned('only-copy', true);
    policy.store('only-copy', 1, 0);
    let step = 0;
    for (let pass = 0; pass < 60; pass += 1) {
      const sweep = [...Array(200).keys()];
      for (const id of pass % 2 === 0 ? sweep : sweep.reverse()) {
        const outcome = policy.read(`z${id}`, 1, (step += 1));
        assert.equal(outcome.evicted.includes('only-copy'), false);
        assert.ok(policy.usedBytes() <= policy.capacityBytes);
      }
    }
    assert.equal(policy.running, 'w-tinylfu 100%');
    assert.equal(policy.isResident('only-copy'), true);
  });
});
