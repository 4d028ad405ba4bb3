// Reading an object: a local copy is served from disk; a miss reads the cloud or archive copy,
// checks its xxHash64 (or SHA-256) on the way, and the policy decides whether a local copy is kept.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CancelledError, fastHash, isFastHash, type WorkOptions } from '../common';
import type { Place } from './cloudTier';
import { commitLocalCopy, evictForRoom, finishStaged } from './copies';
import type { StorageCore } from './core';
import { fileError, streamToFile } from './durable';
import { StorageError, describeError } from './errors';
import { confinedPath, validateKey } from './keys';
import { restoringError, type Restores } from './restores';
import { FILE_CHUNK } from './sources';
import type { ObjectInfo, ObjectRecord } from './types';

/**
 * Writes the object to `destination` (ended when done). A local copy is served from disk; a
 * miss reads the cloud or archive copy, checks its checksum, and the policy decides whether to
 * keep a local copy. An archived object the server says must be restored first starts the
 * restore and fails with `restoring`, giving the expected time.
 */
export async function retrieve(core: StorageCore, restores: Restores, key: string, destination: Writable, work: WorkOptions = {}): Promise<ObjectInfo> {
  core.assertOpen();
  validateKey(key);
  // While the index catches up with other processes, the read starts where the index last said the
  // object is: a local copy's path is resolved, or a cloud-only object's GET is sent. Either is used
  // only if the caught-up record still says so (it nearly always does); else it is dropped.
  const seen = core.index.state.objects.get(key);
  const pathLookup = seen?.copies.local !== undefined ? confinedPath(core.localRoot, key) : undefined;
  pathLookup?.catch(() => undefined);
  const early = seen !== undefined && canGetEarly(core, seen) ? core.cloud!.get('cloud', key, work.signal) : undefined;
  early?.catch(() => undefined);
  let record: ObjectRecord;
  try {
    await core.index.refresh();
    core.syncPolicy();
    record = core.record(key);
  } catch (error) {
    dropEarly(early);
    throw error;
  }
  let earlyBody = early;
  if (early !== undefined && !sameCloudCopy(seen!, record)) {
    dropEarly(early);
    earlyBody = undefined;
  }
  if (record.copies.local?.staged !== undefined) {
    await core.index.transact(() => ({ ops: [], result: undefined, afterCommit: () => finishStaged(core, [key]) }));
    record = core.record(key);
  }
  const progress = work.progress;
  const message = `Reading ${key}`;
  const report = (done: number): void => progress?.report({ message, done, total: record.size, unit: 'bytes' });
  const now = Date.now();
  const at = new Date(now).toISOString();
  if (record.copies.local) {
    const path = await (pathLookup ?? confinedPath(core.localRoot, key));
    let done = 0;
    const file = createReadStream(path, { highWaterMark: FILE_CHUNK });
    beside(file, (chunk) => report((done += chunk.length)));
    try {
      await pipeline(file, destination, work.signal ? { signal: work.signal } : {});
    } catch (error) {
      if (work.signal?.aborted) throw new CancelledError(`Reading ${key}`);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // Another process may have just evicted it: read from where the index now says it is.
        await core.index.refresh();
        if (core.index.state.objects.get(key)?.copies.local === undefined && core.index.state.objects.has(key)) return retrieve(core, restores, key, destination, work);
        throw new StorageError('not-found', `The local copy of ${key} is missing from ${path}; run "neurolake storage verify".`);
      }
      throw fileError(error, `reading ${key}`);
    }
    const outcome = core.policy.read(key, record.size, now);
    core.touch(key, at, true, record.size, 'local');
    await evictForRoom(core, outcome.evicted, key);
    return core.stat(key);
  }
  const place: Place = record.copies.cloud ? 'cloud' : 'archive';
  const cloud = core.requireCloud();
  if (record.restoring !== undefined) await restores.pollRestore(key);
  record = core.record(key);
  if (record.restoring !== undefined) throw restoringError(key, record.restoring.expectedAt);
  const outcome = core.policy.read(key, record.size, now);
  const keepLocal = outcome.admitted && core.index.localBytes + record.size <= core.capacityBytes();
  let body: Readable;
  try {
    body = await (earlyBody ?? cloud.get(place, key, work.signal));
    core.setCloudState({ kind: 'connected' });
  } catch (error) {
    if (error instanceof StorageError && error.code === 'restoring' && place === 'archive') {
      const expectedAt = await restores.startRestore(key, false);
      throw restoringError(key, expectedAt);
    }
    core.noteCloudFailure(error);
    if (outcome.admitted) core.policy.remove(key);
    throw error;
  }
  const temp = keepLocal ? core.incomingPath() : undefined;
  // Hashed as the bytes arrive, on this thread: copying them for the worker costs as much, and the
  // worker would take a core from a server on this machine. The xxHash64, where the record has one
  // (see fastHash.ts), costs a fifth of the SHA-256.
  const check = readCheck(record);
  const copy = temp === undefined ? undefined : new PassThrough();
  // A failed local copy (disk full) is dropped; the read itself goes on.
  copy?.on('error', () => undefined);
  const local = copy && temp ? streamToFile(copy, temp) : undefined;
  // Awaited once the read is done; a copy that fails before then (disk full) is not an unhandled rejection.
  local?.catch(() => undefined);
  // Each chunk is hashed, and written to the local copy (whose failure, a full disk, only drops the
  // copy), as the body hands it to the caller.
  let received = 0;
  beside(body, (chunk) => {
    check.update(chunk);
    copy?.write(chunk);
    report((received += chunk.length));
  });
  try {
    await pipeline(body, destination, work.signal ? { signal: work.signal } : {});
  } catch (error) {
    copy?.destroy();
    await local?.catch(() => undefined);
    if (temp) await rm(temp, { force: true });
    if (outcome.admitted) core.policy.remove(key);
    if (work.signal?.aborted) throw new CancelledError(`Reading ${key}`);
    throw error instanceof StorageError ? error : new StorageError('cloud-unavailable', `Reading ${key} from the ${place} tier failed: ${describeError(error)}`);
  }
  copy?.end();
  const actual = check.digest();
  if (actual !== check.expected) {
    await local?.catch(() => undefined);
    if (temp) await rm(temp, { force: true });
    throw new StorageError('checksum-mismatch', `The ${place} copy of ${key} does not match its checksum (expected ${check.algorithm} ${check.expected}, read ${actual}); run "neurolake storage verify".`);
  }
  core.touch(key, at, false, record.size, place);
  if (local && temp) {
    const kept = await local.then(
      () => true,
      () => false,
    );
    if (kept) await commitLocalCopy(core, key, record.version, temp, 'promoted').catch(() => rm(temp, { force: true }));
    else await rm(temp, { force: true });
  } else if (outcome.admitted) {
    core.policy.remove(key);
  }
  await evictForRoom(core, outcome.evicted, key);
  return core.stat(key);
}

