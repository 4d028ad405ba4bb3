// Progress in words, as the VS Code notification, the CLI's lines and its bar label show it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeProgress, percentOf } from '../../../server/engines/common';

describe('describeProgress and percentOf', () => {
  it('counts items with thousands separators', () => {
    assert.equal(describeProgress({ message: 'Checking entries', done: 750, total: 1500, unit: 'items' }), 'Checking entries: 750 of 1,500');
    assert.equal(percentOf({ done: 750, total: 1500 }), 50);
  });

  it('gives bytes in one unit that suits the total', () => {
    assert.equal(describeProgress({ message: 'Uploading sales.parquet', done: 12 * 1024 * 1024, total: 40 * 1024 * 1024, unit: 'bytes' }), 'Uploading sales.parquet: 12.0 of 40.0 MB');
    assert.equal(describeProgress({ message: 'Uploading a.csv', done: 0, total: 900, unit: 'bytes' }), 'Uploading a.csv: 0 of 900 bytes');
    assert.equal(describeProgress({ message: 'Downloading', done: 3 * 1024 ** 3, unit: 'bytes' }), 'Downloading: 3.0 GB');
  });

  it('is the message alone when nothing is counted, and has no percentage without a total', () => {
    assert.equal(describeProgress({ message: 'Saving the imported entries' }), 'Saving the imported entries');
    assert.equal(percentOf({ message: 'Saving' }), undefined);
    assert.equal(percentOf({ done: 5 }), undefined);
  });

  it('keeps percentages whole and within 0 to 100; an empty total is done', () => {
    assert.equal(percentOf({ done: 1, total: 3 }), 33);
    assert.equal(percentOf({ done: 7, total: 5 }), 100);
    assert.equal(percentOf({ done: 0, total: 0 }), 100);
  });
});
