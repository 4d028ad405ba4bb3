// Writes that are acknowledged only once every byte is on disk. A write may store fewer bytes than
// asked and report no error (a disk filling up mid-write does exactly that), so every write here
// loops until all of it is written, then fsyncs. A failure leaves the file as it was and says in
// plain words what is wrong with which folder: its disk is full, over quota or read-only.
import { open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export type DiskErrorCode = 'disk-full' | 'quota-exceeded' | 'read-only' | 'no-permission' | 'io';

/** A write that did not happen, with a message a person can act on and the folder it concerns. */
export class DiskError extends Error {
  constructor(
    readonly code: DiskErrorCode,
    message: string,
    /** The folder whose disk refused the write. */
    readonly folder: string,
    /** The system's error code (ENOSPC, EROFS, …), when there was one. */
    readonly errno: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DiskError';
  }
}

const CODES: Readonly<Record<string, DiskErrorCode>> = {
  ENOSPC: 'disk-full',
  EDQUOT: 'quota-exceeded',
  EROFS: 'read-only',
  EACCES: 'no-permission',
  EPERM: 'no-permission',
};

/** Turns a failed write of `file` into a DiskError naming its folder; `what` says what was not saved ("the snapshot"). */
export function diskError(error: unknown, file: string, what = 'the change'): DiskError {
  if (error instanceof DiskError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const code = (errno !== undefined && CODES[errno]) || 'io';
  const folder = dirname(file);
  const notSaved = `${what} was not saved and nothing else was changed`;
  const message = {
    'disk-full': `The disk holding ${folder} is full; ${notSaved}. Free some space and try again.`,
    'quota-exceeded': `Your disk quota on the disk holding ${folder} is used up; ${notSaved}.`,
    'read-only': `The folder ${folder} is on a read-only disk; ${notSaved}.`,
    'no-permission': `You have no permission to write in ${folder}; ${notSaved}.`,
    io: `Could not write ${file} (${error instanceof Error ? error.message : String(error)}); ${notSaved}.`,
  }[code];
  return new DiskError(code, message, folder, errno, { cause: error });
}

/** True for failures that mean "this folder cannot be written at all", as opposed to a full disk. */
export function isReadOnlyError(error: unknown): boolean {
  const code = error instanceof DiskError ? error.errno : (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EROFS' || code === 'EACCES' || code === 'EPERM';
}

/** Writes all of `data` at `position` (or at the end, for a file opened to append), however many calls it takes. */
export async function writeFully(handle: FileHandle, data: Uint8Array, position?: number): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, position === undefined ? null : position + offset);
    // The next call would report why (ENOSPC); a call that stores nothing and says nothing would loop forever.
    if (bytesWritten <= 0) throw new Error(`the disk accepted none of the last ${data.length - offset} bytes`);
    offset += bytesWritten;
  }
}

/**
 * Appends `data` to `file` (created when missing) and returns once it is on disk. On any failure
 * the file is cut back to its size before, so no torn record is left for a reader to trip on, and
 * a DiskError is thrown. Returns the offset at which `data` starts. The caller must be the only
 * writer of the file (hold its lock), or the cut could remove another writer's record.
 */
export async function appendDurably(file: string, data: string | Uint8Array, what?: string): Promise<number> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let handle: FileHandle | undefined;
  let sizeBefore: number | undefined;
  try {
    handle = await open(file, 'a');
    sizeBefore = (await handle.stat()).size;
    await writeFully(handle, bytes);
    await handle.datasync();
    // A file this append created is only durable once its folder entry is.
    if (sizeBefore === 0) await syncFolder(dirname(file));
    return sizeBefore;
  } catch (error) {
    if (handle !== undefined && sizeBefore !== undefined) await handle.truncate(sizeBefore).catch(() => undefined);
    throw diskError(error, file, what);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The name of the temporary file `writeFileDurably` writes before renaming it over `file`. */
export function temporaryFileOf(file: string, pid = process.pid): string {
  return join(dirname(file), `.${basename(file)}.${pid}.tmp`);
}

/** Temporary files of `file` that some writer (this process or another) left behind, e.g. by crashing. */
export async function temporaryFilesOf(file: string): Promise<string[]> {
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length))).map((name) => join(dirname(file), name));
}

/**
 * Replaces `file` with `data` atomically and durably: a temporary file in the same folder, written
 * in full and fsynced, renamed over `file`, then the folder fsynced. Readers see the old content or
 * the new, never part of it; on failure the old content stays and the temporary file is removed.
 */
export async function writeFileDurably(file: string, data: string | Uint8Array, what?: string): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = temporaryFileOf(file);
  try {
    const handle = await open(temp, 'w');
    try {
      await writeFully(handle, bytes, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw diskError(error, file, what);
  }
  await syncFolder(dirname(file));
}

/** Makes a rename or a new file's name durable. Some platforms cannot open folders; there the rename is as good as it gets. */
export async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    if (cannotSyncFolders(error)) return;
    const errno = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DiskError('io', `Could not make the new names in ${folder} durable (${reason}); the change is not saved.`, folder, errno, { cause: error });
  } finally {
    // The flush is what was wanted: the caller need not also wait for the close.
    void handle?.close().catch(() => undefined);
  }
}

/**
 * Errors that mean this platform or file system has no fsync for a folder, where a rename is as
 * durable as it gets: Windows cannot open one for it, some network and FUSE file systems answer
 * EINVAL or ENOTSUP, and a folder we may not read cannot be opened. Anything else (EIO above all,
 * or a folder that is gone) means the new name may not be on disk, so the write must fail.
 */
function cannotSyncFolders(error: unknown): boolean {
  if (process.platform === 'win32') return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EINVAL' || code === 'EACCES' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EISDIR' || code === 'EBADF';
}
