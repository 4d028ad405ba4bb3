// Recommendations derived from records made here, replays through the storage engine's own LRU policy: cold objects to archive, a local capacity found
// by replaying the access history through the placement policy, workload types that burst so
// often a local machine pays for itself, a CPU limit that sends work away, and nothing at all when
// the records show nothing worth changing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AWS_PRICES,
  candidateCapacities,
  DAY_MS,
  GB,
  recommend,
  replayHitRatios,
  SEED_PRICES,
  summariseCosts,
  type AccessRecord,
  type CostError,
  type ObjectRecord,
} from '../../../server/engines/cost';
import { LruByBytesPolicy, type LocalTierPolicy } from '../../../server/engines/storage/placement';
import { run, usage } from './support';

const NOW = Date.parse('2026-06-01T00:00:00Z');

/** Three 1 GB objects read in turn, 20 rounds over 10 days: LRU at 2 GB misses every read, at 3 GB only the first three. */
function cyclicReads(rounds = 20): AccessRecord[] {
  const out: AccessRecord[] = [];
  for (let r = 0; r < rounds; r++) for (const key of ['a', 'b', 'c']) out.push({ at: NOW - 10 * DAY_MS + out.length * 3_600_000, key, sizeBytes: GB, kind: 'read' });
  return out;
}

describe('the hit-ratio-versus-capacity curve', () => {
  it('replays the history through a fresh policy per capacity and counts hits, as worked out by hand', () => {
    const built: LocalTierPolicy[] = [];
    const curve = replayHitRatios(cyclicReads(), (bytes) => {
      const policy = new LruByBytesPolicy(bytes);
      built.push(policy);
      return policy;
    }, [3 * GB, 2 * GB, GB]);
    assert.deepEqual(built.map((p) => p.capacityBytes), [GB, 2 * GB, 3 * GB], 'one policy per capacity, smallest first');
    assert.deepEqual(curve.map((p) => [p.capacityBytes / GB, p.reads, p.hits, p.missBytes / GB]), [
      [1, 60, 0, 60],
      [2, 60, 0, 60],
      [3, 60, 57, 3],
    ]);
    assert.equal(curve[2]?.hitRatio, 57 / 60);
  });

  it('honours stores and deletes in the history', () => {
    const at = NOW;
    const curve = replayHitRatios(
      [
        { at, key: 'x', sizeBytes: GB, kind: 'store' },
        { at: at + 1, key: 'x', sizeBytes: GB, kind: 'read' },
        { at: at + 2, key: 'x', sizeBytes: GB, kind: 'delete' },
        { at: at + 3, key: 'x', sizeBytes: GB, kind: 'read' },
      ],
      (bytes) => new LruByBytesPolicy(bytes),
      [2 * GB],
    );
    assert.deepEqual([curve[0]?.reads, curve[0]?.hits], [2, 1], 'a hit after the store, a miss after the delete');
  });

  it('refuses an access it cannot replay, naming it', () => {
    assert.throws(
      () => replayHitRatios([{ at: NOW, key: 'a', sizeBytes: -1, kind: 'read' }], (bytes) => new LruByBytesPolicy(bytes), [GB]),
      (e: CostError) => e.code === 'invalid-input' && e.path === 'accesses[0].sizeBytes' && /access 0 \("a"\): sizeBytes must be/.test(e.message),
    );
  });

  it('tries capacities around the current one up to the working set', () => {
    assert.deepEqual(candidateCapacities(2 * GB, cyclicReads()).map((b) => b / GB), [0.5, 1, 1.5, 2, 3]);
  });
});

