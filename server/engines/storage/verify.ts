// Verify: recomputes local checksums and checks every cloud and archive copy against the index,
// and lists files and bucket objects no index entry accounts for. It reports; it never deletes.
import { sep } from 'node:path';
import { CancelledError, throwIfCancelled, type WorkOptions } from '../common';
import type { StorageCore } from './core';
import { describeError } from './errors';
import { INCOMING_FOLDER, confinedPath } from './keys';
import { hashContent, walkFiles, type ContentHashes } from './sources';
import type { ObjectRecord, VerifyProblem, VerifyReport } from './types';

/**
 * Recomputes local checksums, checks every cloud and archive copy's ETag, version and size (with
 * `deep`, downloads and hashes cloud copies), and lists files and bucket objects no index entry
 * accounts for. Reports; never deletes.
 */
export async function verify(core: StorageCore, work: WorkOptions & { prefix?: string; deep?: boolean } = {}): Promise<VerifyReport> {
  core.assertOpen();
  await core.index.refresh();
  const prefix = work.prefix ?? '';
  const keys = core.index.keys().filter((key) => key.startsWith(prefix));
  const problems: VerifyProblem[] = [];
  for (const [position, key] of keys.entries()) {
    throwIfCancelled(work.signal, 'Verifying');
    work.progress?.report({ message: `Verifying ${key}`, done: position, total: keys.length, unit: 'items' });
    const record = core.index.state.objects.get(key);
    if (record === undefined) continue;
    if (record.copies.local) {
      try {
        const actual = await hashContent(await confinedPath(core.localRoot, key));
        const differs = hashesDiffer(record, actual);
        if (differs === 'checksum differs') problems.push({ key, tier: 'local', problem: `checksum differs (recorded ${record.sha256.slice(0, 12)}…, file ${actual.sha256.slice(0, 12)}…)` });
        else if (differs) problems.push({ key, tier: 'local', problem: differs });
      } catch (error) {
        problems.push({ key, tier: 'local', problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file is missing' : describeError(error) });
      }
    }
    for (const place of ['cloud', 'archive'] as const) {
      const copy = record.copies[place];
      if (copy === undefined || core.cloud === undefined) continue;
      try {
        const head = await core.cloud.head(place, key, work.signal);
        if (head === undefined) problems.push({ key, tier: place, problem: 'the object is missing from the bucket' });
        else if (head.version !== record.version) problems.push({ key, tier: place, problem: 'the bucket holds another version' });
        else if (head.size !== record.size || head.etag !== copy.etag) problems.push({ key, tier: place, problem: `size or ETag differs (${head.size} bytes, ETag ${head.etag})` });
        else if (work.deep === true && place === 'cloud') {
          const differs = hashesDiffer(record, await hashContent(await core.cloud.get('cloud', key, work.signal)));
          if (differs) problems.push({ key, tier: place, problem: differs });
        }
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        problems.push({ key, tier: place, problem: describeError(error) });
      }
    }
  }
  const orphans = prefix === '' ? await findOrphans(core, work.signal) : [];
  return { checked: keys.length, problems, orphans };
}

async function findOrphans(core: StorageCore, signal?: AbortSignal): Promise<string[]> {
  const orphans: string[] = [];
  const objects = core.index.state.objects;
  for (const file of await walkFiles(core.localRoot)) {
    const key = file.split(sep).join('/');
    if (key.startsWith(`${INCOMING_FOLDER}/`)) continue;
    if (!objects.get(key)?.copies.local) orphans.push(`local:${key}`);
  }
  if (core.cloud !== undefined) {
    for (const place of ['cloud', 'archive'] as const) {
      try {
        for await (const key of core.cloud.listKeys(place, signal)) {
          const record = objects.get(key);
          // A cloud object of a record still waiting for its upload is the queue's business, not an orphan.
          if (record?.copies[place] === undefined && !(place === 'cloud' && record?.copies.local)) orphans.push(`${place}:${key}`);
        }
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        core.noteCloudFailure(error);
        break;
      }
    }
  }
  return orphans;
}

/**
 * What is wrong when a content's hashes are not the record's. A matching SHA-256 with another
 * xxHash64 means the record's xxHash64 is wrong: every read from the cloud would then fail.
 */
function hashesDiffer(record: ObjectRecord, actual: ContentHashes): 'checksum differs' | 'the recorded xxh64 differs' | undefined {
  if (actual.sha256 !== record.sha256) return 'checksum differs';
  if (record.xxh64 !== undefined && actual.xxh64 !== record.xxh64) return 'the recorded xxh64 differs';
  return undefined;
}
