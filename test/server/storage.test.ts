// Storage through the real server over a real LSP connection: what the Storage view and its
// commands send (store a file, list, stat, download, delete) and the change notification it
// refreshes on. The local tier only; the cloud tiers are tested against real S3 servers in test/storage.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DidChangeStorageNotification,
  StorageDeleteRequest,
  StorageListRequest,
  StoragePresignRequest,
  StorageRetrieveRequest,
  StorageStatRequest,
  StorageStatsRequest,
  StorageStoreRequest,
  StorageTiersRequest,
} from '../../server/protocol';
import { settingsWith, withServer } from './support/serverProcess';

const scratch = mkdtempSync(join(tmpdir(), 'nl-server-storage-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('storage over LSP', () => {
  it('stores a file, lists and stats it, downloads it, deletes it, and says what changed', async () => {
    const dataFolder = join(scratch, 'data');
    const source = join(scratch, 'sales.csv');
    writeFileSync(source, 'id,amount\n1,9.50\n');
    // No AWS variables from this machine's shell: the server must see a local-only setup.
    await withServer({ settings: settingsWith(dataFolder) }, async (server) => {
      const changed = new Promise<readonly string[]>((resolve) => {
        const subscription = server.onNotification(DidChangeStorageNotification, ({ keys }) => {
          if (keys.includes('datasets/sales.csv')) {
            subscription.dispose();
            resolve(keys);
          }
        });
      });
      const stored = await server.request(StorageStoreRequest, { key: 'datasets/sales.csv', path: source });
      assert.equal(stored.tier, 'local');
      assert.deepEqual(await changed, ['datasets/sales.csv']);
      const top = await server.request(StorageListRequest, { delimiter: '/' });
      assert.deepEqual(top.prefixes, ['datasets/']);
      const inside = await server.request(StorageListRequest, { prefix: 'datasets/', delimiter: '/' });
      assert.deepEqual(inside.objects.map((object) => object.key), ['datasets/sales.csv']);
      const target = join(scratch, 'copy.csv');
      await server.request(StorageRetrieveRequest, { key: 'datasets/sales.csv', path: target });
      assert.equal(readFileSync(target, 'utf8'), 'id,amount\n1,9.50\n');
      assert.equal((await server.request(StorageStatRequest, { key: 'datasets/sales.csv' })).accessCount, 1);
      assert.equal((await server.request(StorageStatsRequest, {})).objects, 1);
      await assert.rejects(server.request(StorageStoreRequest, { key: '../escape', path: source }), (error: Error & { data?: { code?: string } }) => error.data?.code === 'invalid-key' && /"\.\." segment/.test(error.message));
      assert.deepEqual((await server.request(StorageDeleteRequest, { key: 'datasets/sales.csv' })).copies, ['local']);
      await assert.rejects(server.request(StorageStatRequest, { key: 'datasets/sales.csv' }), (error: Error & { data?: { code?: string } }) => error.data?.code === 'not-found');
    }, { AWS_ENDPOINT_URL_S3: '', NEUROLAKE_S3_BUCKET: '', AWS_REGION: '' });
  });

  it('answers the tier rows of the view and per-tier listing on a local-only setup, and refuses a presigned URL saying why', async () => {
    const dataFolder = join(scratch, 'tiers');
    const source = join(scratch, 'tiers.csv');
    writeFileSync(source, 'a\n');
    await withServer({ settings: settingsWith(dataFolder) }, async (server) => {
      await server.request(StorageStoreRequest, { key: 'in/a.csv', path: source });
      const tiers = await server.request(StorageTiersRequest, { check: true });
      assert.deepEqual(tiers.cloud, { state: 'not-configured' });
      assert.equal(tiers.archive.storageClass, 'GLACIER');
      assert.deepEqual((await server.request(StorageListRequest, { delimiter: '/', tier: 'local' })).prefixes, ['in/']);
      const cloud = await server.request(StorageListRequest, { delimiter: '/', tier: 'cloud' });
      assert.deepEqual([...cloud.prefixes, ...cloud.objects], [], 'nothing has a cloud copy');
      await assert.rejects(server.request(StoragePresignRequest, { key: 'in/a.csv', expiresInSeconds: 3600 }), (error: Error & { data?: { code?: string } }) => error.data?.code === 'not-configured' && /No cloud tier is configured/.test(error.message));
    }, { AWS_ENDPOINT_URL_S3: '', NEUROLAKE_S3_BUCKET: '', AWS_REGION: '' });
  });
});
