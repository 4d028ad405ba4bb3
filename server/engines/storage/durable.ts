// Writes that are on disk when they return: file content fsync'ed before the rename that
// publishes it, and the folder fsync'ed after, so a crash leaves either the old file or the new
// one, never a torn one. A full disk becomes a `no-space` error that says nothing was saved.
import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { CancelledError } from '../common';
import { StorageError } from './errors';

export async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a folder; there the rename is as durable as it gets.
  } finally {
    await handle?.close();
  }
}

/** Turns a file-system failure into an error a person can act on. */
export function fileError(error: unknown, what: string): Error {
  if (error instanceof StorageError || error instanceof CancelledError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageError('no-space', `The disk is full while ${what}; nothing was saved and no object was lost.`);
  if (code === 'EACCES' || code === 'EPERM') return new StorageError('storage', `Permission denied while ${what}.`);
  if (code === 'EROFS') return new StorageError('storage', `The file system is read-only while ${what}.`);
  return new StorageError('storage', `Failed while ${what}: ${(error as Error).message}`);
}

/** Replaces `file` with `data` durably (temp file, fsync, rename, fsync of the folder). */
export async function writeFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw fileError(error, `writing ${file}`);
  }
  await syncFolder(dirname(file));
}

export interface StreamedFile {
  readonly size: number;
  readonly sha256: string;
}

/**
 * Streams `source` into `temp` (created, never replaced), hashing as it goes, and fsyncs it.
 * Memory stays at one chunk whatever the size. On failure or abort the temp file is removed.
 */
export async function streamToFile(
  source: AsyncIterable<Uint8Array> | Readable,
  temp: string,
  options: { signal?: AbortSignal; onBytes?: (done: number) => void; hashes?: readonly Hash[] } = {},
): Promise<StreamedFile> {
  const sha = createHash('sha256');
  let size = 0;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      if (options.signal?.aborted) throw new CancelledError('The store');
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      sha.update(bytes);
      for (const hash of options.hashes ?? []) hash.update(bytes);
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
        written += bytesWritten;
      }
      size += bytes.length;
      options.onBytes?.(size);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    return { size, sha256: sha.digest('hex') };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw fileError(error, `writing ${temp}`);
  }
}