describe('recommendations', () => {
  const month = Array.from({ length: 30 }, (_, i) => `2026-05-${String(i + 2).padStart(2, '0')}`).slice(0, 30);

  it('proposes raising the local capacity to where the replayed hit ratio jumps, with the saving it brings', () => {
    const accesses = cyclicReads(200); // 600 reads of 1 GB
    const curve = replayHitRatios(accesses, (b) => new LruByBytesPolicy(b), candidateCapacities(2 * GB, accesses));
    const summary = summariseCosts(AWS_PRICES, month.map((day) => usage(day, 'cloud', { gbMonths: 1, egressGb: 20 })), []);
    const periodDays = 10;
    const [rec] = recommend({ book: AWS_PRICES, summary, now: NOW, capacity: { currentBytes: 2 * GB, curve, periodDays } }).filter((r) => r.id === 'local-capacity');
    assert.ok(rec, 'a capacity recommendation');
    assert.deepEqual(rec.action, { kind: 'set-local-capacity', capacityBytes: 3 * GB });
    assert.match(rec.recommendation, /Raise the local tier's capacity from 2\.00 GB to 3\.00 GB/);
    assert.match(rec.impact, /hit ratio goes from 0% to 99\.5%/);
    // A month is 30.44/10 of the replay: 600 GB of misses become 1,826 GB (1,726 charged at $0.09)
    // and 600 reads 1,826 GETs; at 3 GB, 3 GB of misses stay in the free allowance. Less 1 GB more disk.
    const perMonth = 365.25 / 12 / periodDays;
    const expected = (600 * perMonth - 100) * 0.09 + ((600 - 3) * perMonth * 0.0004) / 1000 - 1 * 0.0023;
    assert.ok(Math.abs(rec.estimated_savings_usd_month - expected) < 1e-6, `${rec.estimated_savings_usd_month} vs ${expected}`);
    assert.equal(rec.priority, 'high');
    const tight = recommend({ book: AWS_PRICES, summary, now: NOW, capacity: { currentBytes: 2 * GB, curve, periodDays, maxBytes: 2.5 * GB } });
    assert.equal(tight.find((r) => r.id === 'local-capacity'), undefined, 'no capacity the disk cannot give');
  });

  it('proposes archiving the cloud objects unread for 90 days, never a pinned one', () => {
    const objects: ObjectRecord[] = [
      { key: 'logs/2025.parquet', tier: 'cloud', sizeBytes: 200 * GB, storedAt: NOW - 400 * DAY_MS, lastAccessAt: NOW - 120 * DAY_MS },
      { key: 'logs/2024.parquet', tier: 'cloud', sizeBytes: 300 * GB, storedAt: NOW - 700 * DAY_MS, lastAccessAt: NOW - 300 * DAY_MS },
      { key: 'legal/hold.parquet', tier: 'cloud', sizeBytes: 50 * GB, storedAt: NOW - 700 * DAY_MS, lastAccessAt: NOW - 300 * DAY_MS, pinned: true },
      { key: 'sales/current.parquet', tier: 'cloud', sizeBytes: 100 * GB, storedAt: NOW - 400 * DAY_MS, lastAccessAt: NOW - 2 * DAY_MS },
      { key: 'cache/hot.parquet', tier: 'local', sizeBytes: 10 * GB, storedAt: NOW - 400 * DAY_MS, lastAccessAt: NOW - 200 * DAY_MS },
    ];
    const summary = summariseCosts(AWS_PRICES, month.map((day) => usage(day, 'cloud', { gbMonths: 650 / 31 })), []);
    const [rec] = recommend({ book: AWS_PRICES, summary, now: NOW, objects });
    assert.ok(rec);
    assert.equal(rec.id, 'archive-unread-90d');
    assert.deepEqual(rec.action, { kind: 'archive-keys', keys: ['logs/2025.parquet', 'logs/2024.parquet'] }, 'in listing order');
    assert.ok(Math.abs(rec.estimated_savings_usd_month - 500 * (0.023 - 0.0036)) < 1e-9, '500 GB from $0.023 to $0.0036');
    assert.match(rec.recommendation, /Archive 2 objects \(500 GB\) unread for 90 days or more/);
    assert.match(rec.impact, /S3 Glacier Flexible Retrieval/);
    assert.equal(rec.priority, 'high', '$9.70 of a ~$14 bill');
    const later = recommend({ book: AWS_PRICES, summary, now: NOW, objects, archiveAfterDays: 200 });
    assert.deepEqual(later[0]?.action, { kind: 'archive-keys', keys: ['logs/2024.parquet'] });
  });

  it('finds a workload type that bursts often enough for a local machine to pay for itself', () => {
    const runs = month.flatMap((day) => [run(day, { tier: 'cloud', type: 'ml', hours: 4, size: 'large', burstReason: 'too-large' }), run(day, { tier: 'local', type: 'query', hours: 1 })]);
    const summary = summariseCosts(SEED_PRICES, [], runs);
    const recs = recommend({ book: SEED_PRICES, summary, runs, now: NOW, candidateMachine: { machineUsd: 3000, lifeMonths: 36 } });
    const ml = recs.find((r) => r.id === 'local-machine-ml');
    assert.ok(ml);
    // 30 days of 4 h at $0.80 = $96 per 30 days; a month of 30.44 days: $97.40 of cloud, 121.75 h at $0.02 locally, less $3,000/36.
    const perMonth = 365.25 / 12 / 30;
    const cloud = 96 * perMonth;
    const running = cloud - 120 * perMonth * 0.02;
    assert.ok(Math.abs(ml.estimated_savings_usd_month - (running - 3000 / 36)) < 1e-9);
    assert.match(ml.impact, new RegExp(`pays for itself in ${(3000 / running).toFixed(1)} months`));
    assert.equal(ml.action, undefined, 'buying a machine is not an engine action');
    assert.equal(recs.find((r) => r.id === 'local-machine-query'), undefined, 'queries already run locally');
    const dear = recommend({ book: SEED_PRICES, summary, runs, now: NOW, candidateMachine: { machineUsd: 10_000, lifeMonths: 36 } });
    assert.equal(dear.find((r) => r.id === 'local-machine-ml'), undefined, 'a machine dearer than the bursts it saves is not recommended');
  });

  it('proposes a higher CPU limit when runs burst only because the machine was busy', () => {
    const runs = month.map((day) => run(day, { tier: 'cloud', type: 'etl', hours: 1, size: 'small', burstReason: 'local-busy' }));
    const summary = summariseCosts(SEED_PRICES, [], runs);
    const rec = recommend({ book: SEED_PRICES, summary, runs, now: NOW, computeLimits: { localCpuLimitPct: 80 } }).find((r) => r.id === 'compute-local-cpu-limit');
    assert.ok(rec);
    assert.deepEqual(rec.action, { kind: 'set-compute-limit', limit: 'localCpuLimitPct', value: 90 });
    const perMonth = 365.25 / 12 / 30;
    assert.ok(Math.abs(rec.estimated_savings_usd_month - 0.5 * 30 * perMonth * (0.1 - 0.02)) < 1e-9, 'half the load above 80% fits under 90%');
    assert.equal(recommend({ book: SEED_PRICES, summary, runs, now: NOW, computeLimits: { localCpuLimitPct: 95 } }).find((r) => r.id === 'compute-local-cpu-limit'), undefined);
  });

  it('points out archive removals charged for the minimum duration', () => {
    const summary = summariseCosts(AWS_PRICES, month.map((day) => usage(day, 'archive', { gbMonths: 10, earlyRemovalGbDays: 310 })), []);
    const rec = recommend({ book: AWS_PRICES, summary, now: NOW }).find((r) => r.id === 'archive-minimum-duration');
    assert.ok(rec);
    assert.match(rec.recommendation, /at least 90 days/);
  });

  it('recommends nothing when the records show nothing to change', () => {
    const runs = month.map((day) => run(day, { tier: 'local', type: 'etl', hours: 1 }));
    const summary = summariseCosts(AWS_PRICES, month.map((day) => usage(day, 'local', { gbMonths: 1 })), runs);
    const objects: ObjectRecord[] = [{ key: 'k', tier: 'local', sizeBytes: GB, storedAt: NOW - 500 * DAY_MS, lastAccessAt: NOW - 400 * DAY_MS }];
    assert.deepEqual(recommend({ book: AWS_PRICES, summary, runs, objects, now: NOW, computeLimits: { localCpuLimitPct: 80 } }), []);
  });
});
