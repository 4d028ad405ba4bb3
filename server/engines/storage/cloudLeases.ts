// Cloud-write leases: which process is writing an object's name in the bucket right now, shared
// by every process on the data folder through the index.
//
// A write to a cloud or archive name outside the index lock (a write-back upload, a large store
// straight to the cloud, an archive or restore copy) lands when the server finishes it, not when
// it started. One process orders its own uploads of a key (Uploader.inCloudWriteOrder); across
// processes nothing did, so a slow upload of an old version could land on top of a newer version
// another process had just stored as its only copy. So before writing a name outside the lock, a
// process journals a lease on it, under the lock and only while no other live lease is there, and
// releases it with the write's commit (or after its failure). Every other writer of that name
// waits while a live lease is there: another upload or copy, a small store sent under the lock,
// the deletion of a stale copy. A write that finishes and finds its version superseded or its key
// deleted then knows the bucket holds its own bytes, and has them deleted (leftoverOf).
//
// A lease's owner is a process: its pid and host and, on Linux, the boot and start time from /proc,
// so a pid reused by an unrelated process is not taken for the owner. A dead owner's lease is
// dropped: the kernel cut its connections, and S3 commits no request whose body was cut short (nor
// a multipart upload never completed). What the kernel had already sent of a last request may
// still reach the server, so a writer waiting on a lease drops it only once its owner has been
// seen dead for a moment (DEAD_LEASE_GRACE_MS). Lease lines are not fsync'ed: a machine that stops
// stops its uploads too.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CancelledError, processAlive } from '../common';
import type { Place } from './cloudTier';
import type { StorageCore } from './core';
import type { IndexOp, IndexState, Intent } from './indexStore';

export interface CloudLease {
  readonly id: string;
  readonly key: string;
  readonly place: Place;
  readonly pid: number;
  readonly host: string;
  /** `<boot id>:<start time in clock ticks>` of the owner, from /proc; absent where there is no /proc. */
  readonly start?: string;
  /** When it was taken: a lease of another host (a shared folder), whose owner cannot be seen, lasts FOREIGN_LEASE_MS from then. */
  readonly at: string;
}

/** How long a lease of a process on another machine is honoured: its liveness cannot be checked from here. */
export const FOREIGN_LEASE_MS = 60 * 60_000;
/** How long a waiting writer still honours a lease after first seeing its owner dead: the server commits what the owner's kernel had sent. */
export const DEAD_LEASE_GRACE_MS = 2000;
/** Polling for a lease to go: the first look soon (most writes are short), then less often. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 1000;

/** What liveness is judged against: this process, and how to see others. */
export interface LeaseWorld {
  readonly host: string;
  readonly pid: number;
  readonly start: string | undefined;
  /** Leases this process holds now: one naming this process and not in here was left by a release that failed. */
  readonly held: ReadonlySet<string>;
  isAlive(pid: number): boolean;
  startOf(pid: number): string | undefined;
  readonly now: number;
}

const bootId = readProc('/proc/sys/kernel/random/boot_id')?.trim();

/** `<boot id>:<start time>` of process `pid` from /proc, or undefined where /proc does not tell. */
export function processStart(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined || bootId === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'; start time is field 22.
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return ticks === undefined || !/^\d+$/.test(ticks) ? undefined : `${bootId}:${ticks}`;
}

