// The xxHash64 that reads check: the published values of XXH64 (seed 0), the same however the bytes
// are cut into chunks and whether they pass through a digest hashed here or on the worker, and
// several hashes fed in turns keep apart.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { BackgroundDigest, fastHash, fastHashOf, isFastHash, loadFastHash } from '../../../server/engines/common';

describe('xxHash64 of a content', () => {
  before(() => loadFastHash());

  it('gives the published XXH64 values', () => {
    assert.equal(fastHashOf(Buffer.from('')), 'ef46db3751d8e999');
    assert.equal(fastHashOf(Buffer.from('a')), 'd24ec4f1a98c6e5b');
    assert.equal(fastHashOf(Buffer.from('abc')), '44bc2cf5ad770999');
    const streamed = fastHash();
    for (const letter of 'abc') streamed.update(Buffer.from(letter));
    assert.equal(streamed.digest(), '44bc2cf5ad770999', 'streamed a byte at a time');
  });

  it('keeps two hashes fed in turns apart, and pads short values to 16 hex digits', () => {
    const [first, second] = [randomBytes(100_003), randomBytes(77_777)];
    const [a, b] = [fastHash(), fastHash()];
    for (let offset = 0; offset < 100_003; offset += 4099) {
      a.update(first.subarray(offset, offset + 4099));
      b.update(second.subarray(offset, offset + 4099));
    }
    assert.equal(a.digest(), fastHashOf(first));
    assert.equal(b.digest(), fastHashOf(second));
    for (let seed = 0; seed < 2000; seed += 1) assert.ok(isFastHash(fastHashOf(Buffer.from(String(seed)))));
    assert.equal(isFastHash('ABCDEF0123456789'), false, 'upper case is not what the engine writes');
    assert.equal(isFastHash('0123'), false);
  });

  // Hashed at the end (held), as they arrive (known small), and beside the worker (large).
  for (const [size, where] of [[1000, {}], [900_000, { expectedSize: 900_000 }], [3 * 1024 * 1024 + 5, {}]] as const) {
    it(`is the one-shot value when ${size} bytes pass through a background digest (${Object.keys(where).length ? 'hashed here as they arrive' : size < 256 * 1024 ? 'held, then hashed here' : 'SHA-256 on the worker'})`, async () => {
      const data = randomBytes(size);
      const digest = new BackgroundDigest({ sha256: true, xxh64: true }, where);
      for (let offset = 0; offset < size; offset += 65_537) await digest.update(data.subarray(offset, offset + 65_537));
      const result = await digest.digest();
      assert.equal(result.xxh64, fastHashOf(data));
      assert.equal(result.size, size);
    });
  }
});
