// What the Storage view asks of the engine, against s3rver: each tier lists its own objects and
// folders (so a demoted object moves from Local to Cloud), the tiers' states, and presigned URLs
// that read the cloud copy without credentials, refused clearly when there is no cloud copy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageError } from '../../server/engines/storage';
import { createBucket, s3Server } from './support/services';
import { cloudConfig, openEngine, randomContent, tempFolder } from './support/storageFixtures';

function isCode(code: string, pattern: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof StorageError && error.code === code && pattern.test(error.message);
}

describe('the engine for the Storage view (s3rver)', () => {
  it('lists each tier by its copies, with folders holding one, and pages within a tier', async () => {
    const server = await s3Server('s3rver');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket) });
    try {
      for (const key of ['top.csv', 'sales/2024.csv', 'sales/2025.csv', 'logs/a.log']) await engine.store(key, Buffer.from(key));
      await engine.demote('sales/2024.csv');
      await engine.demote('logs/a.log');
      const names = (page: { objects: readonly { key: string }[]; prefixes: readonly string[] }): string[] => [...page.prefixes, ...page.objects.map((object) => object.key)];
      assert.deepEqual(names(engine.list({ delimiter: '/', tier: 'local' })), ['sales/', 'top.csv'], 'logs/ holds no local copy any more');
      assert.deepEqual(names(engine.list({ delimiter: '/', tier: 'cloud' })), ['logs/', 'sales/']);
      assert.deepEqual(names(engine.list({ prefix: 'sales/', delimiter: '/', tier: 'local' })), ['sales/2025.csv']);
      assert.deepEqual(names(engine.list({ prefix: 'sales/', delimiter: '/', tier: 'cloud' })), ['sales/2024.csv']);
      assert.deepEqual(names(engine.list({ delimiter: '/', tier: 'archive' })), []);
      const first = engine.list({ tier: 'local', limit: 1 });
      assert.deepEqual(names(first), ['sales/2025.csv']);
      assert.ok(first.nextCursor !== undefined);
      const second = engine.list({ tier: 'local', limit: 1, cursor: first.nextCursor });
      assert.deepEqual(names(second), ['top.csv']);
      assert.equal(second.nextCursor, undefined);
    } finally {
      await engine.close();
    }
  });

  it('says whether the cloud answers, and the archive class', async () => {
    const server = await s3Server('s3rver');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket) });
    try {
      assert.equal(engine.tiers().cloud.state, 'not-contacted');
      await engine.checkCloud();
      assert.deepEqual(engine.tiers().cloud, {
        state: 'connected',
        uri: `s3://${bucket}/neurolake/`,
        // The defaults of a custom endpoint, worked out: what the cloud row's tooltip shows.
        server: { endpoint: server.endpoint, region: 'us-east-1', pathStyle: true, sdkChecksums: 'WHEN_REQUIRED', checksSignedPayload: false },
      });
      assert.equal(engine.tiers().archive.storageClass, 'GLACIER');
    } finally {
      await engine.close();
    }
    const unreachable = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig('http://127.0.0.1:9', bucket), maxAttempts: 1 });
    try {
      await unreachable.checkCloud();
      const cloud = unreachable.tiers().cloud;
      assert.equal(cloud.state, 'unreachable');
      assert.match(cloud.state === 'unreachable' ? cloud.reason : '', /unreachable/);
    } finally {
      await unreachable.close();
    }
  });

  it('signs a URL that reads the cloud copy over plain HTTP, and refuses one for an object without a cloud copy', async () => {
    const server = await s3Server('s3rver');
    const bucket = await createBucket(server);
    const engine = await openEngine(server, { dataFolder: tempFolder(), config: cloudConfig(server.endpoint, bucket) });
    try {
      const content = randomContent(70_000);
      await engine.store('shared/report.bin', content);
      await assert.rejects(engine.presign('shared/report.bin', 3600), isCode('not-found', /no cloud copy.*demote it to the cloud tier first/));
      await engine.demote('shared/report.bin');
      await assert.rejects(engine.presign('shared/report.bin', 8 * 24 * 3600), isCode('invalid-argument', /1 second to 7 days/));
      const { url, expiresAt } = await engine.presign('shared/report.bin', 3600);
      assert.ok(Date.parse(expiresAt) > Date.now() + 3500_000, `expires an hour from now, not ${expiresAt}`);
      const response = await fetch(url);
      assert.equal(response.status, 200, await response.clone().text());
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), content);
    } finally {
      await engine.close();
    }
  });
});
