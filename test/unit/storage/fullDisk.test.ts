// The storage engine on a data folder whose disk fills up (a real tmpfs): every store that was
// acknowledged reads back after a reopen, every one that was not fails with `no-space`, and the
// engine opens fine once there is room again.
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { DEFAULT_CONFIG, StorageEngine, StorageError, type StorageConfig } from '../../../server/engines/storage';
import { fillDisk, mountTmpfs, tmpfsUnavailable } from '../support/tmpfs';

const scratch = mkdtempSync(join(tmpdir(), 'nl-fulldisk-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function read(engine: StorageEngine, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  await engine.retrieve(key, new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }));
  return Buffer.concat(chunks).toString();
}

/** Makes empty files in `folder` until the disk has no inode left, then frees `spare` of them. */
function useUpInodes(folder: string, spare: number): void {
  const made: string[] = [];
  try {
    for (let n = 0; ; n++) {
      const file = join(folder, `inode-${n}`);
      closeSync(openSync(file, 'wx'));
      made.push(file);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  for (const file of made.slice(-spare)) rmSync(file);
}

describe('storage on a full disk', { skip: tmpfsUnavailable }, () => {
  it('a store whose folder cannot be made (no inode left) is refused and leaves no record of it', async () => {
    const disk = mountTmpfs(4 * 1024 * 1024, 64);
    try {
      const dataFolder = mkdtempSync(join(scratch, 'data-'));
      const config: StorageConfig = { ...DEFAULT_CONFIG, local: { ...DEFAULT_CONFIG.local, path: disk.folder } };
      let engine = await StorageEngine.open({ dataFolder, config, env: {} });
      await engine.store('kept', Buffer.from('kept'));
      // Room for the object's file, none for the new folder it goes in.
      useUpInodes(disk.folder, 1);
      await assert.rejects(engine.store('new-folder/object', Buffer.from('lost?')), (error: unknown) => {
        assert.ok(error instanceof StorageError, String(error));
        assert.equal(error.code, 'no-space', error.message);
        return true;
      });
      assert.deepEqual(engine.list().objects.map((object) => object.key), ['kept'], 'the refused store is not in the index');
      await engine.close();
      engine = await StorageEngine.open({ dataFolder, config, env: {} });
      try {
        assert.deepEqual(engine.list().objects.map((object) => object.key), ['kept'], 'nor after a reopen');
        assert.equal((await engine.verify()).problems.length, 0);
        assert.equal(await read(engine, 'kept'), 'kept');
      } finally {
        await engine.close();
      }
    } finally {
      disk.unmount();
    }
  });

  it('the access log loses only the reads that did not fit, and the first entries after it are whole', async () => {
    const disk = mountTmpfs(512 * 1024);
    try {
      const dataFolder = join(disk.folder, 'data');
      const config: StorageConfig = { ...DEFAULT_CONFIG, local: { ...DEFAULT_CONFIG.local, path: mkdtempSync(join(scratch, 'tier-')) } };
      const warnings: string[] = [];
      const engine = await StorageEngine.open({ dataFolder, config, env: {}, onWarning: (message) => warnings.push(message) });
      try {
        const key = ['x', 'y', 'z'].map((letter) => letter.repeat(200)).join('/');
        await engine.store(key, Buffer.from('read often'));
        await engine.store('after', Buffer.from('read later'));
        await engine.accessHistory();
        fillDisk(disk.folder);
        // Many reads of a long key: one batch of a few KB, of which only the first part fits.
        for (let n = 0; n < 30; n++) await read(engine, key);
        await engine.accessHistory();
        assert.ok(warnings.some((warning) => /access log/.test(warning)), `the full disk was noticed: ${warnings.join(' | ')}`);
        rmSync(join(disk.folder, 'ballast'));
        for (let n = 0; n < 3; n++) await read(engine, 'after');
        const history = await engine.accessHistory();
        assert.equal(history.filter((entry) => entry.key === 'after' && entry.op === 'read').length, 3, 'every read after the disk had room again is in the log');
      } finally {
        await engine.close();
      }
    } finally {
      disk.unmount();
    }
  });

  it('never acknowledges a store whose index line only partly fitted, and loses none that it acknowledged', async () => {
    const disk = mountTmpfs(512 * 1024);
    try {
      // The index on the small disk, the objects elsewhere: only the journal's appends run out of room.
      const dataFolder = join(disk.folder, 'data');
      const config: StorageConfig = { ...DEFAULT_CONFIG, local: { ...DEFAULT_CONFIG.local, path: mkdtempSync(join(scratch, 'tier-')) } };
      let engine = await StorageEngine.open({ dataFolder, config, env: {} });
      await engine.store('warm', Buffer.from('warm'));
      fillDisk(disk.folder);
      const acknowledged: string[] = [];
      let refusals = 0;
      // Long keys make index lines of a few KB: some fit in the last page of the journal, one fits only in part.
      for (let n = 0; n < 12; n++) {
        const key = `k${n}/${['x', 'y', 'z', 'w'].map((letter) => letter.repeat(220)).join('/')}`;
        try {
          await engine.store(key, Buffer.from(`value ${n}`));
          acknowledged.push(key);
        } catch (error) {
          assert.ok(error instanceof StorageError, String(error));
          assert.equal(error.code, 'no-space', error.message);
          assert.match(error.message, /full/);
          refusals++;
        }
      }
      assert.ok(refusals > 0, 'the disk is full: some store was refused');
      await engine.close();
      rmSync(join(disk.folder, 'ballast'));
      engine = await StorageEngine.open({ dataFolder, config, env: {} });
      try {
        const listed = engine.list({ limit: 1000 }).objects.map((object) => object.key);
        for (const key of ['warm', ...acknowledged]) assert.ok(listed.includes(key), `the acknowledged ${key.slice(0, 4)}… is in the index`);
        for (const [n, key] of acknowledged.entries()) assert.equal(await read(engine, key), `value ${Number(key.slice(1, key.indexOf('/')))}`, `store ${n} reads back`);
        await engine.store('after', Buffer.from('room again'));
        assert.equal(await read(engine, 'after'), 'room again');
      } finally {
        await engine.close();
      }
    } finally {
      disk.unmount();
    }
  });
  it('a new object whose index line does not fit leaves no file under its key and no staged copy (its file is moved into place while the line is written)', async () => {
    const disk = mountTmpfs(512 * 1024);
    try {
      const dataFolder = join(disk.folder, 'data');
      const tier = mkdtempSync(join(scratch, 'tier-'));
      const config: StorageConfig = { ...DEFAULT_CONFIG, local: { ...DEFAULT_CONFIG.local, path: tier } };
      const engine = await StorageEngine.open({ dataFolder, config, env: {} });
      try {
        await engine.store('warm', Buffer.from('warm'));
        fillDisk(disk.folder);
        // Long keys make index lines of a few KB: the last page of the journal takes a few, then one does not fit.
        let refused: string | undefined;
        const stored = ['warm'];
        for (let n = 0; n < 12 && refused === undefined; n++) {
          const key = `new${n}/${['x', 'y', 'z', 'w'].map((letter) => letter.repeat(220)).join('/')}`;
          try {
            await engine.store(key, Buffer.from(`value ${n}`));
            stored.push(key);
          } catch (error) {
            assert.ok(error instanceof StorageError, String(error));
            assert.equal(error.code, 'no-space', error.message);
            assert.match(error.message, /storage index/);
            refused = key;
          }
        }
        assert.ok(refused !== undefined, 'the disk is full: a store was refused');
        const key = refused;
        assert.deepEqual(engine.list({ limit: 100 }).objects.map((object) => object.key).sort(), stored.sort(), 'no record of it');
        assert.equal(existsSync(join(tier, ...key.split('/'))), false, 'no file under the key');
        assert.deepEqual(readdirSync(join(tier, '.neurolake-incoming')), [], 'no staged copy');
        rmSync(join(disk.folder, 'ballast'));
        await engine.store(key, Buffer.from('stored'));
        assert.equal(await read(engine, key), 'stored');
      } finally {
        await engine.close();
      }
    } finally {
      disk.unmount();
    }
  });
});
