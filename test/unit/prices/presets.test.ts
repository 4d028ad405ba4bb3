// One price module for every engine: the storage and compute engines' views of a preset carry the
// same figures and the same date as the price book the cost engine reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AWS_PRICES, PRESETS, PRICES_AS_OF, SEED_PRICES, computePrices, localComputeUsdPerHour, storagePrices } from '../../../server/engines/prices';

describe('the price presets', () => {
  it('give every engine the date of the one price book', () => {
    for (const name of ['aws', 'seed'] as const) {
      assert.equal(PRESETS[name]?.asOf, PRICES_AS_OF);
      assert.equal(storagePrices(name).asOf, PRICES_AS_OF, `storage's ${name}`);
      assert.equal(computePrices(name).asOf, PRICES_AS_OF, `compute's ${name}`);
    }
  });

  it('give the storage engine the cost engine\'s cloud, archive, request and egress prices', () => {
    const aws = storagePrices('aws');
    assert.equal(aws.classes.STANDARD.gbMonth, AWS_PRICES.storage.cloud.usdPerGbMonth);
    assert.equal(aws.classes.GLACIER.gbMonth, AWS_PRICES.storage.archive.usdPerGbMonth);
    assert.equal(aws.classes.GLACIER.retrievalPerGb, AWS_PRICES.storage.archive.retrievalUsdPerGb);
    assert.equal(aws.requests.putPer1000, AWS_PRICES.storage.cloud.writeUsdPer1000);
    assert.equal(aws.localGbMonth, AWS_PRICES.local.storageUsdPerGbMonth);
    assert.deepEqual(aws.egress, AWS_PRICES.egress);
  });

  it('give the compute engine the cost engine\'s machine rates', () => {
    const seed = computePrices('seed');
    assert.equal(seed.local.perHour, localComputeUsdPerHour(SEED_PRICES.local));
    assert.equal(seed.clusterSmall.perHour, SEED_PRICES.cloudCompute['small']?.usdPerHour);
    assert.equal(seed.clusterLarge.perHour, SEED_PRICES.cloudCompute['large']?.usdPerHour);
    assert.equal(computePrices('aws').local.perHour, localComputeUsdPerHour(AWS_PRICES.local));
  });
});
