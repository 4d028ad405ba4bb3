// What recorded usage costs, by tier, workload type and day, against figures worked out by hand
// from the aws prices: S3 Standard $0.023/GB-month, $0.005 per 1,000 writes and $0.0004 per 1,000
// reads; Glacier $0.0036/GB-month, $0.01/GB restored, 90 days minimum; egress free for 100 GB a
// month then $0.09/GB; local work at 200 W × $0.17/kWh = $0.034 an hour; m5.4xlarge $0.768 an hour.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AWS_PRICES, summariseCosts, type CostError } from '../../../server/engines/cost';
import { assertWithinCent, run, usage } from './support';

describe('storage costs', () => {
  it('prices GB-months, requests, retrievals and early removals per tier', () => {
    const s = summariseCosts(
      AWS_PRICES,
      [
        usage('2026-03-01', 'cloud', { gbMonths: 10, writeRequests: 20_000, readRequests: 100_000 }),
        usage('2026-03-01', 'archive', { gbMonths: 100, retrievalGb: 50, earlyRemovalGbDays: 93 }),
        usage('2026-03-01', 'local', { gbMonths: 100 }),
      ],
      [],
    );
    const cloud = s.storageByTier.cloud;
    assertWithinCent(cloud.storageUsd, 0.23, 'cloud storage');
    assert.ok(Math.abs(cloud.requestUsd - (0.1 + 0.04)) < 1e-9, '20,000 writes and 100,000 reads');
    const archive = s.storageByTier.archive;
    assert.ok(Math.abs(archive.storageUsd - 0.36) < 1e-9);
    assert.ok(Math.abs(archive.retrievalUsd - 0.5) < 1e-9, '50 GB restored');
    // 93 GB-days short of the minimum in a 31-day month: 3 GB-months at $0.0036.
    assert.ok(Math.abs(archive.earlyRemovalUsd - 0.0108) < 1e-9);
    assert.ok(Math.abs(s.storageByTier.local.totalUsd - 0.23) < 1e-9, 'local disk at $0.0023/GB-month');
    assert.ok(Math.abs(s.storageUsd - (0.23 + 0.14 + 0.36 + 0.5 + 0.0108 + 0.23)) < 1e-9);
  });

  it('lets the first 100 GB of a month out free, charges the rest at $0.09, and starts again next month', () => {
    const s = summariseCosts(
      AWS_PRICES,
      [
        usage('2026-03-01', 'cloud', { egressGb: 80 }),
        usage('2026-03-02', 'cloud', { egressGb: 70 }),
        usage('2026-03-02', 'archive', { egressGb: 10 }),
        usage('2026-04-01', 'cloud', { egressGb: 90 }),
      ],
      [],
    );
    const day = (d: string): number => s.days.find((x) => x.day === d)?.totalUsd ?? Number.NaN;
    assert.equal(day('2026-03-01'), 0, '80 GB: all within the allowance');
    assertWithinCent(day('2026-03-02'), 60 * 0.09, '80 more GB: 20 free, 60 charged');
    assert.equal(day('2026-04-01'), 0, 'a new month, a new allowance');
    assertWithinCent(s.storageByTier.cloud.egressUsd + s.storageByTier.archive.egressUsd, 5.4, 'the month’s egress');
    assert.equal(s.days.length, 32, 'every day from the first record to the last, quiet days at 0');
    assert.equal(day('2026-03-15'), 0);
  });
});

describe('compute costs', () => {
  it('prices runs by tier and size unless the run recorded its cost, and adds them up by workload type', () => {
    const s = summariseCosts(
      AWS_PRICES,
      [],
      [
        run('2026-03-01', { tier: 'local', type: 'etl', hours: 10 }),
        run('2026-03-01', { tier: 'cloud', type: 'ml', hours: 2, size: 'large' }),
        run('2026-03-02', { tier: 'cloud', type: 'ml', hours: 1, costUsd: 3.21 }),
        run('2026-03-02', { tier: 'cloud', type: 'query', hours: 0.5 }),
      ],
    );
    assert.ok(Math.abs(s.computeByTier.local.usd - 0.34) < 1e-9, '10 h at $0.034');
    assert.ok(Math.abs(s.computeByType.ml.cloud.usd - (1.536 + 3.21)) < 1e-9, 'm5.4xlarge for 2 h, and a recorded $3.21');
    assert.equal(s.computeByType.ml.cloud.runs, 2);
    assert.ok(Math.abs(s.computeByType.query.cloud.usd - 0.048) < 1e-9, 'no size: the first (small) machine');
    assert.equal(s.computeByType.migration.local.runs, 0);
    assert.ok(Math.abs((s.days[0]?.computeByType.ml ?? 0) - 1.536) < 1e-9);
    assert.ok(Math.abs(s.totalUsd - (0.34 + 1.536 + 3.21 + 0.048)) < 1e-9);
    assert.deepEqual(s.prices, { name: 'aws', asOf: AWS_PRICES.asOf });
  });

  it('refuses a record it cannot price, naming the record and the field', () => {
    assert.throws(() => summariseCosts(AWS_PRICES, [usage('2026-3-1', 'cloud')], []), (e: CostError) => e.code === 'invalid-input' && /day must be a date as YYYY-MM-DD, not "2026-3-1"/.test(e.message));
    assert.throws(() => summariseCosts(AWS_PRICES, [usage('2026-03-01', 'cloud', { gbMonths: -1 })], []), (e: CostError) => e.path === 'storage[0].gbMonths');
    assert.throws(() => summariseCosts(AWS_PRICES, [], [run('2026-03-01', { tier: 'cloud', type: 'ml', hours: 1, size: 'huge' })]), /no cloud machine size "huge"/);
    assert.throws(() => summariseCosts(AWS_PRICES, [], [run('2026-03-01', { tier: 'gpu' as never, type: 'ml', hours: 1 })]), /tier must be one of local, cloud/);
  });
});
