// The engine as the server will hold it: prices chosen by preset and overrides, records read from
// a source on every request (so new records show up without reopening), and a clear closed state.
import { createDefaultLocalTierPolicy } from '../../../server/engines/storage/placement';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CostEngine, GB, SEED_PRICES, type CostError, type CostRecords } from '../../../server/engines/cost';
import { run, usage } from './support';

describe('the cost engine', () => {
  it('reads the records afresh for every dashboard, with the policy and limits its sources give', async () => {
    const records: { storage: CostRecords['storage'][number][]; runs: CostRecords['runs'][number][]; accesses: CostRecords['accesses'] } = {
      storage: [usage('2026-03-01', 'cloud', { gbMonths: 1 })],
      runs: [],
      accesses: [
        { at: 1, key: 'a', sizeBytes: GB, kind: 'read' },
        { at: 2, key: 'a', sizeBytes: GB, kind: 'read' },
      ],
    };
    const engine = await CostEngine.open({
      preset: 'seed',
      sources: { records: () => records, localTier: () => ({ capacityBytes: 2 * GB, policyFor: createDefaultLocalTierPolicy }), computeLimits: () => ({ localCpuLimitPct: 80 }) },
      now: () => Date.parse('2026-03-02T00:00:00Z'),
    });
    assert.deepEqual(engine.status(), { state: 'open', prices: { name: 'seed', asOf: SEED_PRICES.asOf, source: SEED_PRICES.source }, imports: [], hasRecords: true });
    const first = await engine.dashboard();
    assert.equal(first.summary.days.length, 1);
    assert.deepEqual(
      first.capacity?.curve.map((p) => [p.capacityBytes / GB, p.hits]),
      [
        [0.5, 0],
        [1, 1],
        [2, 1],
      ],
      'half the current capacity, the working set, and the current capacity',
    );
    records.runs.push(run('2026-03-02', { tier: 'cloud', type: 'etl', hours: 10, size: 'small' }));
    const second = await engine.dashboard();
    assert.equal(second.summary.days.length, 2, 'a record added since is counted');
    assert.ok(Math.abs(second.summary.computeUsd - 1) < 1e-9, '10 h at $0.10');
    const roi = await engine.roi(100);
    assert.equal(roi.hardwareUsd, 100);
    await engine.close();
    await assert.rejects(engine.dashboard(), (e: CostError) => e.code === 'closed');
  });

  it('switches presets and overrides, and keeps the current prices when a switch is refused', async () => {
    const engine = await CostEngine.open();
    assert.equal(engine.prices().name, 'aws', 'aws unless told');
    assert.equal(engine.usePrices('seed', { storage: { cloud: { usdPerGbMonth: 0.02 } } }).storage.cloud.usdPerGbMonth, 0.02);
    assert.throws(() => engine.usePrices('seed', { storage: { cloud: { usdPerGbMonth: Number.NaN } } }), /usdPerGbMonth must be a number of at least 0/);
    assert.equal(engine.prices().storage.cloud.usdPerGbMonth, 0.02, 'unchanged by the refused override');
    assert.equal(engine.compare({ monthlyDataGb: 100, monthlyComputeHours: 0, storageLocalShare: 0 }).cloudOnly.storageUsd, 2);
    assert.equal(engine.status().hasRecords, false);
    await assert.rejects(CostEngine.open({ preset: 'nope' }), /no price preset "nope"/);
  });
});
