// Price books: the presets, the user's overrides over them, and refreshing them from AWS Price List
// offer files; a file or override that cannot be used is refused with the reason, changing nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AWS_PRICES, CostEngine, importAwsOffer, resolvePriceBook, SEED_PRICES, validatePriceBook, type CostError } from '../../../server/engines/cost';
import { ec2Offer, oregonOnlyS3Offer, rdsOffer, s3Offer } from './offerFiles';

describe('presets and overrides', () => {
  it('both presets are complete, dated and valid', () => {
    for (const book of [AWS_PRICES, SEED_PRICES]) {
      validatePriceBook(book);
      assert.match(book.asOf, /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(book.region, 'us-east-1');
    }
    assert.equal(AWS_PRICES.storage.cloud.usdPerGbMonth, 0.023);
    assert.equal(AWS_PRICES.storage.archive.minimumDays, 90);
    assert.equal(AWS_PRICES.cloudCompute['small']?.instanceType, 'm5.large');
  });

  it('an override changes only the numbers it names, and adds a machine size', () => {
    const book = resolvePriceBook('aws', { name: 'team', storage: { cloud: { usdPerGbMonth: 0.02 } }, cloudCompute: { gpu: { usdPerHour: 1.006, instanceType: 'g5.xlarge' } }, local: { electricityUsdPerKwh: 0.3 } });
    assert.equal(book.name, 'team');
    assert.equal(book.storage.cloud.usdPerGbMonth, 0.02);
    assert.equal(book.storage.cloud.writeUsdPer1000, AWS_PRICES.storage.cloud.writeUsdPer1000, 'untouched fields keep the preset value');
    assert.equal(book.cloudCompute['gpu']?.usdPerHour, 1.006);
    assert.equal(book.cloudCompute['small']?.usdPerHour, 0.096);
    assert.equal(book.local.electricityUsdPerKwh, 0.3);
    assert.equal(AWS_PRICES.storage.cloud.usdPerGbMonth, 0.023, 'the preset itself is unchanged');
  });

  it('refuses a negative price, a misspelt field and an unknown preset, naming each', () => {
    assert.throws(() => resolvePriceBook('aws', { storage: { cloud: { usdPerGbMonth: -0.01 } } }), (e: CostError) => e.code === 'invalid-prices' && e.path === 'prices.storage.cloud.usdPerGbMonth' && /at least 0, not -0.01/.test(e.message));
    assert.throws(() => resolvePriceBook('aws', { storage: { clod: { usdPerGbMonth: 1 } } } as never), (e: CostError) => e.path === 'prices.storage.clod' && /fields here are cloud, archive/.test(e.message));
    assert.throws(() => resolvePriceBook('aws', { local: { lifeMonths: 0 } }), /lifeMonths must be at least 1 month/);
    assert.throws(() => resolvePriceBook('azure'), (e: CostError) => e.code === 'unknown-preset' && /presets are aws, seed/.test(e.message));
  });
});

describe('importing an AWS Price List offer file', () => {
  it('takes the us-east-1 S3 prices it finds and lists what moved', () => {
    const result = importAwsOffer(JSON.stringify(s3Offer()), AWS_PRICES, 'AmazonS3.json');
    assert.equal(result.offerCode, 'AmazonS3');
    assert.equal(result.book.storage.cloud.usdPerGbMonth, 0.021, 'the first band, not Oregon, not the later bands');
    assert.equal(result.book.storage.cloud.writeUsdPer1000, 0.006);
    assert.equal(result.book.storage.cloud.readUsdPer1000, 0.0004);
    assert.equal(result.book.storage.archive.usdPerGbMonth, 0.0036);
    assert.deepEqual(result.book.egress.bands, [
      { upToGb: 100, usdPerGb: 0 },
      { upToGb: 10240, usdPerGb: 0.09 },
      { upToGb: null, usdPerGb: 0.05 },
    ]);
    assert.deepEqual(
      result.changes.map((c) => c.path),
      ['storage.cloud.usdPerGbMonth', 'storage.cloud.writeUsdPer1000', 'egress.bands'],
    );
    assert.equal(result.found, 5);
    assert.equal(result.book.asOf, '2026-05-01', 'the prices are dated by the file');
    assert.match(result.book.source, /AmazonS3 offer file, version 20260501000000/);
    assert.equal(result.book.storage.archive.retrievalUsdPerGb, AWS_PRICES.storage.archive.retrievalUsdPerGb, 'a price the file lacks is kept');
    assert.equal(AWS_PRICES.storage.cloud.usdPerGbMonth, 0.023, 'the base book is not modified');
  });

  it('takes the on-demand Linux shared-tenancy rate of each instance type the book names', () => {
    const result = importAwsOffer(ec2Offer(), AWS_PRICES);
    assert.equal(result.book.cloudCompute['small']?.usdPerHour, 0.1, 'not the Windows or dedicated m5.large');
    assert.equal(result.book.cloudCompute['large']?.usdPerHour, AWS_PRICES.cloudCompute['large']?.usdPerHour, 'm5.4xlarge is not in the file');
    assert.deepEqual(result.changes, [{ path: 'cloudCompute.small.usdPerHour', from: 0.096, to: 0.1 }]);
  });

  it('refuses what is not a usable offer file, with the reason', () => {
    const refused = (file: unknown, pattern: RegExp): void =>
      assert.throws(() => importAwsOffer(file, AWS_PRICES, 'prices.json'), (e: CostError) => e.code === 'invalid-offer-file' && pattern.test(e.message) && /no price was changed/i.test(e.message));
    refused('{"offerCode": "AmazonS3", ', /prices.json is not JSON/);
    refused('[1, 2]', /not an AWS Price List offer file: it is not a JSON object/);
    refused('{"products": {}}', /it has no offerCode/);
    refused(rdsOffer(), /is the price list of AmazonRDS; import the AmazonS3 or AmazonEC2 offer file/);
    refused({ offerCode: 'AmazonS3', products: {}, terms: {} }, /it has no terms.OnDemand/);
    refused(oregonOnlyS3Offer(), /has no us-east-1 S3 storage, request, retrieval or data transfer prices/);
    const broken = s3Offer() as { terms: { OnDemand: Record<string, Record<string, { priceDimensions: Record<string, { pricePerUnit: { USD: string } }> }>> } };
    const dimension = Object.values(Object.values(broken.terms.OnDemand['WP9ANXZGBYYSGJEA'] ?? {})[0]?.priceDimensions ?? {})[0];
    if (dimension === undefined) throw new Error('fixture changed');
    dimension.pricePerUnit.USD = 'call us';
    refused(broken, /pricePerUnit.USD is not a price \("call us"\)/);
  });

  it('the engine keeps its prices when an import is refused, and takes them when it succeeds', async () => {
    const engine = await CostEngine.open({ preset: 'aws' });
    assert.throws(() => engine.importPriceList(rdsOffer(), 'AmazonRDS.json'), /AmazonRDS/);
    assert.equal(engine.prices(), AWS_PRICES);
    assert.deepEqual(engine.status().imports, []);
    engine.importPriceList(JSON.stringify(s3Offer()), 'AmazonS3.json');
    engine.importPriceList(ec2Offer(), 'AmazonEC2.json');
    assert.equal(engine.prices().storage.cloud.usdPerGbMonth, 0.021);
    assert.equal(engine.prices().cloudCompute['small']?.usdPerHour, 0.1, 'the second import kept the first');
    assert.deepEqual(
      engine.status().imports.map((i) => [i.offerCode, i.changes]),
      [
        ['AmazonS3', 3],
        ['AmazonEC2', 1],
      ],
    );
    assert.equal(engine.status().prices.asOf, '2026-05-01');
    await engine.close();
    assert.throws(() => engine.prices(), (e: CostError) => e.code === 'closed');
    assert.equal(engine.status().state, 'closed');
  });
});
