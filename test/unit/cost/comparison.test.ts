// The three deployment models, checked cell by cell against the published storage and compute
// tables (seed prices), and against figures worked out by hand for the hardware and egress lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDeploymentModels, measuredLocalShares, returnOnInvestment, SEED_PRICES, AWS_PRICES, summariseCosts, type CostError } from '../../../server/engines/cost';
import { assertWithinCent, run, usage } from './support';

describe('deployment models with the seed prices', () => {
  it('reproduces the storage table: cloud only and 70% local, for 100 GB, 500 GB and 1 TB', () => {
    const table = [
      { gb: 100, cloud: 2.3, hybrid: 0.85 },
      { gb: 500, cloud: 11.5, hybrid: 4.25 },
      { gb: 1000, cloud: 23.0, hybrid: 8.5 },
    ];
    for (const { gb, cloud, hybrid } of table) {
      const c = compareDeploymentModels(SEED_PRICES, { monthlyDataGb: gb, monthlyComputeHours: 0, storageLocalShare: 0.7 });
      assertWithinCent(c.cloudOnly.storageUsd, cloud, `cloud-only storage for ${gb} GB`);
      assertWithinCent(c.hybrid.storageUsd, hybrid, `hybrid storage for ${gb} GB`);
      assert.equal(Math.round(c.savingsVsCloudPct.hybridStorage), 63, `storage saving for ${gb} GB (published as ~60%)`);
      assert.equal(c.hybridShares.storageSource, 'given');
    }
  });

  it('reproduces the compute table: 200 hours, 80% local, small and large machines', () => {
    const table = [
      { size: 'small', cloud: 20, hybrid: 7.2, saved: 64 },
      { size: 'large', cloud: 160, hybrid: 35.2, saved: 78 },
    ];
    for (const { size, cloud, hybrid, saved } of table) {
      const c = compareDeploymentModels(SEED_PRICES, { monthlyDataGb: 0, monthlyComputeHours: 200, computeSize: size, computeLocalShare: 0.8 });
      assertWithinCent(c.cloudOnly.computeUsd, cloud, `cloud-only compute, ${size}`);
      assertWithinCent(c.hybrid.computeUsd, hybrid, `hybrid compute, ${size}`);
      assert.equal(Math.round(c.savingsVsCloudPct.hybridCompute), saved, `compute saving, ${size}`);
    }
  });

  it('reproduces the combined example: $200 a month in the cloud, $50 hybrid, $150 (75%) and $1,800 a year saved', () => {
    const roi = returnOnInvestment({ hardwareUsd: 0, monthlyCostWithoutUsd: 200, monthlyCostWithUsd: 50 });
    assert.equal(roi.monthlySavingsUsd, 150);
    assert.equal(roi.monthlySavingsPct, 75);
    assert.equal(roi.annualSavingsUsd, 1800);
  });

  it('prices local-only at disk and power, and puts the machine purchase, spread over its life, on hybrid and local-only', () => {
    const owned = compareDeploymentModels(SEED_PRICES, { monthlyDataGb: 500, monthlyComputeHours: 200 });
    // 500 GB × $0.0023 + 200 h × 200 W × $0.10/kWh
    assertWithinCent(owned.localOnly.totalUsd, 1.15 + 4, 'local-only, machine already owned');
    assert.equal(owned.localOnly.hardwareUsd, 0);
    assert.equal(owned.hybridShares.storageSource, 'assumed', 'no share given or measured: the 70% / 80% assumption, and it says so');

    const bought = compareDeploymentModels(SEED_PRICES, { monthlyDataGb: 500, monthlyComputeHours: 200, hardware: { machineUsd: 1800, lifeMonths: 24 } });
    assertWithinCent(bought.localOnly.hardwareUsd, 75, 'a $1,800 machine over 24 months');
    assertWithinCent(bought.localOnly.totalUsd, 5.15 + 75, 'local-only with the machine');
    assertWithinCent(bought.hybrid.totalUsd, owned.hybrid.totalUsd + 75, 'hybrid carries the same machine');
    assert.equal(bought.cloudOnly.hardwareUsd, 0);
    assert.ok(bought.savingsVsCloudPct.localOnly < 0, 'an expensive machine for a small workload costs more than the cloud, and the figure says so');
  });

  it('charges egress after the free allowance, only on what the cloud still serves', () => {
    // aws: first 100 GB free, then $0.09/GB. Cloud-only reads 400 GB: 300 × 0.09 = $27.
    const c = compareDeploymentModels(AWS_PRICES, { monthlyDataGb: 1000, monthlyComputeHours: 0, monthlyEgressGb: 400, storageLocalShare: 0.5 });
    assertWithinCent(c.cloudOnly.egressUsd, 27, 'cloud-only egress');
    assertWithinCent(c.hybrid.egressUsd, 9, 'hybrid: 200 GB from the cloud, 100 of them free');
    assert.equal(c.localOnly.egressUsd, 0);
  });

  it('uses the local shares measured from the records when none is given', () => {
    const summary = summariseCosts(SEED_PRICES, [usage('2026-03-01', 'local', { gbMonths: 3 }), usage('2026-03-01', 'cloud', { gbMonths: 1 })], [
      run('2026-03-01', { tier: 'local', type: 'etl', hours: 9 }),
      run('2026-03-01', { tier: 'cloud', type: 'etl', hours: 1, size: 'small' }),
    ]);
    const measured = measuredLocalShares(summary);
    assert.deepEqual(measured, { storage: 0.75, compute: 0.9 });
    const c = compareDeploymentModels(SEED_PRICES, { monthlyDataGb: 100, monthlyComputeHours: 100, measured, computeLocalShare: 0.5 });
    assert.equal(c.hybridShares.storage, 0.75);
    assert.equal(c.hybridShares.storageSource, 'measured');
    assert.equal(c.hybridShares.compute, 0.5, 'a given share wins over the measured one');
    assert.equal(c.hybridShares.computeSource, 'given');
  });

  it('refuses impossible inputs and names them', () => {
    assert.throws(() => compareDeploymentModels(SEED_PRICES, { monthlyDataGb: -1, monthlyComputeHours: 0 }), (e: CostError) => e.code === 'invalid-input' && /monthlyDataGb/.test(e.message));
    assert.throws(() => compareDeploymentModels(SEED_PRICES, { monthlyDataGb: 1, monthlyComputeHours: 1, storageLocalShare: 1.5 }), /between 0 and 1/);
    assert.throws(() => compareDeploymentModels(SEED_PRICES, { monthlyDataGb: 1, monthlyComputeHours: 1, computeSize: 'huge' }), /no cloud machine size "huge".*small, medium, large/);
  });
});

describe('return on a hardware purchase', () => {
  it('pays back a $3,000 machine saving $150 a month in 20 months and nets $2,400 over three years', () => {
    const roi = returnOnInvestment({ hardwareUsd: 3000, monthlyCostWithoutUsd: 200, monthlyCostWithUsd: 50 });
    assert.equal(roi.paybackMonths, 20);
    assert.equal(roi.horizonMonths, 36);
    assert.equal(roi.netUsd, 150 * 36 - 3000);
    assert.equal(roi.roiPct, 80);
  });

  it('never pays back when there is nothing saved', () => {
    const roi = returnOnInvestment({ hardwareUsd: 1000, monthlyCostWithoutUsd: 50, monthlyCostWithUsd: 60 });
    assert.equal(roi.paybackMonths, null);
    assert.equal(roi.netUsd, -10 * 36 - 1000);
  });
});
