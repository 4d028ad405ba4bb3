// Storing an object: on the local tier while the policy admits it and it fits (then queued for
// upload), else straight to the cloud (the overflow). Acknowledged only once durable: fsync'ed
// and journaled locally, or a cloud copy verified against what was sent (the server's check of the
// signed SHA-256 where it checks, else the ETag) and still in place when its record is committed
// under the lock.
import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { NO_PROGRESS, syncFolder, throwIfCancelled, type WorkOptions } from '../common';
import { commitLeased, releaseLease, takeLease, whenUnleased, type LeaseWait } from './cloudLeases';
import { evictForRoom, publishStaged } from './copies';
import { LOCKED_CALL_MS, human, type StorageCore } from './core';
import { fileError, makeFolders, writeToFile, type WrittenFile } from './durable';
import { StorageError } from './errors';
import { etagMatches, type ContentDigests } from './etags';
import type { IndexOp, IndexState } from './indexStore';
import { runIntents } from './intents';
import { confinedPath, validateKey } from './keys';
import type { StoreOptions, StoreSource } from './options';
import { withHistory } from './records';
import { fileSize, isPathSource, openSource, readSmall } from './sources';
import type { ObjectInfo, ObjectRecord } from './types';
import type { Uploader } from './uploader';

/**
 * Stores `source` under `key`: on the local tier while the policy admits it and it fits, else
 * straight to the cloud (the overflow). Resolves once the object is durable.
 */
