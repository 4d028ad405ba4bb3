// A cross-process lock on a file, for several processes (VS Code windows, the CLI) that change one
// set of files. The lock is a symbolic link `<file>.lock` whose target names its holder
// (`neurolake-lock:<pid>:<token>@<host>`), the way Emacs locks files: creating it is atomic and
// carries its content, and a short link needs no data block, so it still works on a full disk.
//
// Why not a library: the usual ones (proper-lockfile) can only tell a dead holder from a slow one by
// the lock's age, so a crash costs every later command a long stall. Here a holder on this machine
// whose process is gone is taken over at once; a holder on another machine (a shared folder) keeps
// the lock's time fresh while it holds it, and is taken over when that time goes stale.
import { randomBytes } from 'node:crypto';
import { lstat, lutimes, readFile, readlink, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { processAlive } from './processAlive';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

export interface LockOptions {
  /** How long to wait for a live holder before giving up (default 30 s). */
  readonly timeoutMs?: number;
  /** Called once when the lock is held by a live process and this one starts waiting. */
  readonly onWait?: (holder: LockHolder | undefined) => void;
}

export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Thrown when a live process held the lock for longer than the timeout. */
export class LockTimeoutError extends Error {
  constructor(
    readonly path: string,
    readonly holder: LockHolder | undefined,
    timeoutMs: number,
  ) {
    super(
      `${path} has been locked for more than ${Math.round(timeoutMs / 1000)} s by ${holder === undefined ? 'another process' : `process ${holder.pid} on ${holder.host}`}; try again when it has finished.`,
    );
    this.name = 'LockTimeoutError';
  }
}

/** A holder refreshes the lock's time this often… */
const HEARTBEAT_MS = 5_000;
/** …so a holder on another machine whose lock has not been refreshed for this long is gone… */
const STALE_MS = 30_000;
/** …and on this machine too, after longer: its pid now belongs to an unrelated process. */
const REUSED_PID_MS = 120_000;
/** Locks of NeuroLake versions that used proper-lockfile: a folder whose time its holder refreshed every 5 s. */
const LEGACY_STALE_MS = 10_000;
const PREFIX = 'neurolake-lock:';

const thisHost = hostname();
/** Tokens of the locks this process holds: a lock naming our pid with another token was left by an earlier process that had our pid. */
const ownTokens = new Set<string>();

/** Takes the lock on `file` (the link `<file>.lock`), waiting for a live holder. A folder that cannot be written fails with its errno (EROFS, ENOSPC…). */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<HeldLock> {
  const path = `${file}.lock`;
  const token = randomBytes(6).toString('hex');
  // Known as ours before the link exists, so no other taker in this process can think it stale.
  ownTokens.add(token);
  try {
    await waitAndTake(path, `${PREFIX}${process.pid}:${token}@${thisHost}`, options);
  } catch (error) {
    ownTokens.delete(token);
    throw error;
  }
  return holding(path, `${PREFIX}${process.pid}:${token}@${thisHost}`, token);
}

async function waitAndTake(path: string, target: string, options: LockOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = Date.now();
  let waited = false;
  let pause = 2;
  for (;;) {
    if (await createLink(path, target)) return;
    const found = await inspect(path);
    if (found.kind === 'gone') continue;
    if (found.stale && (await takeOver(path, found))) continue;
    if (Date.now() - started > timeoutMs) throw new LockTimeoutError(path, found.holder, timeoutMs);
    if (!waited && !found.stale) options.onWait?.(found.holder);
    waited ||= !found.stale;
    // Polling: no portable way exists to be woken when another process removes a file.
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 50);
  }
}

/** Creates the lock; false when it exists. Where links cannot be made (Windows without the right), a file holds the same text. */
async function createLink(path: string, target: string): Promise<boolean> {
  try {
    await symlink(target, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EINVAL') throw error;
  }
  try {
    await writeFile(path, target, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

type Found =
  | { readonly kind: 'gone'; readonly stale: false; readonly holder?: undefined }
  | { readonly kind: 'held'; readonly stale: boolean; readonly target: string; readonly holder: LockHolder | undefined }
  | { readonly kind: 'legacy'; readonly stale: boolean; readonly holder?: undefined };

async function inspect(path: string): Promise<Found> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone', stale: false };
    throw error;
  }
  const age = Date.now() - stats.mtimeMs;
  if (stats.isDirectory()) return { kind: 'legacy', stale: age > LEGACY_STALE_MS };
  let target: string;
  try {
    target = stats.isSymbolicLink() ? await readlink(path) : await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone', stale: false };
    throw error;
  }
  const holder = parseHolder(target);
  // A file lock is written after it is created: empty for a moment, stale only if it stays empty.
  if (holder === undefined) return { kind: 'held', stale: age > STALE_MS, target, holder };
  return { kind: 'held', stale: isStale(holder, age), target, holder };
}

function isStale(holder: LockHolder, age: number): boolean {
  if (holder.host !== thisHost) return age > STALE_MS;
  if (holder.pid === process.pid) return !ownTokens.has(holder.token);
  return !processAlive(holder.pid) || age > REUSED_PID_MS;
}

export function parseHolder(target: string): LockHolder | undefined {
  const match = /^neurolake-lock:(\d+):([0-9a-f]+)@(.+)$/.exec(target);
  if (match === null) return undefined;
  return { pid: Number(match[1]), token: match[2]!, host: match[3]! };
}

/**
 * Removes a dead holder's lock. Two processes may find the same dead holder at once; without care
 * the slower one would remove the lock the faster one just took. So removal happens under a second,
 * short-lived lock, and only after checking that the lock is still the dead holder's. False when
 * another process is taking over right now: the caller waits a moment and looks again.
 */
async function takeOver(path: string, dead: Found): Promise<boolean> {
  const guard = `${path}.takeover`;
  const guardToken = randomBytes(6).toString('hex');
  ownTokens.add(guardToken);
  if (!(await createLink(guard, `${PREFIX}${process.pid}:${guardToken}@${thisHost}`))) {
    ownTokens.delete(guardToken);
    const other = await inspect(guard);
    // A guard is held for microseconds; one left behind by a crash mid-takeover is removed.
    if (other.kind === 'gone' || !other.stale) return false;
    await rm(guard, { force: true });
    return true;
  }
  try {
    const now = await inspect(path);
    const same = now.kind === dead.kind && (now.kind !== 'held' || (dead.kind === 'held' && now.target === dead.target));
    if (same && now.stale) await rm(path, { force: true, recursive: now.kind === 'legacy' });
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
    ownTokens.delete(guardToken);
  }
}

function holding(path: string, target: string, token: string): HeldLock {
  // A holder on another machine cannot be seen to be alive; it shows it by keeping the lock's time fresh.
  const heartbeat = setInterval(() => {
    const now = new Date();
    void lutimes(path, now, now).catch(() => utimes(path, now, now).catch(() => undefined));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Remove only our own lock: if it was taken over (we looked dead), it is no longer ours to remove.
      // The token stays ours until the link is gone, so no taker in this process thinks it stale meanwhile.
      try {
        const found = await inspect(path).catch(() => undefined);
        if (found?.kind === 'held' && found.target === target) await unlink(path).catch(() => undefined);
      } finally {
        ownTokens.delete(token);
      }
    },
  };
}
