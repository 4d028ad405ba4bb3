// The storage engine against a real S3 server (Ceph's RADOS Gateway): what a user sees of stores,
// reads, moves between tiers, listing, deletion and verification.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeadObjectCommand, PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../../server/engines/storage';
import { startFaultProxy } from './support/faultProxy';
import { createBucket, s3Client, s3Server } from './support/services';
import { MB, cloudConfig, openEngine, randomContent, readAll, sha256, tempFolder } from './support/storageFixtures';

const GB = 1024 ** 3;

describe('storage engine on the RADOS Gateway', () => {
  it('stores locally, uploads in the background, and serves reads from disk', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket) });
    try {
      const content = randomContent(3 * MB);
      const stored = await engine.store('datasets/sales_2024.parquet', content);
      assert.equal(stored.tier, 'local');
      assert.equal(stored.uploadPending, true, 'write-back: the upload is queued, not done before the store returns');
      assert.equal(stored.sha256, sha256(content));
      assert.equal((await engine.flushUploads()).uploaded, 1);
      assert.deepEqual(engine.stat('datasets/sales_2024.parquet').tiers, ['local', 'cloud']);
      const client = s3Client(server);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/datasets/sales_2024.parquet' }));
      client.destroy();
      assert.equal(head.ContentLength, content.length);
      assert.deepEqual(await readAll(engine, 'datasets/sales_2024.parquet'), content);
      const stats = await engine.stats();
      assert.equal(stats.hits, 1);
      assert.equal(stats.cache_hit_rate, 1);
    } finally {
      await engine.close();
    }
  });

  it('sends what does not fit the local tier straight to the cloud (overflow), multipart with progress', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket, { local: { capacityGb: 8 / 1024, watermark: 0.9 } }) });
    try {
      const content = randomContent(20 * MB);
      const file = join(tempFolder(), 'model.bin');
      await writeFile(file, content);
      const seen: number[] = [];
      const info = await engine.store('big/model.bin', { path: file }, { progress: { report: (update) => seen.push(update.done ?? 0) } });
      assert.deepEqual(info.tiers, ['cloud'], 'larger than the local tier: only in the cloud');
      assert.ok(seen.length > 1 && seen.at(-1) === content.length, 'progress counts the bytes up to the size');
      assert.deepEqual(await readAll(engine, 'big/model.bin'), content);
    } finally {
      await engine.close();
    }
  });

  it('demotes, promotes, archives to GLACIER and restores, each copy verified before the source goes', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket) });
    const client = s3Client(server);
    try {
      const content = randomContent(MB + 17);
      await engine.store('k/a.csv', content);
      assert.deepEqual((await engine.demote('k/a.csv')).tiers, ['cloud']);
      assert.deepEqual((await engine.promote('k/a.csv')).tiers, ['local', 'cloud']);
      const archived = await engine.archive('k/a.csv');
      assert.deepEqual(archived.tiers, ['archive']);
      assert.equal(archived.storageClass, 'GLACIER');
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/archive/k/a.csv' }));
      assert.equal(head.StorageClass, 'GLACIER', 'the server holds it in the archive class');
      await assert.rejects(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/k/a.csv' })), 'the cloud copy was removed after the archive copy was verified');
      assert.deepEqual(await readAll(engine, 'k/a.csv'), content, 'an archive the server lets us read is read directly');
      const restored = await engine.restore('k/a.csv');
      assert.equal(restored.state, 'restored');
      assert.ok(engine.stat('k/a.csv').tiers.includes('cloud'));
      assert.ok(!engine.stat('k/a.csv').tiers.includes('archive'));
    } finally {
      client.destroy();
      await engine.close();
    }
  });

  it('archives and restores an object above the single-copy limit part by part (UploadPartCopy), with the same ETag', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    // The proxy only watches: which requests the copies are made of.
    const proxy = await startFaultProxy(server.endpoint);
    // S3 refuses one CopyObject above 5 GB; a limit of 6 MB sends this 13 MB object (two 8 MB parts) the same way.
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(proxy.endpoint, bucket, { local: { capacityGb: 0, watermark: 1 } }), multipartCopyAbove: 6 * MB });
    const client = s3Client(server);
    try {
      const content = randomContent(13 * MB + 5);
      assert.deepEqual((await engine.store('big/weights.bin', content, { size: content.length })).tiers, ['cloud']);
      const cloudHead = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/big/weights.bin' }));
      const before = proxy.requests.length;
      assert.deepEqual((await engine.archive('big/weights.bin')).tiers, ['archive']);
      const copyRequests = proxy.requests.slice(before).filter((line) => line.includes('/neurolake/archive/big/weights.bin'));
      assert.ok(copyRequests.some((line) => /^POST .*\?uploads/.test(line)), `a multipart upload was started: ${copyRequests.join(', ')}`);
      assert.equal(copyRequests.filter((line) => /^PUT .*partNumber=/.test(line)).length, 2, 'two parts copied');
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/archive/big/weights.bin' }));
      assert.equal(head.StorageClass, 'GLACIER');
      assert.equal(head.ContentLength, content.length);
      assert.equal(head.ETag, cloudHead.ETag, 'copied with the upload\'s part size, the copy has the same multipart ETag');
      assert.deepEqual(await readAll(engine, 'big/weights.bin'), content);
      assert.equal((await engine.restore('big/weights.bin')).state, 'restored');
      assert.deepEqual(engine.stat('big/weights.bin').tiers, ['cloud']);
      assert.deepEqual(await readAll(engine, 'big/weights.bin'), content);
    } finally {
      client.destroy();
      await engine.close();
      await proxy.close();
    }
  });

  it('evicts only objects whose cloud copy is verified, and never the only copy', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    // 4 MB of local tier at a watermark of 1: two 1.5 MB objects fit, a third evicts the oldest uploaded one.
    const config = cloudConfig(server.endpoint, bucket, { local: { capacityGb: 4 / 1024, watermark: 1 } });
    const engine = await openEngine(server, { dataFolder: tempFolder(), config });
    try {
      const a = randomContent(1.5 * MB);
      await engine.store('lru/a', a);
      await engine.store('lru/b', randomContent(1.5 * MB));
      await engine.store('lru/c', randomContent(1.5 * MB));
      // Nothing is uploaded yet, so nothing could be evicted: c went to the cloud instead (overflow).
      assert.deepEqual(engine.stat('lru/a').tiers, ['local']);
      assert.deepEqual(engine.stat('lru/b').tiers, ['local']);
      assert.deepEqual(engine.stat('lru/c').tiers, ['cloud']);
      await engine.flushUploads();
      await engine.store('lru/d', randomContent(1.5 * MB));
      assert.deepEqual(engine.stat('lru/a').tiers, ['cloud'], 'the least recently used object with a verified cloud copy was evicted');
      assert.deepEqual(engine.stat('lru/d').tiers, ['local']);
      assert.deepEqual(await readAll(engine, 'lru/a'), a);
    } finally {
      await engine.close();
    }
  });

  it('does not trust a cloud copy the bucket lost: demote uploads it again before dropping the local copy', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket) });
    const client = s3Client(server);
    try {
      const content = randomContent(1000);
      await engine.store('lost/x', content);
      await engine.flushUploads();
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/lost/x' }));
      assert.deepEqual((await engine.demote('lost/x')).tiers, ['cloud']);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/lost/x' }));
      assert.equal(head.ContentLength, content.length, 'uploaded again before the local copy went');
      assert.deepEqual(await readAll(engine, 'lost/x'), content);
    } finally {
      client.destroy();
      await engine.close();
    }
  });

  it('lists by prefix in pages, folding folders, and stats one object', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket) });
    try {
      for (let index = 0; index < 25; index += 1) await engine.store(`logs/2024/${String(index).padStart(2, '0')}.log`, Buffer.from(`line ${index}`));
      await engine.store('logs/readme.txt', Buffer.from('read me'));
      await engine.store('other/x', Buffer.from('x'));
      const top = engine.list({ prefix: 'logs/', delimiter: '/' });
      assert.deepEqual(top.prefixes, ['logs/2024/']);
      assert.deepEqual(top.objects.map((object) => object.key), ['logs/readme.txt']);
      const keys: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = engine.list({ prefix: 'logs/2024/', limit: 10, ...(cursor ? { cursor } : {}) });
        keys.push(...page.objects.map((object) => object.key));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined);
      assert.equal(pages, 3);
      assert.equal(keys.length, 25);
      assert.equal(new Set(keys).size, 25);
      assert.equal(engine.stat('logs/readme.txt').size, 7);
      assert.throws(() => engine.stat('logs/none'), (error: unknown) => error instanceof StorageError && error.code === 'not-found');
    } finally {
      await engine.close();
    }
  });

  it('deletes every copy and says which existed', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket) });
    const client = s3Client(server);
    try {
      await engine.store('gone/x', Buffer.from('bye'));
      await engine.flushUploads();
      assert.deepEqual((await engine.delete('gone/x')).copies, ['local', 'cloud']);
      assert.throws(() => engine.stat('gone/x'));
      await assert.rejects(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/gone/x' })));
    } finally {
      client.destroy();
      await engine.close();
    }
  });

  it('verify reports a corrupted local file, a missing cloud copy and orphans, and deletes nothing', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const dataFolder = tempFolder();
    const engine = await openEngine(server, { dataFolder, config: cloudConfig(server.endpoint, bucket) });
    const client = s3Client(server);
    try {
      await engine.store('v/good', Buffer.from('good'));
      await engine.store('v/bad', Buffer.from('original'));
      await engine.store('v/cloudless', Buffer.from('c'));
      await engine.flushUploads();
      await writeFile(join(engine.localRoot, 'v', 'bad'), 'tampered');
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/v/cloudless' }));
      await writeFile(join(engine.localRoot, 'stray.bin'), 'nobody knows me');
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/stray-remote', Body: 'x' }));
      const report = await engine.verify();
      assert.equal(report.checked, 3);
      assert.deepEqual(report.problems.map((problem) => `${problem.tier}:${problem.key}`).sort(), ['cloud:v/cloudless', 'local:v/bad']);
      assert.deepEqual([...report.orphans].sort(), ['cloud:stray-remote', 'local:stray.bin']);
      // Reported, not removed.
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/stray-remote' }));
    } finally {
      client.destroy();
      await engine.close();
    }
  });

  it('plans optimization with moves, bytes and monthly cost before and after, then applies it', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const dataFolder = tempFolder();
    const big = cloudConfig(server.endpoint, bucket, { local: { capacityGb: 10, watermark: 0.9 } });
    let engine = await openEngine(server, { dataFolder, config: big });
    for (const name of ['a', 'b', 'c']) await engine.store(`opt/${name}`, randomContent(MB));
    await engine.flushUploads();
    await engine.close();
    // The user shrinks the local tier: the plan demotes what no longer fits.
    engine = await openEngine(server, { dataFolder, config: { ...big, local: { capacityGb: 1.5 / 1024, watermark: 1 } } });
    try {
      const plan = await engine.plan();
      assert.equal(plan.moves.length, 2);
      assert.ok(plan.moves.every((move) => move.move === 'demote' && move.bytes === MB));
      assert.equal(plan.bytesMoved, 2 * MB);
      assert.ok(plan.monthlyCostAfter.local < plan.monthlyCostBefore.local);
      const results = await engine.apply(plan);
      assert.ok(results.every((result) => result.ok));
      assert.equal((await engine.stats()).tiers.local.objects, 1);
      assert.equal((await engine.plan()).moves.length, 0);
    } finally {
      await engine.close();
    }
  });

  it('shares one data folder between two processes\' engines', async () => {
    const server = await s3Server('radosgw');
    const bucket = await createBucket(server);
    const dataFolder = tempFolder();
    const config = cloudConfig(server.endpoint, bucket);
    const first = await openEngine(server, { dataFolder, config });
    const second = await openEngine(server, { dataFolder, config });
    try {
      await Promise.all([first.store('shared/one', Buffer.from('1')), second.store('shared/two', Buffer.from('2'))]);
      await second.refresh();
      await first.refresh();
      assert.deepEqual(first.list({ prefix: 'shared/' }).objects.map((object) => object.key), ['shared/one', 'shared/two']);
      assert.equal((await readAll(second, 'shared/one')).toString(), '1');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('refuses a local-only store that does not fit, naming the tier', async () => {
    const server = await s3Server('radosgw');
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: { ...cloudConfig(server.endpoint, 'unused'), cloud: undefined, local: { capacityGb: 1 / GB, watermark: 1 } } as never });
    try {
      await assert.rejects(engine.store('too/big', randomContent(4096)), (error: unknown) => error instanceof StorageError && error.code === 'no-space' && /local tier is full/.test(error.message));
      assert.equal(engine.list().objects.length, 0);
    } finally {
      await engine.close();
    }
  });
});
