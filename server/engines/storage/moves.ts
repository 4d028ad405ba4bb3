// Moves between tiers, each copy -> verify -> commit the index -> delete the source, the deletion
// journaled as an intent with the commit: promote (keep a local copy), demote (drop it once a
// cloud copy is verified), archive, restore from the archive, and delete every copy.
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { NO_PROGRESS, throwIfCancelled, type WorkOptions } from '../common';
import type { Place } from './cloudTier';
import { commitLeased, leftoverOf, releaseLease, takeLease, type LeaseWait } from './cloudLeases';
import { commitLocalCopy, evictForRoom, evictLocal } from './copies';
import { human, type StorageCore } from './core';
import { streamToFile } from './durable';
import { StorageError } from './errors';
import { runIntents } from './intents';
import { validateKey } from './keys';
import type { RestoreOutcome } from './options';
import { withHistory } from './records';
import { restoringError, type Restores } from './restores';
import type { ObjectInfo, TierName } from './types';
import type { Uploader } from './uploader';

/** Deletes the object and every copy of it. */
export async function deleteObject(core: StorageCore, key: string): Promise<{ key: string; copies: TierName[] }> {
  core.assertOpen();
  validateKey(key);
  const copies = await core.index.transact((state) => {
    const record = state.objects.get(key);
    if (record === undefined) throw new StorageError('not-found', `No object ${key} in storage.`);
    const intent = core.intent(key, { local: record.copies.local !== undefined, cloud: record.copies.cloud !== undefined, archive: record.copies.archive !== undefined });
    return { ops: [{ t: 'del', key }, { t: 'intent', intent }], result: [...(record.copies.local ? ['local' as const] : []), ...(record.copies.cloud ? ['cloud' as const] : []), ...(record.copies.archive ? ['archive' as const] : [])] };
  });
  core.policy.remove(key);
  core.emit({ keys: [key] });
  await runIntents(core);
  return { key, copies };
}

