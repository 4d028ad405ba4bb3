// What a read from the cloud checks: every cloud copy's record keeps the content's xxHash64 beside
// its SHA-256 (a local store's from its upload), and a read from the cloud checks the xxHash64 (a
// fifth of the cost); a record made before the xxHash64 was kept is checked by its SHA-256. The records are changed behind the engine's back
// through a second index on the same file, the way another process or an older version would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import { StorageError, type StorageConfig, type StorageEngine } from '../../server/engines/storage';
import { IndexStore } from '../../server/engines/storage/indexStore';
import type { ObjectRecord } from '../../server/engines/storage/types';
import { startFaultProxy, type FaultProxy } from './support/faultProxy';
import { createBucket, s3Server, type ServerKind } from './support/services';
import { MB, cloudConfig, openEngine, randomContent, readAll, sha256, tempFolder } from './support/storageFixtures';

describe('what a read from the cloud checks', () => {
  let xxh: XXHashAPI;
  const proxies: FaultProxy[] = [];
  before(async () => void (xxh = await xxhash()));
  after(() => Promise.all(proxies.map((proxy) => proxy.close())));

  const xxh64 = (bytes: Uint8Array): string => xxh.h64Raw(bytes).toString(16).padStart(16, '0');

  /** An engine behind a fault proxy, and a second index on its file to edit records with. */
  const open = async (overrides: Partial<StorageConfig> = {}, kind: ServerKind = 's3rver'): Promise<{ engine: StorageEngine; proxy: FaultProxy; records: IndexStore }> => {
    const server = await s3Server(kind);
    const proxy = await startFaultProxy(server.endpoint);
    proxies.push(proxy);
    const dataFolder = tempFolder();
    const config = cloudConfig(proxy.endpoint, await createBucket(server), overrides);
    // radosgw checks each request's signed SHA-256, so the engine hashes on this thread; s3rver does not, so the MD5s are hashed on the worker.
    const engine = await openEngine(server, { dataFolder, config: { ...config, cloud: { ...config.cloud!, checksSignedPayload: kind === 'radosgw' } } });
    const records = await IndexStore.open(join(dataFolder, 'storage', 'index.json'));
    return { engine, proxy, records };
  };

  const recordOf = async (records: IndexStore, key: string): Promise<ObjectRecord> => {
    await records.refresh();
    const record = records.state.objects.get(key);
    assert.ok(record, `${key} has a record`);
    return record;
  };

  const rewrite = (records: IndexStore, record: ObjectRecord): Promise<void> => records.transact(() => ({ ops: [{ t: 'put', r: record }], result: undefined }));

  for (const kind of ['s3rver', 'radosgw'] as const) {
    it(`keeps the xxHash64 of every byte beside the SHA-256, for a local store and its upload, and a one-part and a multipart cloud store (${kind})`, async () => {
      const withLocal = await open({ local: { capacityGb: 1, watermark: 1 } }, kind);
      const cloudOnly = await open({ local: { capacityGb: 0, watermark: 1 } }, kind);
      try {
        const local = randomContent(3 * MB + 17);
        const small = randomContent(MB);
        const large = randomContent(20 * MB + 5);
        await withLocal.engine.store('local/a', local);
        await withLocal.engine.demote('local/a');
        assert.deepEqual(withLocal.engine.stat('local/a').tiers, ['cloud']);
        await cloudOnly.engine.store('cloud/small', small);
        await cloudOnly.engine.store('cloud/large', large);
        const expected = [
          [withLocal.records, 'local/a', local],
          [cloudOnly.records, 'cloud/small', small],
          [cloudOnly.records, 'cloud/large', large],
        ] as const;
        for (const [records, key, content] of expected) {
          const record = await recordOf(records, key);
          assert.equal(record.sha256, sha256(content), `${key}: SHA-256`);
          assert.equal(record.xxh64, xxh64(content), `${key}: xxHash64`);
          assert.deepEqual(await readAll(key === 'local/a' ? withLocal.engine : cloudOnly.engine, key), content, `${key} reads back from the cloud`);
        }
      } finally {
        for (const { engine, records } of [withLocal, cloudOnly]) {
          await records.close();
          await engine.close();
        }
      }
    });
  }

  it('refuses a cloud read whose bytes do not have the recorded xxHash64, naming the key and the check, and verify says the record is wrong', async () => {
    const { engine, records } = await open({ local: { capacityGb: 0, watermark: 1 } });
    try {
      const content = randomContent(2 * MB);
      await engine.store('wrong/xxh', content);
      const record = await recordOf(records, 'wrong/xxh');
      // The SHA-256 still matches: only the xxHash64 can make this read fail.
      await rewrite(records, { ...record, xxh64: 'ffffffffffffffff' === record.xxh64 ? '0000000000000000' : 'ffffffffffffffff' });
      await assert.rejects(readAll(engine, 'wrong/xxh'), (error: unknown) => error instanceof StorageError && error.code === 'checksum-mismatch' && /wrong\/xxh/.test(error.message) && /xxh64/.test(error.message));
      const report = await engine.verify({ deep: true });
      assert.deepEqual(
        report.problems.map((problem) => `${problem.tier}:${problem.key}:${problem.problem}`),
        ['cloud:wrong/xxh:the recorded xxh64 differs'],
      );
    } finally {
      await records.close();
      await engine.close();
    }
  });

  it('keeps a record whose xxHash64 was edited into something else than 16 hex digits, reads it with its SHA-256 check, and verify names it', async () => {
    const { engine, proxy, records } = await open({ local: { capacityGb: 0, watermark: 1 } });
    try {
      const content = randomContent(MB);
      await engine.store('edited/xxh', content);
      const record = await recordOf(records, 'edited/xxh');
      await rewrite(records, { ...record, xxh64: { $ne: null } as unknown as string });
      assert.deepEqual(await readAll(engine, 'edited/xxh'), content, 'the record is kept and the read proven by the SHA-256');
      proxy.corruptReads(true);
      await assert.rejects(readAll(engine, 'edited/xxh'), (error: unknown) => error instanceof StorageError && error.code === 'checksum-mismatch' && /sha256/.test(error.message));
      proxy.corruptReads(false);
      assert.deepEqual((await engine.verify({ deep: true })).problems.map((problem) => `${problem.key}:${problem.problem}`), ['edited/xxh:the recorded xxh64 differs']);
    } finally {
      proxy.corruptReads(false);
      await records.close();
      await engine.close();
    }
  });

  it('reads a record kept before the xxHash64 was, checking its SHA-256: intact bytes are served, changed ones refused', async () => {
    const { engine, proxy, records } = await open({ local: { capacityGb: 0, watermark: 1 } });
    try {
      const content = randomContent(2 * MB);
      await engine.store('old/record', content);
      const { xxh64: _dropped, ...older } = await recordOf(records, 'old/record');
      await rewrite(records, older);
      assert.equal((await recordOf(records, 'old/record')).xxh64, undefined);
      proxy.corruptReads(true);
      await assert.rejects(readAll(engine, 'old/record'), (error: unknown) => error instanceof StorageError && error.code === 'checksum-mismatch' && /sha256/.test(error.message));
      proxy.corruptReads(false);
      assert.deepEqual(await readAll(engine, 'old/record'), content);
      assert.deepEqual((await engine.verify({ deep: true })).problems, []);
    } finally {
      proxy.corruptReads(false);
      await records.close();
      await engine.close();
    }
  });
});
