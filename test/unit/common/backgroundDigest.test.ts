// Checksums computed on the worker thread (and inline, for small contents) are exactly node's own
// SHA-256, MD5 and per-part MD5s or SHA-256s, however the bytes are cut into chunks and wherever the part
// boundaries fall; a stream that hashes what flows through it passes every byte on unchanged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { BackgroundDigest, DigestingStream } from '../../../server/engines/common';

const PART = 300_000;

function expected(data: Buffer): { sha256: string; md5: string; parts: string[] } {
  const parts: string[] = [];
  for (let offset = 0; offset < data.length; offset += PART) parts.push(createHash('md5').update(data.subarray(offset, offset + PART)).digest('hex'));
  return { sha256: createHash('sha256').update(data).digest('hex'), md5: createHash('md5').update(data).digest('hex'), parts };
}

describe('background digests', () => {
  // Around the inline limit (256 KB), a part boundary, and several batches of the worker.
  for (const size of [0, 1, 4096, 256 * 1024, 256 * 1024 + 1, PART, 3 * PART + 17, 5 * 1024 * 1024 + 3]) {
    it(`match node's hashes for ${size} bytes fed in uneven chunks`, async () => {
      const data = randomBytes(size);
      const digest = new BackgroundDigest({ sha256: true, md5: true, partSize: PART });
      let offset = 0;
      for (let step = 1; offset < size; step += 1) {
        const length = Math.min(size - offset, (step * 77_777) % 1_500_000 || 1);
        await digest.update(data.subarray(offset, offset + length));
        offset += length;
      }
      const result = await digest.digest();
      const want = expected(data);
      assert.equal(result.size, size);
      assert.equal(result.sha256, want.sha256);
      assert.equal(result.md5, want.md5);
      assert.deepEqual(result.partMd5s?.map((part) => part.toString('hex')), want.parts);
    });
  }

  // Part SHA-256s (each part's signed payload hash) are known part by part while bytes still come.
  for (const [size, expectedSize] of [[0, undefined], [5, 5], [PART, undefined], [3 * PART + 17, undefined], [3 * PART + 17, 3 * PART + 17], [5 * 1024 * 1024 + 3, undefined]] as const) {
    it(`gives each part's SHA-256 of ${size} bytes${expectedSize === undefined ? '' : ', size known up front'} as soon as the part is in`, async () => {
      const data = randomBytes(size);
      const want: string[] = [];
      for (let offset = 0; offset < data.length || want.length === 0; offset += PART) want.push(createHash('sha256').update(data.subarray(offset, offset + PART)).digest('hex'));
      const digest = new BackgroundDigest({ sha256: true, partSize: PART, partHash: 'sha256' }, { ...(expectedSize !== undefined ? { expectedSize } : {}) });
      const early: string[] = [];
      let offset = 0;
      for (let step = 1; offset < size; step += 1) {
        const length = Math.min(size - offset, (step * 77_777) % 400_000 || 1);
        await digest.update(data.subarray(offset, offset + length));
        offset += length;
        // Every part whose last byte is in resolves before the content ends.
        const complete = Math.floor(offset / PART);
        if (complete > early.length) early.push(...(await Promise.all(Array.from({ length: complete - early.length }, (_, index) => digest.partSha256(early.length + index + 1)))));
      }
      const result = await digest.digest();
      assert.deepEqual(early, want.slice(0, early.length));
      assert.equal(early.length, Math.floor(size / PART));
      assert.deepEqual(result.partSha256s, want);
      assert.deepEqual(await Promise.all(want.map((_, index) => digest.partSha256(index + 1))), want);
      assert.equal(result.sha256, createHash('sha256').update(data).digest('hex'));
      assert.equal(result.md5, undefined, 'no MD5 when the parts are signed with their SHA-256');
      await assert.rejects(digest.partSha256(want.length + 1), /only \d+ parts/);
    });
  }

  it('hashes on this thread when asked to, with the same digests', async () => {
    const data = randomBytes(3 * PART + 5);
    const digest = new BackgroundDigest({ sha256: true, partSize: PART, partHash: 'sha256' }, { here: true });
    for (let offset = 0; offset < data.length; offset += 100_000) assert.equal(digest.update(data.subarray(offset, offset + 100_000)), undefined, 'never waits for a worker');
    const result = await digest.digest();
    assert.equal(result.sha256, createHash('sha256').update(data).digest('hex'));
    assert.equal(result.partSha256s?.[3], createHash('sha256').update(data.subarray(3 * PART)).digest('hex'));
  });

  it('refuses a part SHA-256 still awaited when the transfer stops', async () => {
    const digest = new BackgroundDigest({ sha256: true, partSize: PART, partHash: 'sha256' });
    await digest.update(randomBytes(PART - 1));
    const waiting = digest.partSha256(1);
    digest.abort();
    await assert.rejects(waiting, /not hashed to the end/);
  });

  it('hashes what it was given even if the caller reuses its buffer right after', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const digest = new BackgroundDigest({ sha256: true });
    const scratch = Buffer.alloc(64 * 1024);
    for (let offset = 0; offset < data.length; offset += scratch.length) {
      data.copy(scratch, 0, offset, offset + scratch.length);
      await digest.update(scratch);
      scratch.fill(0);
    }
    assert.equal((await digest.digest()).sha256, expected(data).sha256);
  });

  it('passes a stream through unchanged and reports its SHA-256 once it has ended', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 5);
    const received: Buffer[] = [];
    const seen: number[] = [];
    const tee = new DigestingStream({ sha256: true }, (done) => seen.push(done));
    const chunks = Array.from({ length: Math.ceil(data.length / 100_000) }, (_, index) => data.subarray(index * 100_000, (index + 1) * 100_000));
    await pipeline(Readable.from(chunks), tee, new Writable({ write: (chunk: Buffer, _encoding, done) => (received.push(chunk), done()) }));
    assert.ok(Buffer.concat(received).equals(data));
    assert.equal((await tee.digests()).sha256, expected(data).sha256);
    assert.equal(seen.at(-1), data.length);
  });

  it('digests several contents at once without mixing them up', async () => {
    const contents = [randomBytes(1_000_000), randomBytes(2_000_000), randomBytes(700_000)];
    const results = await Promise.all(
      contents.map(async (data) => {
        const digest = new BackgroundDigest({ sha256: true });
        for (let offset = 0; offset < data.length; offset += 65_536) await digest.update(data.subarray(offset, offset + 65_536));
        return (await digest.digest()).sha256;
      }),
    );
    assert.deepEqual(results, contents.map((data) => expected(data).sha256));
  });

  // A CLI whose last step awaits a digest must not exit before it; one that abandoned a digest
  // (a failed upload) must not hang at exit because the worker is still there.
  const module = join(__dirname, '..', '..', '..', 'server', 'engines', 'common', 'backgroundDigest.ts');
  const script = (body: string): { status: number | null; stdout: string; timedOut: boolean } => {
    const source = `const { BackgroundDigest } = require(${JSON.stringify(module)}); (async () => { ${body} })();`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', source], { encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, timedOut: result.error !== undefined };
  };

  it('keeps a process alive while it awaits a digest, and only then', () => {
    const awaited = script("const d = new BackgroundDigest({ sha256: true }); d.update(Buffer.alloc(3_000_000, 7)); console.log((await d.digest()).sha256);");
    assert.equal(awaited.status, 0);
    assert.equal(awaited.stdout.trim(), createHash('sha256').update(Buffer.alloc(3_000_000, 7)).digest('hex'));
    const abandoned = script("const d = new BackgroundDigest({ sha256: true }); d.update(Buffer.alloc(3_000_000, 7)); console.log('left');");
    assert.equal(abandoned.timedOut, false, 'an abandoned digest does not hold the process open');
    assert.equal(abandoned.status, 0);
    assert.equal(abandoned.stdout.trim(), 'left');
  });
});
