// Archive decisions move an object only past the break-even of a class's fees, and bring a
// hot archived object back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cheapestClassFor, decideAfterRead, decideArchive, stayCost, type ArchivePrices, type StorageClassPrices } from '../../../../server/engines/storage';

const GB = 2 ** 30;
const standard: StorageClassPrices = { name: 'standard', storagePerGbMonth: 0.03, retrievalPerGb: 0, readPerRequest: 0, transitionPerRequest: 0, minimumDays: 0 };
const cold: StorageClassPrices = { name: 'cold', storagePerGbMonth: 0.01, retrievalPerGb: 0.02, readPerRequest: 0, transitionPerRequest: 0, minimumDays: 30 };
const prices: ArchivePrices = { standard, archives: [cold] };

describe('archive decisions', () => {
  it('prices a stay with its minimum duration and retrieval', () => {
    // 10 days in cold, then a read: 30 days charged (0.01) plus 0.02 retrieval.
    assert.equal(stayCost(cold, prices, GB, 10, true).toFixed(4), '0.0300');
    assert.equal(stayCost(standard, prices, GB, 10, true).toFixed(4), '0.0100');
  });

  it('moves an object only once its expected idle time passes the break-even', () => {
    // Cold costs 0.01 for 30 days + 0.02 retrieval = 0.03, Standard 0.001 a day: even at 30
    // days, cheaper beyond. Idle so far is the expected idle time.
    const history = (lastReadDay: number) => ({ sizeBytes: GB, lastReadDay, reads: 1 });
    assert.deepEqual(decideArchive(history(0), standard, prices, 29), { target: standard, move: false });
    assert.deepEqual(decideArchive(history(0), standard, prices, 31), { target: cold, move: true });
    assert.equal(cheapestClassFor(prices, GB, 29), standard);
    assert.equal(cheapestClassFor(prices, GB, 31), cold);
  });

  it('leaves an object that has never been read where it is', () => {
    assert.equal(decideArchive({ sizeBytes: GB, lastReadDay: 0, reads: 0 }, standard, prices, 365).move, false);
  });

  it('brings an archived object back once its reads come more often than the break-even', () => {
    assert.deepEqual(decideAfterRead({ sizeBytes: GB, lastReadDay: 100, reads: 3, meanGapDays: 2 }, cold, prices), { target: standard, move: true });
    assert.deepEqual(decideAfterRead({ sizeBytes: GB, lastReadDay: 100, reads: 2, meanGapDays: 90 }, cold, prices), { target: cold, move: false });
  });

  it('keeps an archived object archived between reads (its minimum duration is paid)', () => {
    assert.deepEqual(decideArchive({ sizeBytes: GB, lastReadDay: 0, reads: 1 }, cold, prices, 5), { target: cold, move: false });
  });
});