export async function store(core: StorageCore, uploads: Uploader, key: string, source: StoreSource, work: StoreOptions = {}): Promise<ObjectInfo> {
  core.assertOpen();
  validateKey(key);
  throwIfCancelled(work.signal, `Storing ${key}`);
  const progress = work.progress ?? NO_PROGRESS;
  // Known once the looks below are done (a file's size), or given.
  let total: number | undefined = source instanceof Uint8Array ? source.length : work.size;
  const report = (done: number): void => progress.report({ message: `Storing ${key}`, done, ...(total !== undefined ? { total } : {}), unit: 'bytes' });
  const temp = core.incomingPath();
  const stopEarly = new AbortController();
  const write = (): Promise<WrittenFile> =>
    // Written and hashed; its flush to disk runs while the commit is prepared, and the commit waits for it.
    writeToFile(openSource(source), temp, { signal: work.signal ? AbortSignal.any([work.signal, stopEarly.signal]) : stopEarly.signal, onBytes: report, hash: 'inline' });
  // The writing starts beside the first looks at the disk whenever it can be undone: when the looks
  // send the object to the cloud, a content that can be read again (bytes, a file) is, and without
  // a cloud tier nothing is sent anywhere else. A local tier with no room at all takes nothing, so
  // nothing is written to it first (a cloud store would otherwise wait for that write and its removal).
  const localMayTake = core.capacityBytes() > 0 && (!(source instanceof Uint8Array) || source.length <= core.policyBudget());
  const early = core.cloud === undefined || (localMayTake && (source instanceof Uint8Array || isPathSource(source))) ? write() : undefined;
  early?.catch(() => undefined);
  const discardEarly = async (): Promise<void> => {
    if (early === undefined) return;
    stopEarly.abort();
    await early.then((written) => written.flushed).catch(() => undefined);
    await rm(temp, { force: true });
  };
  let path: string;
  let size: number | undefined;
  try {
    // Three independent looks at the disk, at once.
    const [confined, sourceSize] = await Promise.all([
      confinedPath(core.localRoot, key),
      work.size === undefined && isPathSource(source) ? fileSize(source.path) : undefined,
      core.index.refresh(),
    ]);
    path = confined;
    size = source instanceof Uint8Array ? source.length : (work.size ?? sourceSize);
  } catch (error) {
    await discardEarly();
    throw error;
  }
  total = size;
  core.syncPolicy();
  const now = Date.now();

  // Known size that the local tier will not take: stream straight to the cloud, unless the cloud
  // is known to be down and the object fits the local tier anyway (it is then queued for upload).
  const cloudDown = core.cloudState.kind === 'unreachable' && size !== undefined && core.index.localBytes + size <= core.capacityBytes();
  if (size !== undefined && core.cloud !== undefined && !cloudDown && !core.localWouldTake(key, size)) {
    await discardEarly();
    return storeToCloud(core, uploads, key, source, size, work, report);
  }
  let written: WrittenFile;
  try {
    written = await (early ?? write());
  } catch (error) {
    // The disk under the local tier is full though its capacity has room (other files filled it):
    // a content that can be read again goes to the cloud instead, like any the tier will not take.
    const full = error instanceof StorageError && error.code === 'no-space';
    const rereadable = source instanceof Uint8Array || isPathSource(source);
    if (!full || !rereadable || size === undefined || core.cloud === undefined || core.cloudState.kind === 'unreachable' || work.signal?.aborted === true) throw error;
    core.warn(`The disk under the local tier ${core.localRoot} is full; ${key} is stored in the cloud tier instead.`);
    return storeToCloud(core, uploads, key, source, size, work, report);
  }
  if (size === undefined && core.cloud !== undefined && !core.localWouldTake(key, written.size)) {
    try {
      const [sha256] = await Promise.all([written.sha256, written.flushed]);
      return await storeToCloud(core, uploads, key, { path: temp }, written.size, work, report, sha256);
    } finally {
      await rm(temp, { force: true });
    }
  }
  // Make room first: the policy names what to evict, and only verified cloud copies are dropped.
  core.policy.setPinned(key, true);
  const outcome = core.policy.store(key, written.size, now);
  await evictForRoom(core, outcome.evicted, key);
  if (core.index.localBytes - (core.index.state.objects.get(key)?.copies.local ? core.index.state.objects.get(key)!.size : 0) + written.size > core.capacityBytes()) {
    core.policy.remove(key);
    if (core.cloud !== undefined && core.cloudState.kind !== 'unreachable') {
      try {
        const [sha256] = await Promise.all([written.sha256, written.flushed]);
        return await storeToCloud(core, uploads, key, { path: temp }, written.size, work, report, sha256);
      } finally {
        await rm(temp, { force: true });
      }
    }
    await rm(temp, { force: true });
    throw new StorageError(
      'no-space',
      `The local tier is full (${human(core.index.localBytes)} of ${human(core.capacityBytes())}) and ${core.cloud ? 'the cloud tier cannot take it now' : 'no cloud tier is configured'}; ${key} was not stored.`,
    );
  }
  const at = new Date(now).toISOString();
  const staged = relative(core.localRoot, temp);
  try {
    // Before the commit: a folder that cannot be made (a full disk) must fail the store, not leave
    // a record of a file that never arrived. Made while the lock is taken.
    const folders = makeFolders(dirname(path), `storing ${key}`);
    folders.catch(() => undefined);
    // A small file's flush is short: the lock is taken and the index caught up while it runs (and
    // the hash finishes). A large one's is not, and other processes waiting for the lock should not
    // wait for it too.
    if (written.size > FLUSH_UNDER_LOCK_BYTES) await Promise.all([written.flushed, folders]);
    await core.index.transact(async (state) => {
      await folders;
      const old = state.objects.get(key);
      // With no local copy to replace, the file goes into place and its folder is flushed (under the
      // lock, while the file's own flush may still run: the disk does both at once) before its record
      // is journaled. A crash before the commit leaves a file no record names, which verify reports
      // as an orphan (as a crash after an upload leaves one in the bucket). A file that replaces a
      // local copy waits in the incoming folder until its record is committed: the old one stays
      // readable until then.
      const placing = old?.copies.local === undefined ? placeBeforeCommit(temp, path) : Promise.resolve(false);
      // Seen below; not an unhandled rejection while the flush is awaited.
      placing.catch(() => undefined);
      let sha256: string;
      try {
        [sha256] = await Promise.all([written.sha256, written.flushed]);
      } catch (error) {
        // The flush removed the incoming file; one already renamed is removed here.
        if (await placing.catch(() => false)) await rm(path, { force: true });
        throw error;
      }
      const placed = await placing;
      const record = withHistory(
        {
          key,
          version: randomUUID(),
          size: written.size,
          // The xxHash64, which only reads from the cloud check, is recorded with the upload.
          sha256,
          created: at,
          lastAccess: at,
          accessCount: 0,
          hits: 0,
          copies: { local: placed ? {} : { staged } },
          history: old?.history ?? [],
        },
        'stored',
        'local',
        at,
      );
      const ops: IndexOp[] = [{ t: 'put', r: record }];
      const stale = old && (old.copies.cloud || old.copies.archive) ? core.intent(key, { cloud: old.copies.cloud !== undefined, archive: old.copies.archive !== undefined }) : undefined;
      if (stale) ops.push({ t: 'intent', intent: stale });
      if (placed) {
        return {
          ops,
          result: record,
          // The append failed: the file goes back to the incoming folder, which the caller empties.
          alongsideCommit: () => Promise.resolve(() => rename(path, temp)),
        };
      }
      return {
        ops,
        result: record,
        // Under the lock, so no other process sees the record before its file is in place.
        afterCommit: async () => {
          await publishStaged(core, record, temp, path);
        },
      };
    });
  } catch (error) {
    await rm(temp, { force: true });
    throw error instanceof StorageError ? error : fileError(error, `storing ${key}`);
  }
  core.log.record({ at, key, bytes: written.size, op: 'write', tier: 'local', hit: false });
  core.emit({ keys: [key] });
  void runIntents(core).catch(() => undefined);
  if (core.config.writeThrough && core.cloud !== undefined) {
    await uploads.uploadOne(key, work);
  } else {
    uploads.wake();
  }
  return core.stat(key);
}

