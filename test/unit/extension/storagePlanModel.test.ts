// What the Optimize Placement view shows of a plan: each move's row, the monthly cost per tier
// before and after, the saving in one sentence, "nothing to move" with why, and Apply's outcome.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planModel, resultsModel, savingText, usd } from '../../../media/storagePlan/model';
import type { StorageCost, StoragePlan } from '../../../server/protocol';

const cost = (local: number, cloud: number, archive: number): StorageCost => ({ local, cloud, archive, total: local + cloud + archive });

const plan: StoragePlan = {
  moves: [
    { key: 'datasets/old.parquet', move: 'demote', bytes: 3 * 1024 ** 3, from: 'local', to: 'cloud', reason: 'not read for 45 days' },
    { key: 'logs/2019.tar', move: 'archive', bytes: 1024 ** 3, from: 'cloud', to: 'archive', reason: 'cold for a year' },
  ],
  bytesMoved: 4 * 1024 ** 3,
  monthlyCostBefore: cost(0.5, 1, 0),
  monthlyCostAfter: cost(0.2, 0.8, 0.004),
  prices: { preset: 'aws', asOf: '2025-01-01' },
};

describe('the plan view', () => {
  it('shows each move with its key, move, size, tiers and reason', () => {
    assert.deepEqual(planModel(plan).moves, [
      { key: 'datasets/old.parquet', move: 'Demote to Cloud', bytes: '3 GB', fromTo: 'Local → Cloud', reason: 'not read for 45 days' },
      { key: 'logs/2019.tar', move: 'Archive', bytes: '1 GB', fromTo: 'Cloud → Archive', reason: 'cold for a year' },
    ]);
  });

  it('names the prices the costs are at', () => {
    assert.equal(planModel(plan).costsTitle, 'Monthly cost by tier, at aws prices of 2025-01-01');
  });

  it('shows the monthly cost per tier before and after, and the total', () => {
    assert.deepEqual(planModel(plan).costs, [
      { tier: 'Local', before: '$0.50', after: '$0.20', change: '−$0.30' },
      { tier: 'Cloud', before: '$1.00', after: '$0.80', change: '−$0.20' },
      { tier: 'Archive', before: '$0.00', after: '$0.0040', change: '+$0.0040' },
      { tier: 'Total', before: '$1.50', after: '$1.00', change: '−$0.50' },
    ]);
  });

  it('says the saving in one sentence', () => {
    const model = planModel(plan);
    assert.equal(model.empty, false);
    assert.equal(model.headline, '2 moves of 4 GB: saves $0.50 a month (33%): $1.50 → $1.00.');
  });

  it('says when a plan costs more, and when it changes nothing', () => {
    assert.equal(savingText(cost(0, 1, 0), cost(0.5, 1, 0)), 'costs $0.50 a month more (50%): $1.00 → $1.50');
    assert.equal(savingText(cost(0, 1, 0), cost(0, 1, 0)), 'the monthly cost stays $1.00');
  });

  it('says "nothing to move" and why, with no moves to apply', () => {
    const model = planModel({ moves: [], bytesMoved: 0, monthlyCostBefore: cost(0.01, 0.02, 0), monthlyCostAfter: cost(0.01, 0.02, 0), prices: { preset: 'seed', asOf: '2025-01-01' } });
    assert.equal(model.costsTitle, 'Monthly cost by tier, at seed prices of 2025-01-01');
    assert.equal(model.empty, true);
    assert.deepEqual(model.moves, []);
    assert.equal(model.headline, 'Nothing to move: every object is already on the tier the placement policy chooses for it, so the monthly cost stays $0.03.');
    assert.equal(model.costs.at(-1)?.change, 'no change');
  });

  it('keeps tiny costs readable instead of $0.00', () => {
    assert.equal(usd(0.000023), '$0.000023');
    assert.equal(usd(0.000114), '$0.00011');
    assert.equal(usd(0.0042), '$0.0042');
    assert.equal(usd(0), '$0.00');
    assert.equal(usd(1e-12), '$0.00');
    assert.equal(usd(12.345), '$12.35');
    assert.equal(usd(-0.5), '−$0.50');
  });
});

describe('after Apply', () => {
  it('lists each move’s outcome, failures with their reason, and the cost now', () => {
    const results = resultsModel(
      [
        { key: 'datasets/old.parquet', move: 'demote', ok: true },
        { key: 'logs/2019.tar', move: 'archive', ok: false, error: 'The cloud tier is unreachable.' },
      ],
      cost(0.5, 1, 0),
      cost(0.2, 1.3, 0),
    );
    assert.equal(results.summary, 'Applied: 1 of 2 moves done, 1 failed. Monthly cost now $1.50 (was $1.50).');
    assert.deepEqual(results.rows, [
      { key: 'datasets/old.parquet', move: 'Demote to Cloud', ok: true, outcome: 'done' },
      { key: 'logs/2019.tar', move: 'Archive', ok: false, outcome: 'failed: The cloud tier is unreachable.' },
    ]);
  });

  it('says all were done when none failed', () => {
    assert.equal(resultsModel([{ key: 'a', move: 'promote', ok: true }], cost(0, 1, 0), cost(0.1, 0, 0)).summary, 'Applied: 1 move done. Monthly cost now $0.10 (was $1.00).');
  });
});
