// The local tier's copies as the index records them: dropping one only once the cloud copy is
// verified again under the lock (evictLocal, evictForRoom), and putting one in place through a
// journaled staging file renamed under the lock (commitLocalCopy, publishStaged, finishStaged).
import { rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { StorageCore } from './core';
import { makeFolders, moveIntoPlace } from './durable';
import { StorageError, describeError } from './errors';
import { confinedPath } from './keys';
import { withHistory } from './records';
import type { ObjectRecord } from './types';

/** Drops the local copy of `key`, only after its cloud copy is verified again under the lock. */
export async function evictLocal(core: StorageCore, key: string, event: 'demoted' | 'evicted'): Promise<boolean> {
  const path = await confinedPath(core.localRoot, key);
  const evicted = await core.index.transact<string | false>(async (state) => {
    const current = state.objects.get(key);
    if (current?.copies.local === undefined) return { ops: [], result: false as const };
    if (current.copies.cloud === undefined) return { ops: [], result: false as const };
    try {
      await core.verifyRemote('cloud', key, current.version, [current.copies.cloud.etag], current.size);
    } catch (error) {
      if (error instanceof StorageError && error.code === 'checksum-mismatch') {
        // The bucket lost or replaced the copy: queue a new upload, keep the local one.
        const { cloud: _gone, ...copies } = current.copies;
        return { ops: [{ t: 'put', r: { ...current, copies } }], result: false as const };
      }
      throw error;
    }
    const { local: _local, ...copies } = current.copies;
    const next = withHistory({ ...current, copies }, event, 'cloud');
    const intent = core.intent(key, { local: true });
    return {
      ops: [{ t: 'put', r: next }, { t: 'intent', intent }],
      result: intent.id,
      // Under the lock: another process may be about to put a new local copy of this key in place.
      afterCommit: () => rm(path, { force: true }),
    };
  });
  if (evicted !== false) {
    await core.index.transact(() => ({ ops: [{ t: 'done', id: evicted }], result: undefined }), false).catch(() => undefined);
    core.policy.remove(key);
    core.emit({ keys: [key] });
  }
  return evicted !== false;
}

/**
 * Carries out evictions the policy decided (`evicted`), then any needed to bring the local tier
 * back under its watermark. An object without a verified cloud copy is never dropped: it stays
 * resident (pinned) until its upload is verified.
 */
export async function evictForRoom(core: StorageCore, evicted: readonly string[] = [], keep?: string): Promise<void> {
  const budget = core.policyBudget();
  const victims = [...evicted];
  if (core.index.localBytes > budget) victims.push(...core.policy.resize(budget));
  for (const key of victims) {
    if (key === keep) continue;
    const record = core.index.state.objects.get(key);
    if (record?.copies.local === undefined) continue;
    if (core.cloud === undefined || record.copies.cloud === undefined) {
      core.policy.setPinned(key, true);
      core.policy.store(key, record.size, Date.parse(record.lastAccess));
      continue;
    }
    await evictLocal(core, key, 'evicted').catch((error: unknown) => core.warn(`Could not evict ${key}: ${describeError(error)}`));
  }
}

/** Journals a local copy of the current version (downloaded to `temp`) and moves it into place. */
export async function commitLocalCopy(core: StorageCore, key: string, version: string, temp: string, event: 'promoted'): Promise<void> {
  const path = await confinedPath(core.localRoot, key);
  const staged = relative(core.localRoot, temp);
  await makeFolders(dirname(path), `keeping a local copy of ${key}`);
  await core.index.transact((state) => {
    const current = state.objects.get(key);
    if (current === undefined || current.version !== version) throw new StorageError('not-found', `${key} changed while it was being copied; the copy was dropped.`);
    if (current.copies.local) return { ops: [], result: undefined, afterCommit: () => rm(temp, { force: true }) };
    const next = withHistory({ ...current, copies: { ...current.copies, local: { staged } } }, event, 'local');
    return { ops: [{ t: 'put', r: next }], result: undefined, afterCommit: () => publishStaged(core, next, temp, path) };
  });
  core.emit({ keys: [key] });
}

/** Renames a staged file into place (under the lock) and forgets the staging in memory. */
export async function publishStaged(core: StorageCore, record: ObjectRecord, temp: string, path: string): Promise<void> {
  await moveIntoPlace(temp, path);
  core.index.patchInMemory({ ...record, copies: { ...record.copies, local: {} } });
}

/**
 * Finishes renames a crashed writer journaled but did not carry out (its staged file is still in
 * the incoming folder). Runs under the lock, where no live writer is between commit and rename.
 */
export async function finishStaged(core: StorageCore, keys?: readonly string[]): Promise<void> {
  const records = keys === undefined ? [...core.index.state.objects.values()] : keys.map((key) => core.index.state.objects.get(key)).filter((record) => record !== undefined);
  for (const record of records) {
    const staged = record.copies.local?.staged;
    if (staged === undefined) continue;
    const temp = join(core.localRoot, staged);
    const path = await confinedPath(core.localRoot, record.key);
    try {
      await publishStaged(core, record, temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Already renamed by its writer.
      core.index.patchInMemory({ ...record, copies: { ...record.copies, local: {} } });
    }
  }
}
