// The cross-process lock: one holder at a time; a holder that died is taken over at once, without
// waiting; a live one (this machine or another) is waited for.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { lutimes } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { acquireLock, LockTimeoutError, parseHolder, type LockHolder } from '../../../server/engines/common';

let folder: string;
let file: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'nl-lock-'));
  file = join(folder, 'catalog.json');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Fails the test if the lock is ever waited for. */
const neverWaits = { onWait: (holder: LockHolder | undefined) => assert.fail(`waited for ${JSON.stringify(holder)}`) };

describe('acquireLock', () => {
  it('names its holder in a link, and removes it on release', async () => {
    const lock = await acquireLock(file);
    assert.ok(lstatSync(`${file}.lock`).isSymbolicLink());
    const holder = parseHolder(readlinkSync(`${file}.lock`));
    assert.deepEqual({ pid: holder?.pid, host: holder?.host }, { pid: process.pid, host: hostname() });
    await lock.release();
    assert.equal(existsSync(`${file}.lock`), false);
  });

  it('keeps out a second taker until the first releases, then lets it in', async () => {
    const first = await acquireLock(file);
    let waitedFor: LockHolder | undefined;
    let second: Promise<unknown> = Promise.resolve();
    await new Promise<void>((resolve) => {
      second = acquireLock(file, { onWait: (holder) => ((waitedFor = holder), resolve()) }).then((lock) => lock.release());
    });
    assert.equal(waitedFor?.pid, process.pid);
    await first.release();
    await second;
    assert.equal(existsSync(`${file}.lock`), false, 'the second taker got it and released it');
  });

  it('lets one in at a time when many race for it', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const lock = await acquireLock(file);
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setImmediate(resolve));
        inside -= 1;
        await lock.release();
      }),
    );
    assert.equal(most, 1);
  });

  it('takes over at once from a holder killed with kill -9', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'holdLock.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    assert.equal(chunk.toString(), 'held\n');
    assert.equal(parseHolder(readlinkSync(`${file}.lock`))?.pid, child.pid);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const lock = await acquireLock(file, neverWaits);
    assert.equal(parseHolder(readlinkSync(`${file}.lock`))?.pid, process.pid);
    await lock.release();
  });

  it('takes over at once from many racers when the holder is dead, one at a time', async () => {
    symlinkSync(`neurolake-lock:${deadPid()}:abc123@${hostname()}`, `${file}.lock`);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const lock = await acquireLock(file);
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setImmediate(resolve));
        inside -= 1;
        await lock.release();
      }),
    );
    assert.equal(most, 1);
  });

  it('waits for a holder on another machine while its lock is fresh, and takes over once it is stale', async () => {
    symlinkSync(`neurolake-lock:1:abc123@another-host`, `${file}.lock`);
    await assert.rejects(acquireLock(file, { timeoutMs: 0 }), (error: unknown) => {
      assert.ok(error instanceof LockTimeoutError);
      assert.match(error.message, /locked for more than 0 s by process 1 on another-host; try again when it has finished/);
      return true;
    });
    const longAgo = new Date(Date.now() - 120_000);
    await lutimes(`${file}.lock`, longAgo, longAgo);
    const lock = await acquireLock(file, neverWaits);
    await lock.release();
  });

  it('takes over a folder lock of an older NeuroLake once it is stale, and waits while it is fresh', async () => {
    mkdirSync(`${file}.lock`);
    await assert.rejects(acquireLock(file, { timeoutMs: 0 }), LockTimeoutError);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, longAgo, longAgo);
    const lock = await acquireLock(file, neverWaits);
    assert.ok(lstatSync(`${file}.lock`).isSymbolicLink());
    await lock.release();
  });

  it('release leaves alone a lock that is no longer its own', async () => {
    const lock = await acquireLock(file);
    rmSync(`${file}.lock`);
    symlinkSync(`neurolake-lock:${process.pid}:ffffff@${hostname()}`, `${file}.lock`);
    await lock.release();
    assert.equal(readlinkSync(`${file}.lock`), `neurolake-lock:${process.pid}:ffffff@${hostname()}`);
  });
});

/** A pid no process has: that of a child that already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}