/**
 * What a read from the cloud or archive checks: the xxHash64 where the record keeps one, else the
 * SHA-256. A malformed one (a hand edit) is passed over rather than costing the record: the
 * SHA-256 proves the read as well, and `verify` names it.
 */
function readCheck(record: ObjectRecord): { algorithm: 'xxh64' | 'sha256'; expected: string; update(bytes: Buffer): void; digest(): string } {
  if (isFastHash(record.xxh64)) {
    const hash = fastHash();
    return { algorithm: 'xxh64', expected: record.xxh64, update: (bytes) => hash.update(bytes), digest: () => hash.digest() };
  }
  const hash = createHash('sha256');
  return { algorithm: 'sha256', expected: record.sha256, update: (bytes) => void hash.update(bytes), digest: () => hash.digest('hex') };
}

/**
 * Calls `look` with each chunk `source` hands on once it is piped, with no stream between it and
 * the caller (a pass-through costs every chunk a hop). Paused first, so that listening does not
 * start the flow before the pipe is attached.
 */
function beside(source: Readable, look: (chunk: Buffer) => void): void {
  source.pause();
  source.on('data', look);
}

/** A read that may start before the index has caught up: a cloud-only copy, with nothing to restore or finish first. */
function canGetEarly(core: StorageCore, record: ObjectRecord): boolean {
  return core.cloud !== undefined && core.cloudState.kind !== 'unreachable' && record.copies.local === undefined && record.copies.cloud !== undefined && record.restoring === undefined;
}

/** Whether the caught-up record names the very cloud copy an early GET was sent for. */
function sameCloudCopy(seen: ObjectRecord, now: ObjectRecord): boolean {
  return now.version === seen.version && now.copies.local === undefined && now.copies.cloud?.etag === seen.copies.cloud?.etag && now.restoring === undefined;
}

/** An early GET the caught-up record does not want: its body, if it comes, is closed unread. */
function dropEarly(early: Promise<Readable> | undefined): void {
  early?.then((body) => body.destroy(), () => undefined);
}
