// Objects streamed to disk: whatever the size, a few chunks in memory, every byte written (a short
// write is retried), hashed on the way and fsync'ed before anyone is told it is stored. A full
// disk becomes a `no-space` error that says nothing was saved.
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { dirname } from 'node:path';
import { BackgroundDigest, CancelledError, DiskError, ensureFolder, syncFolder, writeFully } from '../common';
import { StorageError } from './errors';

/** Turns a file-system failure into an error a person can act on. */
export function fileError(error: unknown, what: string): Error {
  if (error instanceof StorageError || error instanceof CancelledError) return error;
  if (error instanceof DiskError) return new StorageError(error.code === 'disk-full' || error.code === 'quota-exceeded' ? 'no-space' : 'storage', error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError('no-space', `The disk is full while ${what}; nothing was saved and no object was lost.`);
  if (code === 'EACCES' || code === 'EPERM') return new StorageError('storage', `Permission denied while ${what}.`);
  if (code === 'EROFS') return new StorageError('storage', `The file system is read-only while ${what}.`);
  return new StorageError('storage', `Failed while ${what}: ${(error as Error).message}`);
}

export interface StreamedFile {
  readonly size: number;
  readonly sha256: string;
}

/**
 * Streams `source` into `temp` (created, never replaced), hashing as it goes, and fsyncs it.
 * Memory stays at a few chunks whatever the size. On failure or abort the temp file is removed.
 */
export async function streamToFile(
  source: AsyncIterable<Uint8Array> | Readable,
  temp: string,
  options: { signal?: AbortSignal; onBytes?: (done: number) => void } = {},
): Promise<StreamedFile> {
  const digest = new BackgroundDigest({ sha256: true });
  let size = 0;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      if (options.signal?.aborted) throw new CancelledError('The store');
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // The write runs on libuv's thread pool while a worker hashes a copy of the same chunk.
      const written = writeFully(handle, bytes);
      await digest.update(bytes);
      await written;
      size += bytes.length;
      options.onBytes?.(size);
    }
    // Three waits at once: the file's bytes, the file's name (the index will point at it before it
    // is renamed into place), and the hash finishing. Each must be done before the index is told.
    // The flushes are started first: a small file is hashed on this thread while they run.
    const flushed = Promise.all([handle.sync(), syncFolder(dirname(temp))]);
    const [{ sha256 }] = await Promise.all([digest.digest(), flushed]);
    const file = handle;
    await file.close();
    handle = undefined;
    return { size, sha256: sha256! };
  } catch (error) {
    digest.abort();
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw fileError(error, `writing ${temp}`);
  }
}

/** Makes `folder` and the folders above it that are missing; a full disk is `no-space`, not ENOENT. */
export async function makeFolders(folder: string, what: string): Promise<void> {
  try {
    await ensureFolder(folder);
  } catch (error) {
    const failed = fileError(error, what);
    if (!(error instanceof DiskError) || !(failed instanceof StorageError)) throw failed;
    throw new StorageError(failed.code, `${failed.message.replace(/\.$/, '')}; ${what} failed and nothing was saved.`);
  }
}
