// What proves that the bucket holds exactly the bytes stored, and that a read is what was stored,
// with a loopback proxy flipping one bit of what passes: the RADOS Gateway configured as checking
// each request's signed SHA-256 (cloud.checksSignedPayload) refuses a changed upload itself;
// s3rver, which does not check, has its ETag compared with the content's MD5; and a read whose
// bytes differ from the index's SHA-256 fails naming the key, whatever the server is.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { StorageError, type StorageConfig } from '../../server/engines/storage';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { createBucket, s3Client, s3Server, type ServerKind } from './support/services';
import { MB, cloudConfig, openEngine, randomContent, readAll, sha256, tempFolder } from './support/storageFixtures';

/** No local tier: every store goes straight to the cloud, every read comes from it. */
const CLOUD_ONLY: Partial<StorageConfig> = { local: { capacityGb: 0, watermark: 1 } };

describe('what proves an upload and a read', () => {
  const proxies: FaultProxy[] = [];
  after(() => Promise.all(proxies.map((proxy) => proxy.close())));

  const open = async (kind: ServerKind, checksSignedPayload: boolean | undefined, overrides: Partial<StorageConfig> = CLOUD_ONLY) => {
    const server = await s3Server(kind);
    const proxy = await startFaultProxy(server.endpoint);
    proxies.push(proxy);
    const bucket = await createBucket(server);
    const config = cloudConfig(proxy.endpoint, bucket, overrides);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: { ...config, cloud: { ...config.cloud!, ...(checksSignedPayload === undefined ? {} : { checksSignedPayload }) } } });
    return { server, proxy, bucket, engine };
  };

  for (const size of [MB, 20 * MB]) {
    const what = size === MB ? 'a one-part upload' : 'a multipart upload';
    it(`radosgw, set as checking signed payloads: stores ${what} without an MD5, and refuses one changed on the way`, async () => {
      const { server, proxy, bucket, engine } = await open('radosgw', true);
      const client = s3Client(server);
      try {
        const content = randomContent(size);
        const info = await engine.store('checked/good', content);
        assert.equal(info.sha256, sha256(content));
        assert.deepEqual(await readAll(engine, 'checked/good'), content);
        assert.deepEqual((await engine.verify({ deep: true })).problems, []);
        proxy.corruptUploads(true);
        await assert.rejects(engine.store('checked/bad', randomContent(size)), (error: unknown) => error instanceof StorageError && /checked\/bad/.test(error.message) && /XAmzContentSHA256Mismatch|BadDigest|400/.test(error.message));
        proxy.corruptUploads(false);
        assert.throws(() => engine.stat('checked/bad'), (error: unknown) => error instanceof StorageError && error.code === 'not-found', 'nothing recorded');
        await assert.rejects(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'neurolake/objects/checked/bad' })), 'the server kept nothing');
        assert.equal((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads?.length ?? 0, 0, 'no unfinished upload left');
      } finally {
        proxy.corruptUploads(false);
        client.destroy();
        await engine.close();
      }
    });

    it(`s3rver, which does not check signed payloads (the default for a custom endpoint): compares the ETag of ${what} and refuses one changed on the way`, async () => {
      const { proxy, engine } = await open('s3rver', undefined);
      try {
        const content = randomContent(size);
        assert.equal((await engine.store('etag/good', content)).sha256, sha256(content));
        assert.deepEqual(await readAll(engine, 'etag/good'), content);
        proxy.corruptUploads(true);
        await assert.rejects(engine.store('etag/bad', randomContent(size)), (error: unknown) => error instanceof StorageError && error.code === 'checksum-mismatch' && /etag\/bad/.test(error.message));
        proxy.corruptUploads(false);
        assert.throws(() => engine.stat('etag/bad'), (error: unknown) => error instanceof StorageError && error.code === 'not-found', 'nothing recorded');
      } finally {
        proxy.corruptUploads(false);
        await engine.close();
      }
    });
  }

  it('a server wrongly set as checking signed payloads at worst stores changed bytes that every read then refuses, naming the key', async () => {
    const { proxy, engine } = await open('s3rver', true);
    try {
      proxy.corruptUploads(true);
      await engine.store('misconfigured/a', randomContent(MB));
      proxy.corruptUploads(false);
      await assert.rejects(readAll(engine, 'misconfigured/a'), (error: unknown) => error instanceof StorageError && error.code === 'checksum-mismatch' && /misconfigured\/a/.test(error.message));
      const report = await engine.verify({ deep: true });
      assert.deepEqual(report.problems.map((problem) => `${problem.tier}:${problem.key}`), ['cloud:misconfigured/a']);
    } finally {
      proxy.corruptUploads(false);
      await engine.close();
    }
  });

  for (const size of [MB, 20 * MB]) {
    it(`refuses a read of ${size / MB} MB whose bytes were changed on the way, names the key, and keeps no local copy of them`, async () => {
      // A local tier with room: a good read would keep a local copy.
      const { proxy, engine } = await open('radosgw', true, { local: { capacityGb: 1, watermark: 1 } });
      try {
        const content = randomContent(size);
        await engine.store('read/a', content);
        await engine.demote('read/a');
        proxy.corruptReads(true);
        await assert.rejects(readAll(engine, 'read/a'), (error: unknown) => error instanceof StorageError && error.code === 'checksum-mismatch' && /read\/a/.test(error.message));
        proxy.corruptReads(false);
        assert.deepEqual(engine.stat('read/a').tiers, ['cloud'], 'the changed bytes were not kept as a local copy');
        assert.deepEqual(await readAll(engine, 'read/a'), content, 'a read that arrives intact succeeds');
      } finally {
        proxy.corruptReads(false);
        await engine.close();
      }
    });
  }
});
