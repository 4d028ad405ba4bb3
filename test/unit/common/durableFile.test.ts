// Durable writes on a real disk that fills up or turns read-only: every write that returned is
// there in full, every one that failed threw one clear error and left the file as it was.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { appendDurably, DiskError, diskError, isReadOnlyError, syncFolder, temporaryFilesOf, writeFileDurably } from '../../../server/engines/common';
import { mountTmpfs, tmpfsUnavailable, type Tmpfs } from '../support/tmpfs';

const RECORD_BYTES = 60_000;
const record = (n: number): string => `${String(n).padStart(4, '0')}${'x'.repeat(RECORD_BYTES - 5)}\n`;

let disk: Tmpfs;
describe('durable writes on a disk that fills up', { skip: tmpfsUnavailable }, () => {
  beforeEach(() => (disk = mountTmpfs(1024 * 1024)));
  afterEach(() => disk.unmount());

  it('appendDurably: every append that returned is whole; the first that did not fit throws disk-full and leaves no torn record', async () => {
    const file = join(disk.folder, 'log');
    const acknowledged: number[] = [];
    let failure: unknown;
    for (let n = 0; n < 25 && failure === undefined; n++) {
      try {
        await appendDurably(file, record(n));
        acknowledged.push(n);
      } catch (error) {
        failure = error;
      }
    }
    assert.ok(failure instanceof DiskError, `a 1 MB disk cannot take 25 records of 60 KB (${String(failure)})`);
    assert.equal(failure.code, 'disk-full');
    assert.equal(failure.message, `The disk holding ${disk.folder} is full; the change was not saved and nothing else was changed. Free some space and try again.`);
    assert.ok(acknowledged.length >= 10, `${acknowledged.length} records fitted`);
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
    assert.deepEqual(lines.map((line) => Number(line.slice(0, 4))), acknowledged, 'exactly the acknowledged records, in order');
    assert.ok(lines.every((line) => line.length === RECORD_BYTES - 1), 'none of them torn');

    disk.resize(4 * 1024 * 1024);
    await appendDurably(file, record(99));
    assert.equal(statSync(file).size, (acknowledged.length + 1) * RECORD_BYTES, 'the next append after the disk grew starts on a record boundary');
  });

  it('writeFileDurably: a replacement that does not fit keeps the old content and leaves no temporary file', async () => {
    const file = join(disk.folder, 'snapshot.json');
    await writeFileDurably(file, 'old');
    writeFileSync(join(disk.folder, 'ballast'), Buffer.alloc(900 * 1024));
    await assert.rejects(writeFileDurably(file, 'n'.repeat(200_000), 'the snapshot'), (error: unknown) => {
      assert.ok(error instanceof DiskError);
      assert.equal(error.code, 'disk-full');
      assert.match(error.message, /^The disk holding .* is full; the snapshot was not saved/);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), 'old');
    assert.deepEqual(await temporaryFilesOf(file), []);
    assert.deepEqual(readdirSync(disk.folder).sort(), ['ballast', 'snapshot.json']);
  });

  it('a read-only disk gives a read-only error naming the folder, and the file is untouched', async () => {
    const file = join(disk.folder, 'log');
    await appendDurably(file, 'first\n');
    disk.setReadOnly(true);
    try {
      await assert.rejects(appendDurably(file, 'second\n'), (error: unknown) => {
        assert.ok(error instanceof DiskError);
        assert.equal(error.code, 'read-only');
        assert.equal(error.errno, 'EROFS');
        assert.ok(isReadOnlyError(error));
        assert.match(error.message, new RegExp(`^The folder ${disk.folder} is on a read-only disk`));
        return true;
      });
      await assert.rejects(writeFileDurably(join(disk.folder, 'other'), 'x'), (error: unknown) => error instanceof DiskError && error.code === 'read-only');
    } finally {
      disk.setReadOnly(false);
    }
    assert.equal(readFileSync(file, 'utf8'), 'first\n');
    assert.equal(existsSync(join(disk.folder, 'other')), false);
  });
});

describe('diskError', () => {
  it('names the folder for each errno a user can fix, and keeps the cause', () => {
    const failed = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: write`), { code });
    assert.equal(diskError(failed('EDQUOT'), '/data/nl/catalog.json').code, 'quota-exceeded');
    assert.match(diskError(failed('EDQUOT'), '/data/nl/catalog.json').message, /quota on the disk holding \/data\/nl is used up/);
    assert.equal(diskError(failed('EACCES'), '/data/nl/catalog.json').code, 'no-permission');
    const other = diskError(failed('EIO'), '/data/nl/catalog.json');
    assert.equal(other.code, 'io');
    assert.match(other.message, /^Could not write \/data\/nl\/catalog\.json \(EIO: write\)/);
    assert.equal((other.cause as Error).message, 'EIO: write');
    assert.equal(diskError(other, '/elsewhere'), other, 'an error already explained is passed on as it is');
  });
});

describe('syncFolder', () => {
  it('fails with a DiskError naming the folder when its names cannot be made durable, instead of passing silently', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nl-syncfolder-'));
    try {
      await syncFolder(root);
      const gone = join(root, 'removed-meanwhile');
      await assert.rejects(syncFolder(gone), (error: unknown) => {
        assert.ok(error instanceof DiskError);
        assert.equal(error.errno, 'ENOENT');
        assert.equal(error.folder, gone);
        assert.match(error.message, /new names in .*removed-meanwhile durable/);
        return true;
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
