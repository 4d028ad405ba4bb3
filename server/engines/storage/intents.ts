// Journaled deletions of stale copies (intents), carried out after each commit and again on open,
// and the reconcile that opening runs to finish what a crashed process left half done.
import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { processAlive } from '../common';
import { deadLeaseReleases, intentLeased, waitUntilFree, type CloudLease } from './cloudLeases';
import { finishStaged } from './copies';
import { LOCKED_CALL_MS, type StorageCore } from './core';
import { StorageError, describeError } from './errors';
import type { IndexOp } from './indexStore';
import { INCOMING_FOLDER, confinedPath } from './keys';
import { withHistory } from './records';
import { hashContent, walkFiles } from './sources';
import type { ObjectRecord } from './types';

/**
 * Carries out journaled deletions of stale copies, skipping any copy the current record claims
 * again. A deletion of a name another writer holds a lease on waits for that write, in the
 * background: the write may be the one a later record claims.
 */
export async function runIntents(core: StorageCore): Promise<void> {
  for (const intent of [...core.index.state.intents.values()]) {
    if (core.closed) return;
    await core.index.transact(async (state) => {
      if (!state.intents.has(intent.id)) return { ops: [], result: undefined };
      const leased = intentLeased(state, intent);
      if (leased !== undefined) {
        runAfterLease(core, leased);
        return { ops: [], result: undefined };
      }
      const record = state.objects.get(intent.key);
      if (intent.local && !record?.copies.local) await rm(await confinedPath(core.localRoot, intent.key), { force: true });
      for (const place of ['cloud', 'archive'] as const) {
        if (!intent[place] || record?.copies[place]) continue;
        if (core.cloud === undefined) continue;
        try {
          await core.cloud.delete(place, intent.key, AbortSignal.timeout(LOCKED_CALL_MS));
        } catch (error) {
          if (!(error instanceof StorageError && error.code === 'not-found')) {
            core.noteCloudFailure(error);
            // Kept for the next reconcile.
            return { ops: [], result: undefined };
          }
        }
      }
      return { ops: [{ t: 'done', id: intent.id }], result: undefined };
    }, false);
  }
}

/** Leases whose end a runIntents waits for, so many deletions of one name share one waiter. */
const awaitedLeases = new Set<string>();

function runAfterLease(core: StorageCore, lease: CloudLease): void {
  if (awaitedLeases.has(lease.id)) return;
  awaitedLeases.add(lease.id);
  void waitUntilFree(core, lease.place, lease.key, core.closing.signal)
    .then(() => runIntents(core))
    .catch(() => undefined)
    .finally(() => awaitedLeases.delete(lease.id));
}

/**
 * After a crash: finishes journaled renames, removes temp files of writers that are gone
 * (never acknowledged), and carries out pending deletions. Uploads need no re-queueing: the
 * queue is the index.
 */
export async function reconcile(core: StorageCore): Promise<void> {
  if (core.index.takeDamaged()) await readoptLocalFiles(core);
  await core.index.transact(async (state) => {
    await finishStaged(core);
    const staged = new Set<string>();
    for (const record of core.index.state.objects.values()) if (record.copies.local?.staged) staged.add(record.copies.local.staged);
    const incoming = join(core.localRoot, INCOMING_FOLDER);
    for (const name of await readdir(incoming).catch(() => [] as string[])) {
      const pid = Number(name.split('-')[0]);
      if (staged.has(join(INCOMING_FOLDER, name)) || (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) || pid === process.pid) continue;
      await rm(join(incoming, name), { force: true });
    }
    // Leases of processes that are gone (killed mid-upload): their writes were cut off with them.
    return { ops: deadLeaseReleases(state), result: undefined };
  }, false);
  const local = core.index.state.intents.size > 0 && [...core.index.state.intents.values()].every((intent) => !intent.cloud && !intent.archive);
  // Deletions in the bucket need the network: do them now only when cheap, else in the background.
  if (local || core.cloud === undefined) await runIntents(core);
  else void runIntents(core).catch(() => undefined);
}

/** After a damaged index was set aside: the local tier's files it no longer lists become objects again, hashed anew. */
async function readoptLocalFiles(core: StorageCore): Promise<void> {
  const keys = (await walkFiles(core.localRoot)).map((file) => file.split(sep).join('/')).filter((key) => !key.startsWith(`${INCOMING_FOLDER}/`));
  const added = await core.index.transact(async (state) => {
    const at = new Date().toISOString();
    const ops: IndexOp[] = [];
    for (const key of keys) {
      if (state.objects.has(key)) continue;
      try {
        const path = await confinedPath(core.localRoot, key);
        const { size } = await stat(path);
        const record: ObjectRecord = { key, version: randomUUID(), size, ...(await hashContent(path)), created: at, lastAccess: at, accessCount: 0, hits: 0, copies: { local: {} }, history: [] };
        ops.push({ t: 'put', r: withHistory(record, 'verified', 'local', at) });
      } catch (error) {
        core.warn(`The local file of ${key} was not added back to the storage index: ${describeError(error)}`);
      }
    }
    return { ops, result: ops.length };
  });
  core.warn(`${added} object${added === 1 ? '' : 's'} of the local tier ${added === 1 ? 'was' : 'were'} added back to the storage index from ${added === 1 ? 'its file' : 'their files'}.`);
}
