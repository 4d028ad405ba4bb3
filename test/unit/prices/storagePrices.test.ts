// The price presets and the costs they give: the storage table of the seed (within a cent) and the
// AWS list prices the cost issue builds on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BYTES_PER_GB, monthlyEgressCost, storagePrices } from '../../../server/engines/prices';
import { monthlyCost } from '../../../server/engines/storage/costs';

const GB = BYTES_PER_GB;

describe('storage prices', () => {
  it('reproduces the seed storage table within a cent', () => {
    const seed = storagePrices('seed');
    const rows: [number, number, number][] = [
      [100, 2.3, 0.85],
      [500, 11.5, 4.25],
      [1000, 23.0, 8.5],
    ];
    for (const [totalGb, cloudOnly, seventyLocal] of rows) {
      const allCloud = monthlyCost(seed, { local: 0, cloud: totalGb * GB, archive: {} }).total;
      const hybrid = monthlyCost(seed, { local: 0.7 * totalGb * GB, cloud: 0.3 * totalGb * GB, archive: {} }).total;
      assert.ok(Math.abs(allCloud - cloudOnly) <= 0.01, `${totalGb} GB cloud-only: ${allCloud}`);
      assert.ok(Math.abs(hybrid - seventyLocal) <= 0.01, `${totalGb} GB 70% local: ${hybrid}`);
    }
  });

  it('has the AWS list prices with their date and the local price as a setting', () => {
    const aws = storagePrices('aws');
    assert.match(aws.asOf, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(aws.classes.STANDARD.gbMonth, 0.023);
    assert.deepEqual(aws.classes.STANDARD_IA, { gbMonth: 0.0125, retrievalPerGb: 0.01, minimumDays: 30 });
    assert.equal(aws.classes.GLACIER_IR.gbMonth, 0.004);
    assert.equal(aws.classes.GLACIER_IR.retrievalPerGb, 0.03);
    assert.equal(aws.classes.GLACIER.gbMonth, 0.0036);
    assert.equal(aws.classes.GLACIER.minimumDays, 90);
    assert.equal(aws.classes.DEEP_ARCHIVE.gbMonth, 0.00099);
    assert.equal(aws.classes.DEEP_ARCHIVE.minimumDays, 180);
    assert.equal(storagePrices('aws', 0.01).localGbMonth, 0.01);
    assert.ok(aws.requests.putPer1000 > 0 && aws.requests.getPer1000 > 0);
  });

  it('charges egress only past the free 100 GB a month', () => {
    const aws = storagePrices('aws');
    assert.equal(monthlyEgressCost(aws, 100 * GB), 0);
    assert.ok(Math.abs(monthlyEgressCost(aws, 200 * GB) - 9) < 1e-9);
  });
});
