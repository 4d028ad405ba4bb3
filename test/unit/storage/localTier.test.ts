// The local tier on its own (no cloud configured): stores are durable and survive a reopen, the
// index journal survives a torn last line, and a full disk is a clear error that changes nothing.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, StorageEngine, StorageError, type StorageConfig } from '../../../server/engines/storage';
import { mountTmpfs, tmpfsUnavailable } from '../support/tmpfs';

async function read(engine: StorageEngine, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  await engine.retrieve(key, new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) }));
  return Buffer.concat(chunks).toString();
}

describe('local tier', () => {
  it('keeps stored objects across a reopen, with their checksum and access counts', async () => {
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-local-'));
    let engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    await engine.store('a/one.txt', Buffer.from('one'));
    await engine.store('a/two.txt', Readable.from([Buffer.from('tw'), Buffer.from('o')]));
    assert.equal(await read(engine, 'a/one.txt'), 'one');
    await engine.close();
    engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    try {
      assert.equal(await read(engine, 'a/two.txt'), 'two');
      assert.equal(engine.stat('a/one.txt').accessCount, 1);
      assert.equal(engine.status().state, 'ready');
      assert.match(engine.status().detail ?? '', /no cloud tier configured/);
      await assert.rejects(engine.demote('a/one.txt'), (error: unknown) => error instanceof StorageError && error.code === 'not-configured');
    } finally {
      await engine.close();
    }
  });

  it('records the SHA-256 of every byte of a large object, whether from a file or a stream of uneven chunks, and over its local copy again', async () => {
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-large-'));
    // Past the size at which the file is flushed early, in chunks that do not fall on any boundary.
    const content = randomBytes(9 * 1024 * 1024 + 12_345);
    const expected = createHash('sha256').update(content).digest('hex');
    const source = join(dataFolder, 'source.bin');
    writeFileSync(source, content);
    const uneven = (function* () {
      for (let offset = 0, step = 1; offset < content.length; offset += step, step = (step * 7 + 100_003) % 3_000_000) yield content.subarray(offset, offset + step);
    })();
    const engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    try {
      await engine.store('large/from-file.bin', { path: source });
      await engine.store('large/from-stream.bin', Readable.from(uneven));
      // Stored again over a local copy: the replacing file waits in the incoming folder for its commit.
      await engine.store('large/from-file.bin', { path: source });
      for (const key of ['large/from-file.bin', 'large/from-stream.bin']) {
        assert.equal(engine.stat(key).sha256, expected, key);
        assert.equal(engine.stat(key).size, content.length, key);
      }
      assert.deepEqual((await engine.verify()).problems, []);
    } finally {
      await engine.close();
    }
  });

  it('ignores a torn last journal line left by a killed writer', async () => {
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-torn-'));
    const engine = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    await engine.store('kept', Buffer.from('kept'));
    // A second engine holds the index open so the first one's close does not compact the journal away.
    const other = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    const journal = readdirSync(join(dataFolder, 'storage')).find((name) => name.endsWith('.journal'));
    assert.ok(journal);
    appendFileSync(join(dataFolder, 'storage', journal), '{"t":"put","r":{"key":"torn"');
    await other.close();
    await engine.close();
    const reopened = await StorageEngine.open({ dataFolder, config: DEFAULT_CONFIG, env: {} });
    try {
      assert.equal(await read(reopened, 'kept'), 'kept');
      assert.deepEqual(reopened.list().objects.map((object) => object.key), ['kept']);
      await reopened.store('after', Buffer.from('after'));
      assert.equal(await read(reopened, 'after'), 'after');
    } finally {
      await reopened.close();
    }
  });

  it('fails a store on a full disk with a clear error, leaving the index and the tier as they were', { skip: tmpfsUnavailable }, async () => {
    const disk = mountTmpfs(1024 * 1024);
    const dataFolder = await mkdtemp(join(tmpdir(), 'nl-enospc-'));
    const config: StorageConfig = { ...DEFAULT_CONFIG, local: { ...DEFAULT_CONFIG.local, path: disk.folder } };
    const engine = await StorageEngine.open({ dataFolder, config, env: {} });
    try {
      await engine.store('small', Buffer.from('fits'));
      const before = engine.list();
      await assert.rejects(
        engine.store('big', Readable.from([Buffer.alloc(600_000, 1), Buffer.alloc(600_000, 2)])),
        (error: unknown) => error instanceof StorageError && error.code === 'no-space' && /disk is full/.test(error.message) && /nothing was saved/.test(error.message),
      );
      assert.deepEqual(engine.list(), before, 'the index is unchanged');
      assert.deepEqual(readdirSync(join(disk.folder, '.neurolake-incoming')), [], 'no partial file is left');
      assert.equal(await read(engine, 'small'), 'fits');
      await engine.store('small2', Buffer.from('still works'));
    } finally {
      await engine.close();
      disk.unmount();
    }
  });
});