/**
 * Renames a new object's file to its name and makes the name durable; false when the rename failed
 * (it is then tried again after the commit, which reports why). When the name cannot be made
 * durable, the file goes back to `temp` and the error is thrown.
 */
async function placeBeforeCommit(temp: string, path: string): Promise<boolean> {
  try {
    await rename(temp, path);
  } catch {
    return false;
  }
  try {
    await syncFolder(dirname(path));
  } catch (error) {
    await rename(path, temp).catch(() => rm(path, { force: true }));
    throw error;
  }
  return true;
}

/** Files up to this size finish their flush to disk under the index lock (a few milliseconds at most). */
const FLUSH_UNDER_LOCK_BYTES = 4 * 1024 * 1024;

function storeToCloud(core: StorageCore, uploads: Uploader, key: string, source: StoreSource, size: number, work: WorkOptions, report: (done: number) => void, knownSha?: string): Promise<ObjectInfo> {
  const waiting = (): void => work.progress?.report({ message: `Storing ${key}: waiting for an earlier upload of it to finish`, done: 0, total: size, unit: 'bytes' });
  return uploads.inCloudWriteOrder(key, () => uploadAndRecord(core, key, source, size, work, report, knownSha), waiting);
}

/**
 * Contents up to this size are sent under the index lock (see sendUnderLock): sending one takes
 * about as long as the HEAD round trip that otherwise re-checks an upload under the lock.
 */
const SEND_UNDER_LOCK_BYTES = 1024 * 1024;

async function uploadAndRecord(core: StorageCore, key: string, source: StoreSource, size: number, work: WorkOptions, report: (done: number) => void, knownSha?: string): Promise<ObjectInfo> {
  const version = randomUUID();
  let record: ObjectRecord | undefined;
  if (size <= SEND_UNDER_LOCK_BYTES) {
    const bytes = await readSmall(source, size, key, work.signal);
    record = (await sendUnderLock(core, key, version, bytes, work, report, knownSha)) ?? (await sendThenCheck(core, key, version, bytes, size, work, report, knownSha));
  } else {
    record = await sendThenCheck(core, key, version, openSource(source), size, work, report, knownSha);
  }
  core.policy.remove(key);
  core.log.record({ at: record.created, key, bytes: record.size, op: 'write', tier: 'cloud', hit: false });
  core.emit({ keys: [key] });
  void runIntents(core).catch(() => undefined);
  return core.stat(key);
}

/**
 * The upload runs outside the lock, under a lease on the name that other processes' writers wait
 * for; under the lock, a HEAD then checks that the bucket holds this version with the ETag sent
 * (a writer that takes no leases may have landed on it) before the record is committed.
 */
async function sendThenCheck(core: StorageCore, key: string, version: string, content: Readable | Uint8Array, size: number, work: WorkOptions, report: (done: number) => void, knownSha?: string): Promise<ObjectRecord> {
  const lease = (await takeLease(core, 'cloud', key, () => true, leaseWait(key, size, work)))!;
  let digests: ContentDigests;
  try {
    ({ digests } = await send(core, key, version, content, size, work, report, knownSha));
  } catch (error) {
    await releaseLease(core, lease);
    throw error;
  }
  return commitLeased(core, lease, async (state) => {
    const etag = await core.verifyRemote('cloud', key, version, digests.etags, digests.size);
    return cloudRecord(core, state, key, version, digests, etag);
  });
}