/** Keeps a local copy (downloaded and checked); the cloud copy stays as the backup. */
export async function promote(core: StorageCore, restores: Restores, key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
  core.assertOpen();
  await core.index.refresh();
  const record = core.record(key);
  if (record.copies.local) return core.stat(key);
  const place: Place = record.copies.cloud ? 'cloud' : 'archive';
  const cloud = core.requireCloud();
  if (core.index.localBytes + record.size > core.capacityBytes()) {
    // Make room as a store would: drop least recently used objects that have a verified cloud copy.
    core.syncPolicy();
    const outcome = core.policy.store(key, record.size, Date.now());
    await evictForRoom(core, outcome.evicted, key);
    if (!outcome.admitted) core.policy.remove(key);
  }
  if (core.index.localBytes + record.size > core.capacityBytes()) {
    throw new StorageError('no-space', `The local tier has no room for ${key} (${human(record.size)}; ${human(core.index.localBytes)} of ${human(core.capacityBytes())} used by objects that cannot be evicted yet).`);
  }
  if (record.restoring !== undefined) throw restoringError(key, record.restoring.expectedAt);
  let body: Readable;
  try {
    body = await cloud.get(place, key, work.signal);
  } catch (error) {
    if (error instanceof StorageError && error.code === 'restoring') throw restoringError(key, await restores.startRestore(key, false));
    core.noteCloudFailure(error);
    throw error;
  }
  const temp = core.incomingPath();
  const progress = work.progress ?? NO_PROGRESS;
  const written = await streamToFile(body, temp, {
    ...(work.signal ? { signal: work.signal } : {}),
    onBytes: (done) => progress.report({ message: `Promoting ${key}`, done, total: record.size, unit: 'bytes' }),
  });
  if (written.sha256 !== record.sha256) {
    await rm(temp, { force: true });
    throw new StorageError('checksum-mismatch', `The ${place} copy of ${key} does not match its checksum; it was not promoted. Run "neurolake storage verify".`);
  }
  try {
    await commitLocalCopy(core, key, record.version, temp, 'promoted');
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const outcome = core.policy.store(key, record.size, Date.now());
  await evictForRoom(core, outcome.evicted, key);
  return core.stat(key);
}

/** Makes sure a verified cloud copy exists (uploading if needed), then drops the local copy. */
export async function demote(core: StorageCore, uploads: Uploader, key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
  core.assertOpen();
  await core.index.refresh();
  let record = core.record(key);
  core.requireCloud();
  if (!record.copies.local) return core.stat(key);
  if (!record.copies.cloud) await uploads.uploadOne(key, work);
  record = core.record(key);
  if (!record.copies.cloud) throw new StorageError('cloud-unavailable', `${key} could not be copied to the cloud tier; it stays local.`);
  if (!(await evictLocal(core, key, 'demoted'))) {
    // The bucket no longer holds the copy the index recorded: upload it again, then drop the local one.
    await uploads.uploadOne(key, work);
    if (!(await evictLocal(core, key, 'demoted'))) throw new StorageError('checksum-mismatch', `The cloud copy of ${key} could not be verified; it stays local.`);
  }
  return core.stat(key);
}

/** Moves the object to the archive storage class; local and cloud copies go once the archive copy is verified. */
export async function archive(core: StorageCore, uploads: Uploader, key: string, work: WorkOptions = {}): Promise<ObjectInfo> {
  core.assertOpen();
  await core.index.refresh();
  const cloud = core.requireCloud();
  let record = core.record(key);
  if (record.copies.archive && !record.copies.cloud && !record.copies.local) return core.stat(key);
  if (!record.copies.cloud && !record.copies.archive) await uploads.uploadOne(key, work);
  record = core.record(key);
  const storageClass = core.config.archive.storageClass;
  if (!record.copies.archive) {
    if (!record.copies.cloud) throw new StorageError('cloud-unavailable', `${key} could not be copied to the cloud tier, so it was not archived.`);
    const cloudCopy = record.copies.cloud;
    // The archive name is this copy's alone until its commit: another process's archive copy of the key waits.
    const lease = await takeLease(core, 'archive', key, (state) => state.objects.get(key)?.version === record.version && !state.objects.get(key)?.copies.archive, leaseWait(`Archiving ${key}`, work));
    if (lease === undefined) {
      // Archived by another process meanwhile, or changed.
      if (core.index.state.objects.get(key)?.version === record.version) return core.stat(key);
      throw changedWhile(key, 'archived');
    }
    let etag: string;
    try {
      etag = await cloud.copy('cloud', 'archive', key, record.version, storageClass, record.size, cloudCopy.etag, work.signal);
      core.setCloudState({ kind: 'connected' });
      throwIfCancelled(work.signal, `Archiving ${key}`);
    } catch (error) {
      core.noteCloudFailure(error);
      await releaseLease(core, lease);
      throw error;
    }
    const accepted = [...(record.md5 ? [record.md5] : []), cloudCopy.etag];
    const at = new Date().toISOString();
    const changed = await commitLeased(core, lease, async (state) => {
      const current = state.objects.get(key);
      // Stored anew or deleted meanwhile: the archive name holds this copy, which no record needs.
      if (current?.version !== record.version) return { ops: current?.copies.archive ? [] : [leftoverOf(core, lease)], result: true };
      // An empty ETag (Ceph, after a part-by-part copy) is checked by the HEAD below instead.
      if (etag !== '' && !accepted.includes(etag)) throw new StorageError('checksum-mismatch', `The archive copy of ${key} has ETag ${etag}, not the content's; ${key} was not archived.`);
      etag = await core.verifyRemote('archive', key, record.version, accepted, record.size);
      const next = withHistory({ ...current, copies: { archive: { etag, verifiedAt: at, storageClass } } }, 'archived', 'archive', at);
      return { ops: [{ t: 'put', r: next }, { t: 'intent', intent: core.intent(key, { local: current.copies.local !== undefined, cloud: true }) }], result: false };
    });
    if (changed) {
      await runIntents(core);
      throw changedWhile(key, 'archived');
    }
  }
  core.policy.remove(key);
  core.emit({ keys: [key] });
  await runIntents(core);
  return core.stat(key);
}

/**
 * Brings an archived object back to the cloud tier. When the archive must thaw it first, the
 * restore is requested and the object marked "restoring"; it moves once readable.
 */
export async function restore(core: StorageCore, restores: Restores, key: string, work: WorkOptions = {}): Promise<RestoreOutcome> {
  core.assertOpen();
  await core.index.refresh();
  const cloud = core.requireCloud();
  const record = core.record(key);
  if (!record.copies.archive || record.copies.cloud) return { key, state: 'restored' };
  if (record.restoring !== undefined) {
    await restores.pollRestore(key);
    const now = core.record(key);
    if (now.restoring !== undefined) return { key, state: 'restoring', expectedAt: now.restoring.expectedAt };
    if (now.copies.cloud) return { key, state: 'restored' };
  }
  // The cloud name is this copy's alone until its commit: a store of a newer version meanwhile waits for it.
  const lease = await takeLease(core, 'cloud', key, (state) => state.objects.get(key)?.version === record.version && !state.objects.get(key)?.copies.cloud, leaseWait(`Restoring ${key}`, work));
  if (lease === undefined) {
    if (core.index.state.objects.get(key)?.version === record.version) return { key, state: 'restored' };
    throw changedWhile(key, 'restored');
  }
  let etag: string;
  try {
    etag = await cloud.copy('archive', 'cloud', key, record.version, 'STANDARD', record.size, record.copies.archive.etag, work.signal);
    core.setCloudState({ kind: 'connected' });
  } catch (error) {
    await releaseLease(core, lease);
    if (error instanceof StorageError && error.code === 'restoring') return { key, state: 'restoring', expectedAt: await restores.startRestore(key, true) };
    core.noteCloudFailure(error);
    throw error;
  }
  const accepted = [...(record.md5 ? [record.md5] : []), record.copies.archive.etag];
  const at = new Date().toISOString();
  const changed = await commitLeased(core, lease, async (state) => {
    const current = state.objects.get(key);
    // Stored anew or deleted meanwhile: the cloud name holds this copy, which no record needs.
    if (current?.version !== record.version) return { ops: current?.copies.cloud ? [] : [leftoverOf(core, lease)], result: true };
    if (etag !== '' && !accepted.includes(etag)) throw new StorageError('checksum-mismatch', `The restored copy of ${key} has ETag ${etag}, not the content's; the archive copy was kept.`);
    etag = await core.verifyRemote('cloud', key, record.version, accepted, record.size);
    const { restoring: _restoring, ...rest } = current;
    const next = withHistory({ ...rest, copies: { ...(current.copies.local ? { local: current.copies.local } : {}), cloud: { etag, verifiedAt: at } } }, 'restored', 'cloud', at);
    return { ops: [{ t: 'put', r: next }, { t: 'intent', intent: core.intent(key, { archive: true }) }], result: false };
  });
  if (changed) {
    await runIntents(core);
    throw changedWhile(key, 'restored');
  }
  core.emit({ keys: [key] });
  await runIntents(core);
  return { key, state: 'restored' };
}

function changedWhile(key: string, moved: 'archived' | 'restored'): StorageError {
  return new StorageError('not-found', `${key} changed while it was being ${moved}; nothing was removed.`);
}

function leaseWait(what: string, work: WorkOptions): LeaseWait {
  return {
    ...(work.signal ? { signal: work.signal } : {}),
    onWait: () => work.progress?.report({ message: `${what}: waiting for another process's write of it to finish` }),
  };
}