function readProc(path: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const ownHost = hostname();
const ownStart = processStart(process.pid);
/** Process-wide, so two engines of one process on one data folder respect each other's leases as two processes would. */
const heldHere = new Set<string>();
/** Leases whose release could not be journaled (a full disk): released with the next lease change. */
const unreleased = new Set<string>();
/** When this process first saw each dead owner's lease dead (see DEAD_LEASE_GRACE_MS). */
const seenDead = new Map<string, number>();
/** Waiters in this process, woken when a lease of this process ends (other processes' ends are polled for). */
const wakers = new Set<() => void>();

function thisWorld(): LeaseWorld {
  return { host: ownHost, pid: process.pid, start: ownStart, held: heldHere, isAlive: processAlive, startOf: processStart, now: Date.now() };
}

/** Whether the lease's owner may still be writing: on this host, a live process that is the one that took it. */
export function leaseAlive(lease: CloudLease, world: LeaseWorld = thisWorld()): boolean {
  if (lease.host !== world.host) return world.now - Date.parse(lease.at) < FOREIGN_LEASE_MS;
  if (lease.pid === world.pid && lease.start === world.start) return world.held.has(lease.id);
  if (!world.isAlive(lease.pid)) return false;
  if (lease.start === undefined) return true;
  const start = world.startOf(lease.pid);
  // Unreadable (gone this moment, or hidden): alive is the safe answer, the next look tells.
  return start === undefined || start === lease.start;
}

/**
 * The leases on `key`'s name in `place`: those a writer must wait for (a live owner's, or one seen
 * dead for less than DEAD_LEASE_GRACE_MS), and those of owners gone long enough to be dropped.
 */
export function leasesOn(state: IndexState, place: Place, key: string, world: LeaseWorld = thisWorld()): { live: CloudLease[]; dead: CloudLease[] } {
  const live: CloudLease[] = [];
  const dead: CloudLease[] = [];
  if (state.leases.size === 0) return { live, dead };
  for (const lease of state.leases.values()) {
    if (lease.key !== key || lease.place !== place) continue;
    if (leaseAlive(lease, world)) {
      live.push(lease);
      continue;
    }
    const since = seenDead.get(lease.id) ?? world.now;
    seenDead.set(lease.id, since);
    (world.now - since >= DEAD_LEASE_GRACE_MS ? dead : live).push(lease);
  }
  return { live, dead };
}

/** Whether a writer of `key`'s name in `place` would wait now. */
export function leasedNow(state: IndexState, place: Place, key: string): boolean {
  return leasesOn(state, place, key).live.length > 0;
}

/**
 * Releases of every lease whose owner is gone, for reconcile on open (a process killed mid-upload
 * left it). No grace here: opening takes longer than a killed process's kernel needs to send what
 * it had buffered.
 */
export function deadLeaseReleases(state: IndexState, world: LeaseWorld = thisWorld()): IndexOp[] {
  const ops: IndexOp[] = [];
  for (const lease of state.leases.values()) if (!leaseAlive(lease, world)) ops.push(releaseOp(lease.id));
  return ops;
}

/** Whether a live lease is on a name the intent would delete: the deletion then waits for that write. */
export function intentLeased(state: IndexState, intent: Intent): CloudLease | undefined {
  for (const place of ['cloud', 'archive'] as const) {
    if (intent[place] !== true) continue;
    const [lease] = leasesOn(state, place, intent.key).live;
    if (lease !== undefined) return lease;
  }
  return undefined;
}

/**
 * What a leased write that is not committed (its version was superseded or its key deleted) left
 * at its name: the writer's own bytes, since no one else could write there meanwhile. Deleted by
 * an intent, which leaves the name alone if a later record claims a copy there.
 */
export function leftoverOf(core: StorageCore, lease: CloudLease): IndexOp {
  return { t: 'intent', intent: core.intent(lease.key, { [lease.place]: true }) };
}

export interface LeaseWait {
  readonly signal?: AbortSignal;
  /** Called once, when another writer's live lease makes this one wait. */
  readonly onWait?: () => void;
}

type Turn<T> = { readonly ops: readonly IndexOp[]; readonly result: T; readonly afterCommit?: () => Promise<void> };

/**
 * Journals a lease on `key`'s name in `place` once no other live lease is there, and answers it;
 * undefined when `stillNeeded` (asked under the lock each time) says the write is not needed now.
 * Another writer's lease is waited for outside the lock.
 */
export async function takeLease(core: StorageCore, place: Place, key: string, stillNeeded: (state: IndexState) => boolean, wait: LeaseWait = {}): Promise<CloudLease | undefined> {
  for (let waited = false; ; waited = true) {
    let taken: CloudLease | undefined;
    const outcome = await core.index
      .transact((state): Turn<'taken' | 'unneeded' | 'busy'> => {
        const { live, dead } = leasesOn(state, place, key);
        const ops = [...dead.map((lease) => releaseOp(lease.id)), ...ownFailedReleases(state)];
        if (!stillNeeded(state)) return { ops, result: 'unneeded' };
        if (live.length > 0) return { ops, result: 'busy' };
        taken = { id: randomUUID(), key, place, pid: process.pid, host: ownHost, ...(ownStart !== undefined ? { start: ownStart } : {}), at: new Date().toISOString() };
        // Held before the line is written, so no engine of this process takes it for a leftover.
        heldHere.add(taken.id);
        return { ops: [...ops, { t: 'lease', lease: taken }], result: 'taken' };
      }, false)
      .catch((error: unknown) => {
        if (taken !== undefined) heldHere.delete(taken.id);
        throw error;
      });
    if (outcome === 'taken') return taken;
    if (outcome === 'unneeded') return undefined;
    if (!waited) wait.onWait?.();
    await waitUntilFree(core, place, key, wait.signal);
  }
}

/**
 * Runs `work` under the lock once no other writer holds a live lease on `key`'s name in `place`
 * (a write made under the lock, like a small store): waiting for one happens outside the lock.
 */
export async function whenUnleased<T>(core: StorageCore, place: Place, key: string, work: (state: IndexState) => Promise<Turn<T>>, wait: LeaseWait = {}): Promise<T> {
  for (let waited = false; ; waited = true) {
    const outcome = await core.index.transact(async (state): Promise<Turn<{ done: true; value: T } | { done: false }>> => {
      const { live, dead } = leasesOn(state, place, key);
      const drops = dead.map((lease) => releaseOp(lease.id));
      if (live.length > 0) return { ops: drops, result: { done: false } };
      const turn = await work(state);
      return { ...turn, ops: [...drops, ...turn.ops], result: { done: true, value: turn.result } };
    });
    if (outcome.done) return outcome.value;
    if (!waited) wait.onWait?.();
    await waitUntilFree(core, place, key, wait.signal);
  }
}

/**
 * Commits the leased write's outcome with the lease's release in the same journal line. When
 * `work` throws, nothing it decided is committed and the lease is released on its own.
 */
export async function commitLeased<T>(core: StorageCore, lease: CloudLease, work: (state: IndexState) => Promise<Turn<T>> | Turn<T>): Promise<T> {
  let result: T;
  try {
    result = await core.index.transact(async (state) => {
      const turn = await work(state);
      return { ...turn, ops: [...turn.ops, releaseOp(lease.id)] };
    });
  } catch (error) {
    await releaseLease(core, lease);
    throw error;
  }
  ended(lease);
  return result;
}

/** Releases a lease whose write failed or was not made. A release that cannot be journaled is retried with the next lease change. */
export async function releaseLease(core: StorageCore, lease: CloudLease): Promise<void> {
  try {
    await core.index.transact((state) => ({ ops: state.leases.has(lease.id) ? [releaseOp(lease.id)] : [], result: undefined }), false);
  } catch (error) {
    unreleased.add(lease.id);
    core.warn(`Could not record the end of an upload of ${lease.key}; other processes writing it may wait until this one stops: ${(error as Error).message}`);
  }
  ended(lease);
}

/**
 * Resolves once no live lease is left on `key`'s name in `place`, looking again when a lease of
 * this process ends and otherwise at a growing interval (a change in another process cannot be
 * awaited portably). Throws when `signal` aborts or the storage closes.
 */
export async function waitUntilFree(core: StorageCore, place: Place, key: string, signal?: AbortSignal): Promise<void> {
  for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
    await sleepOrWake(pause, signal);
    if (signal?.aborted === true) throw new CancelledError(`Waiting for another write of ${key}`);
    core.assertOpen();
    await core.index.refresh();
    if (leasesOn(core.index.state, place, key).live.length === 0) return;
  }
}

function sleepOrWake(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      wakers.delete(done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    wakers.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function ended(lease: CloudLease): void {
  heldHere.delete(lease.id);
  for (const wake of [...wakers]) wake();
}

function releaseOp(id: string): IndexOp {
  seenDead.delete(id);
  return { t: 'release', id };
}

function ownFailedReleases(state: IndexState): IndexOp[] {
  const ops: IndexOp[] = [];
  for (const id of unreleased) {
    if (state.leases.has(id)) ops.push(releaseOp(id));
    else unreleased.delete(id);
  }
  return ops;
}