/**
 * A small content is sent and answered while this process holds the index lock, and committed
 * before the lock is let go, once no other process holds a lease on the name (one that does is
 * waited for, outside the lock). Every other writer of the object's cloud name writes it only
 * under a lease taken under the lock, or under the lock itself, so nothing can land on this PUT
 * between its answer and its commit: the answer is as good as a HEAD after it, and the HEAD's
 * round trip is saved. Undefined when the PUT did not finish within the bound on network steps
 * under the lock: the content is then sent again the ordinary way.
 */
async function sendUnderLock(core: StorageCore, key: string, version: string, bytes: Uint8Array, work: WorkOptions, report: (done: number) => void, knownSha?: string): Promise<ObjectRecord | undefined> {
  // The bound starts once the lock is held (and no lease is waited for), not before.
  let bound: AbortSignal | undefined;
  try {
    return await whenUnleased(
      core,
      'cloud',
      key,
      async (state) => {
        bound = AbortSignal.timeout(LOCKED_CALL_MS);
        const signal = work.signal ? AbortSignal.any([work.signal, bound]) : bound;
        const { digests, etag } = await send(core, key, version, bytes, bytes.length, { ...work, signal }, report, knownSha);
        // A server that gave no ETag is asked for it, still under the lock.
        const checked = etag !== '' ? etag : await core.verifyRemote('cloud', key, version, digests.etags, digests.size);
        return cloudRecord(core, state, key, version, digests, checked);
      },
      leaseWait(key, bytes.length, work),
    );
  } catch (error) {
    if (bound?.aborted === true && !work.signal?.aborted) return undefined;
    throw error;
  }
}

/** Waiting for another process's write of the same name, said the way a wait for this process's own earlier upload is. */
function leaseWait(key: string, size: number, work: WorkOptions): LeaseWait {
  return {
    ...(work.signal ? { signal: work.signal } : {}),
    onWait: () => work.progress?.report({ message: `Storing ${key}: waiting for another process's write of it to finish`, done: 0, total: size, unit: 'bytes' }),
  };
}

/** Uploads the content and compares the server's ETag with the one computed from what was sent. */
async function send(core: StorageCore, key: string, version: string, content: Readable | Uint8Array, size: number, work: WorkOptions, report: (done: number) => void, knownSha?: string): Promise<{ digests: ContentDigests; etag: string }> {
  const cloud = core.requireCloud();
  let uploaded;
  try {
    uploaded = await cloud.upload('cloud', key, content, { version, size, ...(knownSha ? { sha256: knownSha } : {}), ...(work.signal ? { signal: work.signal } : {}), onBytes: report });
    core.setCloudState({ kind: 'connected' });
  } catch (error) {
    core.noteCloudFailure(error);
    throw error;
  }
  // Some servers (Ceph) leave the ETag of a completed multipart upload empty: the HEAD under the lock is the check.
  if (uploaded.etag !== '' && !etagMatches(uploaded.digests, uploaded.etag)) {
    throw new StorageError('checksum-mismatch', `The cloud tier answered ETag ${uploaded.etag} for ${key}, which does not match what was sent; the object was not stored.`);
  }
  return uploaded;
}

/** The record of a verified cloud copy, replacing the old one (whose other copies become stale). */
function cloudRecord(core: StorageCore, state: IndexState, key: string, version: string, digests: ContentDigests, etag: string): { ops: IndexOp[]; result: ObjectRecord } {
  const at = new Date().toISOString();
  const old = state.objects.get(key);
  const record = withHistory(
    {
      key,
      version,
      size: digests.size,
      sha256: digests.sha256,
      xxh64: digests.xxh64,
      ...(digests.md5 !== undefined ? { md5: digests.md5 } : {}),
      created: at,
      lastAccess: at,
      accessCount: 0,
      hits: 0,
      copies: { cloud: { etag, verifiedAt: at } },
      history: old?.history ?? [],
    },
    'stored',
    'cloud',
    at,
  );
  const ops: IndexOp[] = [{ t: 'put', r: record }];
  if (old && (old.copies.local || old.copies.archive)) ops.push({ t: 'intent', intent: core.intent(key, { local: old.copies.local !== undefined, archive: old.copies.archive !== undefined }) });
  return { ops, result: record };
}
