// The write-back uploader: the queue is the index itself (records with a local copy and no cloud
// copy), so it survives restarts by construction. A background loop drains it, backing off while
// the cloud fails; flushUploads drains it in the caller's process. Uploads of one key to its cloud
// name run in the order they started (inCloudWriteOrder), so an old version cannot land last;
// across processes, each upload holds a lease on the name while it writes (cloudLeases.ts).
import { createReadStream } from 'node:fs';
import { CancelledError, NO_PROGRESS, throwIfCancelled, type WorkOptions } from '../common';
import { commitLeased, leasedNow, leftoverOf, releaseLease, takeLease } from './cloudLeases';
import { evictForRoom } from './copies';
import { LOCKED_CALL_MS, type StorageCore } from './core';
import { StorageError, describeError } from './errors';
import { etagMatches } from './etags';
import type { IndexOp } from './indexStore';
import { runIntents } from './intents';
import { confinedPath } from './keys';
import { withHistory } from './records';
import { FILE_CHUNK } from './sources';
import type { ObjectRecord } from './types';

/**
 * What an upload found whose version was superseded or deleted meanwhile: its copy is deleted
 * ('removed'); or, when a writer that takes no leases recorded a newer cloud copy meanwhile and the
 * upload landed on it, that copy is uploaded again from the local one, left to the archive copy, or lost.
 */
type Overwrite = 'removed' | 'requeued' | 'archive-remains' | 'lost';

/** Whether `record` is still version `version` waiting for its cloud copy. */
function stillQueued(record: ObjectRecord | undefined, version: string): boolean {
  return record?.version === version && record.copies.local !== undefined && record.copies.cloud === undefined;
}



/** Tries at an upload whose copy in the bucket could not be verified, before it stays queued. */
const UNVERIFIED_ATTEMPTS = 3;
/** What a flush of the write-back queue did; each failed key keeps its reason, as it stays queued. */
export interface FlushResult {
  readonly uploaded: number;
  readonly failed: number;
  readonly failures: readonly { readonly key: string; readonly reason: string }[];
}

export class Uploader {
  private uploaderWake: (() => void) | undefined;
  private uploaderDone: Promise<void> = Promise.resolve();
  private readonly failedUploads = new Map<string, number>();
  /** Per key, the end of the last upload to its cloud name started here: each waits for the one before (see inCloudWriteOrder). */
  private readonly cloudWrites = new Map<string, Promise<unknown>>();
  private uploaderStarted = false;

  constructor(private readonly core: StorageCore) {}

  /** Whether the background loop runs (a long-lived server with a cloud tier). */
  get started(): boolean {
    return this.uploaderStarted;
  }

  /** Starts the background loop; it runs until the core is closed (then wake() it and await stopped()). */
  start(): void {
    this.uploaderStarted = true;
    this.uploaderDone = this.uploadLoop();
  }

  /** Makes the background loop look at the queue now (a new object, a new cloud tier, another process's change). */
  wake(): void {
    this.uploaderWake?.();
  }

  /** Resolves once the background loop has returned; an upload in flight then stays queued. */
  stopped(): Promise<void> {
    return this.uploaderDone;
  }

  /** Forgets which keys failed: a new cloud tier may take them. */
  forgetFailures(): void {
    this.failedUploads.clear();
  }

  /** Uploads every queued object now, in this process (a CLI `sync`, write-through, an apply). */
  async flushUploads(work: WorkOptions = {}): Promise<FlushResult> {
    if (this.core.cloud === undefined) return { uploaded: 0, failed: 0, failures: [] };
    await this.core.index.refresh();
    const keys = this.core.pendingUploads();
    let uploaded = 0;
    let failed = 0;
    const failures: { key: string; reason: string }[] = [];
    for (const [index, key] of keys.entries()) {
      throwIfCancelled(work.signal, 'Uploading');
      work.progress?.report({ message: `Uploading ${key}`, done: index, total: keys.length, unit: 'items' });
      try {
        await this.uploadOne(key, { ...(work.signal ? { signal: work.signal } : {}) });
        uploaded += 1;
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        failed += 1;
        failures.push({ key, reason: error instanceof Error ? error.message : String(error) });
        if (error instanceof StorageError && error.code === 'cloud-unavailable') throw error;
      }
    }
    return { uploaded, failed, failures };
  }

