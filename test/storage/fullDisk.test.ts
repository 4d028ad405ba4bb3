// The local tier on a real disk that fills up (a tmpfs), with a real cloud tier (s3rver): a
// promote or a read that would keep a local copy fails or falls back cleanly, the index says the
// object is where it was, no partial file is left, and the next try after room is freed works; a
// store that can be read again goes to the cloud instead.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageError, type StorageEngine } from '../../server/engines/storage';
import { fillDisk, mountTmpfs, tmpfsUnavailable, type Tmpfs } from '../unit/support/tmpfs';
import { createBucket, s3Server } from './support/services';
import { cloudConfig, openEngine, randomContent, readAll, sha256, tempFolder } from './support/storageFixtures';

/** An engine on s3rver whose local tier is a 2 MB tmpfs (its capacity far larger). */
async function onSmallDisk(onWarning?: (message: string) => void): Promise<{ disk: Tmpfs; engine: StorageEngine }> {
  const server = await s3Server('s3rver');
  const bucket = await createBucket(server);
  const disk = mountTmpfs(2 * 1024 * 1024);
  const base = cloudConfig(server.endpoint, bucket);
  const config = { ...base, local: { ...base.local, path: disk.folder } };
  return { disk, engine: await openEngine(server, { dataFolder: tempFolder(), config, ...(onWarning ? { onWarning } : {}) }) };
}

describe('a full local disk under promote and reads from the cloud', { skip: tmpfsUnavailable }, () => {
  it('promote fails with no-space and changes nothing; a read still answers from the cloud; after room is freed, promote works', async () => {
    const { disk, engine } = await onSmallDisk();
    try {
      const content = randomContent(700 * 1024);
      await engine.store('big/object.bin', content);
      await engine.demote('big/object.bin');
      assert.deepEqual(engine.stat('big/object.bin').tiers, ['cloud']);
      fillDisk(disk.folder);
      await assert.rejects(engine.promote('big/object.bin'), (error: unknown) => {
        assert.ok(error instanceof StorageError, String(error));
        assert.equal(error.code, 'no-space', error.message);
        assert.match(error.message, /full/);
        return true;
      });
      assert.deepEqual(engine.stat('big/object.bin').tiers, ['cloud'], 'the index still says cloud only');
      assert.deepEqual(readdirSync(join(disk.folder, '.neurolake-incoming')), [], 'no partial copy is left');
      assert.equal(sha256(await readAll(engine, 'big/object.bin')), sha256(content), 'a read is answered from the cloud though no local copy fits');
      assert.deepEqual(engine.stat('big/object.bin').tiers, ['cloud']);
      assert.deepEqual(readdirSync(join(disk.folder, '.neurolake-incoming')), []);
      rmSync(join(disk.folder, 'ballast'));
      await engine.promote('big/object.bin');
      assert.deepEqual(engine.stat('big/object.bin').tiers, ['local', 'cloud']);
      assert.deepEqual((await engine.verify()).problems, []);
    } finally {
      await engine.close();
      disk.unmount();
    }
  });

  it('a store of a file or bytes that the tier has room for but its disk has not goes to the cloud, says so, and leaves nothing local; a stream is refused, nothing saved', async () => {
    const warnings: string[] = [];
    const { disk, engine } = await onSmallDisk((message) => warnings.push(message));
    try {
      fillDisk(disk.folder);
      const bytes = randomContent(300 * 1024);
      const file = join(tempFolder(), 'from-disk.bin');
      const fileContent = randomContent(600 * 1024);
      writeFileSync(file, fileContent);
      const fromBytes = await engine.store('full/bytes.bin', bytes);
      const fromFile = await engine.store('full/file.bin', { path: file });
      for (const [info, content] of [[fromBytes, bytes], [fromFile, fileContent]] as const) {
        assert.deepEqual(info.tiers, ['cloud'], `${info.key} is in the cloud only`);
        assert.equal(sha256(await readAll(engine, info.key)), sha256(content), `${info.key} reads back`);
      }
      assert.ok(warnings.some((warning) => /is full; full\/file\.bin is stored in the cloud tier instead/.test(warning)), warnings.join(' | '));
      await assert.rejects(engine.store('full/stream.bin', Readable.from([randomContent(600 * 1024)])), (error: unknown) => error instanceof StorageError && error.code === 'no-space' && /nothing was saved/.test(error.message));
      assert.throws(() => engine.stat('full/stream.bin'), (error: unknown) => error instanceof StorageError && error.code === 'not-found');
      assert.deepEqual(readdirSync(join(disk.folder, '.neurolake-incoming')), [], 'no partial copy is left');
      assert.deepEqual((await engine.verify({ deep: true })).problems, []);
    } finally {
      await engine.close();
      disk.unmount();
    }
  });
});
