// Listing pages over sorted keys with a filter (the objects of one tier): excluded keys are left
// out, a folder shows only when it holds a listed key, and "more" is said only when more follow.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageKeys } from '../../../server/engines/storage/listing';

const KEYS = ['a.csv', 'b/1', 'b/2', 'c/1', 'd.csv', 'e/x/1', 'f.csv'].sort();
const LOCAL = new Set(['a.csv', 'b/2', 'e/x/1']);

describe('a filtered listing', () => {
  it('lists only the keys it includes, and the folders that hold one', () => {
    const page = pageKeys(KEYS, { delimiter: '/', include: (key) => LOCAL.has(key) });
    assert.deepEqual(page.keys, ['a.csv']);
    assert.deepEqual(page.prefixes, ['b/', 'e/']);
    assert.equal(page.nextCursor, undefined, 'nothing follows that is listed, so no "Show more"');
  });

  it('pages with a cursor and says "more" only when a listed key follows', () => {
    const first = pageKeys(KEYS, { delimiter: '/', limit: 2, include: (key) => LOCAL.has(key) });
    assert.deepEqual([...first.keys, ...first.prefixes], ['a.csv', 'b/']);
    assert.equal(first.nextCursor, 'b/');
    const second = pageKeys(KEYS, { delimiter: '/', limit: 2, cursor: first.nextCursor!, include: (key) => LOCAL.has(key) });
    assert.deepEqual([...second.keys, ...second.prefixes], ['e/']);
    assert.equal(second.nextCursor, undefined);
    const exact = pageKeys(KEYS, { delimiter: '/', limit: 3, include: (key) => LOCAL.has(key) });
    assert.equal(exact.nextCursor, undefined, 'a page that ends on the last listed row has no "more"');
  });

  it('lists everything under a prefix without a filter, as before', () => {
    assert.deepEqual(pageKeys(KEYS, { prefix: 'b/' }).keys, ['b/1', 'b/2']);
    assert.deepEqual(pageKeys(KEYS, { delimiter: '/' }).prefixes, ['b/', 'c/', 'e/']);
  });
});