  /**
   * Runs `write` (an upload to the key's cloud name and its commit) after every earlier one of the
   * same key started in this process. An upload lands in the bucket when the server finishes it,
   * not when it started: without this order, a write-back upload of an old version that is slow to
   * finish could land on top of a newer version stored straight to the cloud meanwhile, and the
   * index would claim bytes the bucket no longer holds.
   */
  inCloudWriteOrder<T>(key: string, write: () => Promise<T>, onWait?: () => void): Promise<T> {
    const before = this.cloudWrites.get(key) ?? Promise.resolve();
    if (this.cloudWrites.has(key)) onWait?.();
    const mine = before.then(write, write);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.cloudWrites.set(key, settled);
    void settled.then(() => {
      if (this.cloudWrites.get(key) === settled) this.cloudWrites.delete(key);
    });
    return mine;
  }

  /** Uploads the local copy of `key`, then records the cloud copy once verified under the lock. */
  uploadOne(key: string, work: WorkOptions = {}): Promise<void> {
    return this.inCloudWriteOrder(key, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const unverified = await this.uploadLocalCopy(key, work);
        if (unverified === undefined) return;
        if (attempt === UNVERIFIED_ATTEMPTS) throw unverified;
      }
    });
  }

  /**
   * One upload of the local copy and its commit. Answers the error when the copy in the bucket
   * could not be verified under the lock: another process writing the same name at that moment (its
   * own upload of this version, or a newer one) can show a half-written answer on servers whose
   * writes are not atomic, and the next attempt first reads whether that process recorded it.
   */
  private async uploadLocalCopy(key: string, work: WorkOptions): Promise<StorageError | undefined> {
    const cloud = this.core.requireCloud();
    // Another process may have stored a newer version since the queue picked this key.
    await this.core.index.refresh();
    const record = this.core.index.state.objects.get(key);
    if (record === undefined) return;
    if (record.copies.cloud || !record.copies.local) return;
    const path = await confinedPath(this.core.localRoot, key);
    const progress = work.progress ?? NO_PROGRESS;
    // Another process's write of this name is waited for; the lease then keeps the name this upload's until its commit.
    const lease = await takeLease(this.core, 'cloud', key, (state) => stillQueued(state.objects.get(key), record.version), {
      ...(work.signal ? { signal: work.signal } : {}),
      onWait: () => progress.report({ message: `Uploading ${key}: waiting for another process's write of it to finish`, done: 0, total: record.size, unit: 'bytes' }),
    });
    if (lease === undefined) return;
    // Whatever ends this upload before its commit ends its lease too.
    const failed = async <E>(error: E): Promise<E> => {
      await releaseLease(this.core, lease);
      return error;
    };
    let uploaded;
    try {
      uploaded = await cloud.upload('cloud', key, createReadStream(path, { highWaterMark: FILE_CHUNK }), {
        version: record.version,
        sha256: record.sha256,
        size: record.size,
        ...(work.signal ? { signal: work.signal } : {}),
        onBytes: (done) => progress.report({ message: `Uploading ${key}`, done, total: record.size, unit: 'bytes' }),
      });
      this.core.setCloudState({ kind: 'connected' });
    } catch (error) {
      this.core.noteCloudFailure(error);
      throw await failed(error);
    }
    const { digests } = uploaded;
    if (digests.sha256 !== record.sha256) {
      throw await failed(new StorageError('checksum-mismatch', `The local copy of ${key} no longer matches its checksum; it was not uploaded. Run "neurolake storage verify".`));
    }
    if (uploaded.etag !== '' && !etagMatches(digests, uploaded.etag)) {
      throw await failed(new StorageError('checksum-mismatch', `The cloud tier answered ETag ${uploaded.etag} for ${key}, not the content's; the upload will be retried.`));
    }
    const at = new Date().toISOString();
    let unverified: StorageError | undefined;
    const overwritten = await commitLeased<Overwrite | undefined>(this.core, lease, async (state) => {
      const current = state.objects.get(key);
      if (current === undefined || current.version !== record.version) {
        // Deleted or stored anew meanwhile. No one else wrote this name while the lease was held, so
        // the bucket holds this upload's bytes, which no record needs: they are deleted.
        if (current?.copies.cloud === undefined) return { ops: [leftoverOf(this.core, lease)], result: 'removed' };
        // A cloud copy recorded meanwhile was written by a process that takes no leases (an older NeuroLake).
        return this.overwrittenBy(record.version, current);
      }
      if (current.copies.cloud) return { ops: [], result: undefined };
      let etag: string;
      try {
        etag = await this.core.verifyRemote('cloud', key, record.version, digests.etags, record.size);
      } catch (error) {
        if (!(error instanceof StorageError) || error.code !== 'checksum-mismatch') throw error;
        unverified = error;
        return { ops: [], result: undefined };
      }
      const { md5: _earlier, ...rest } = current;
      // The xxHash64 of the bytes sent (their SHA-256 was the record's), which reads from the cloud check.
      const next = withHistory({ ...rest, xxh64: digests.xxh64, ...(digests.md5 !== undefined ? { md5: digests.md5 } : {}), copies: { ...current.copies, cloud: { etag, verifiedAt: at } } }, 'uploaded', 'cloud', at);
      return { ops: [{ t: 'put', r: next }], result: undefined };
    });
    if (unverified !== undefined) return unverified;
    this.failedUploads.delete(key);
    if (overwritten === 'removed') {
      await runIntents(this.core);
      const left = [...this.core.index.state.intents.values()].some((intent) => intent.key === key && intent.cloud === true);
      this.core.warn(`An upload of ${key} finished after ${key} was deleted or stored anew; the copy it made in the bucket ${left ? 'is deleted once the cloud tier allows' : 'was deleted'}.`);
      this.core.emit({ keys: [key] });
      return;
    }
    if (overwritten === 'lost') {
      throw new StorageError('checksum-mismatch', `An upload of an older version of ${key} landed on top of the newer version another process had stored only in the cloud; the bucket holds the older bytes, so store ${key} again.`);
    }
    if (overwritten !== undefined) {
      const then = overwritten === 'requeued' ? 'the newer version is uploaded again from its local copy' : 'the newer version is kept by its archive copy';
      this.core.warn(`An upload of an older version of ${key} landed on top of the newer version's cloud copy; ${then}.`);
      this.core.emit({ keys: [key] });
      this.uploaderWake?.();
      return;
    }
    this.core.policy.setPinned(key, false);
    this.core.emit({ keys: [key] });
  }

  /**
   * Under the lock, after an upload of version `uploaded` finished while the record moved on to
   * `current`: if the bucket now holds the uploaded (older) version where the record claims a
   * cloud copy of the newer one, that copy was overwritten by an upload that started earlier (in
   * another process: this one orders its uploads of a key). When the newer version has another
   * copy the claim is dropped, so a local copy is queued for upload again and reads go to an
   * archive copy; with none, the claim stays (reads and verify report the mismatch) and the loss
   * is reported.
   */
  private async overwrittenBy(uploaded: string, current: ObjectRecord | undefined): Promise<{ ops: IndexOp[]; result: Overwrite | undefined }> {
    if (current?.copies.cloud === undefined) return { ops: [], result: undefined };
    const head = await this.core.requireCloud().head('cloud', current.key, AbortSignal.timeout(LOCKED_CALL_MS));
    if (head?.version !== uploaded) return { ops: [], result: undefined };
    if (!current.copies.local && !current.copies.archive) return { ops: [], result: 'lost' };
    const { cloud: _overwritten, ...copies } = current.copies;
    return { ops: [{ t: 'put', r: { ...current, copies } }], result: copies.local ? 'requeued' : 'archive-remains' };
  }

  /** The write-back queue: uploads objects without a cloud copy, backing off while the cloud fails. */
  private async uploadLoop(): Promise<void> {
    const retry = this.core.options.uploadRetryMs ?? { min: 1000, max: 60_000 };
    let backoff = retry.min;
    while (!this.core.closed) {
      const due = this.core.pendingUploads().filter((key) => (this.failedUploads.get(key) ?? 0) <= Date.now());
      // A key another process is uploading is left to it: two uploaders on one folder share the queue.
      const next = due.find((key) => !leasedNow(this.core.index.state, 'cloud', key));
      if (next === undefined) {
        await this.sleepUntilWoken(this.failedUploads.size > 0 || due.length > 0 ? retry.max : undefined);
        continue;
      }
      try {
        await this.uploadOne(next, { signal: this.core.closing.signal });
        backoff = retry.min;
        await evictForRoom(this.core);
      } catch (error) {
        if (this.core.closed) return;
        if (error instanceof StorageError && error.code === 'cloud-unavailable') {
          await this.sleepUntilWoken(backoff);
          backoff = Math.min(retry.max, backoff * 2);
        } else {
          // This object alone failed (its file changed, the bucket answered oddly): try it again later.
          this.failedUploads.set(next, Date.now() + retry.max);
          this.core.warn(`Uploading ${next} failed: ${describeError(error)}`);
        }
      }
    }
  }

  private sleepUntilWoken(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.uploaderWake = () => {
        this.uploaderWake = undefined;
        done();
      };
    });
  }
}
