// Objects streamed to disk: whatever the size, a few chunks in memory, every byte written (a short
// write is retried), hashed on the way and fsync'ed before anyone is told it is stored. A full
// disk becomes a `no-space` error that says nothing was saved.
import { createHash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
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

/** How streamToFile hashes: on a worker beside the writes (the default), or on this thread between them. */
export type HashPlace = 'worker' | 'inline';

/**
 * Streams `source` into `temp` (created, never replaced), hashing as it goes, and fsyncs the file
 * and its folder entry. Memory stays at a few chunks whatever the size. On failure or abort the
 * temp file is removed.
 */
export async function streamToFile(source: AsyncIterable<Uint8Array> | Readable, temp: string, options: StreamOptions = {}): Promise<StreamedFile> {
  const { size, sha256, flushed } = await writeToFile(source, temp, options);
  const [digest] = await Promise.all([sha256, flushed]);
  return { size, sha256: digest };
}

export interface StreamOptions {
  readonly signal?: AbortSignal;
  readonly onBytes?: (done: number) => void;
  /**
   * 'inline' is for sources that cost this thread nothing to read (a local file, bytes in
   * memory): chunks are hashed here, a slice at a time, while libuv's thread pool writes them and
   * reads the next, and the last while the disk flushes, with no copy of the bytes and no hand-off
   * to a worker, which cost more than they save when this thread would otherwise wait on the disk.
   * A source that keeps this thread busy (an HTTP body being parsed) keeps the worker (the
   * default). A chunk a stream has handed over is the reader's, so hashing it while it is written
   * (both only read it) and holding it until then is safe.
   */
  readonly hash?: HashPlace;
}

/** A file written in full, whose hash and flush to disk may still be under way. */
export interface WrittenFile {
  readonly size: number;
  /** The SHA-256 of every byte; rejects (the temp file removed) if it cannot be computed. */
  readonly sha256: Promise<string>;
  /**
   * Resolves once the file's bytes and its name are on disk; rejects (the temp file removed) if
   * they cannot be. Nothing may point at the file before it resolves.
   */
  readonly flushed: Promise<void>;
}

/**
 * Streams `source` into `temp` like streamToFile, and returns once every byte is written, with the
 * flush started and the last chunk still being hashed: the caller prepares its commit meanwhile.
 */
export async function writeToFile(source: AsyncIterable<Uint8Array> | Readable, temp: string, options: StreamOptions = {}): Promise<WrittenFile> {
  const hasher = options.hash === 'inline' ? inlineHasher() : workerHasher();
  let size = 0;
  // Created while the source's first bytes are read; a failure is seen where it is awaited.
  const opening = open(temp, 'wx');
  opening.catch(() => undefined);
  let handle: FileHandle | undefined;
  const failed = async (error: unknown): Promise<never> => {
    hasher.abort();
    handle ??= await opening.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw fileError(error, `writing ${temp}`);
  };
  // The kernel writes dirty pages back only when memory runs short or after half a minute, so the
  // flush at the end would write all of a large file while everything else waits. Early flushes
  // write it back while the rest is still being written and hashed; at most one runs at a time.
  let earlyFlush: Promise<void> | undefined;
  let earlyFailure: { error: unknown } | undefined;
  let unflushed = 0;
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      if (options.signal?.aborted) throw new CancelledError('The store');
      handle ??= await opening;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const written = writeFully(handle, bytes);
      await hasher.beside(bytes);
      await written;
      size += bytes.length;
      unflushed += bytes.length;
      if (unflushed >= EARLY_FLUSH_BYTES && earlyFlush === undefined) {
        unflushed = 0;
        earlyFlush = handle.datasync().then(
          () => void (earlyFlush = undefined),
          // Kept for the end: an fsync reports a failed write-back once, to the first that asks.
          (error: unknown) => void (earlyFailure ??= { error }),
        );
      }
      options.onBytes?.(size);
    }
    handle ??= await opening;
  } catch (error) {
    await earlyFlush;
    return failed(error);
  }
  // The file's bytes and its name (the index will point at it before it is renamed into place).
  // The flushes are started first: the last chunk is hashed while they run.
  const file = handle;
  const flushed = Promise.all([earlyFlush, file.sync(), syncFolder(dirname(temp))])
    .then(() => {
      if (earlyFailure !== undefined) throw earlyFailure.error;
      // Once flushed, the close has nothing left to report: the caller goes on meanwhile.
      void file.close().catch(() => undefined);
    })
    .catch(failed);
  // Seen where it is awaited; a caller that gave up on the file removes it itself.
  flushed.catch(() => undefined);
  const sha256 = hasher.finish().catch(async (error: unknown) => {
    await flushed.catch(() => undefined);
    return failed(error);
  });
  sha256.catch(() => undefined);
  return { size, sha256, flushed };
}

interface Hasher {
  /** Takes `bytes` to hash while they are being written; waits when it is too far behind. */
  beside(bytes: Uint8Array): Promise<void>;
  finish(): Promise<string>;
  abort(): void;
}

function workerHasher(): Hasher {
  const digest = new BackgroundDigest({ sha256: true });
  return {
    beside: async (bytes) => digest.update(bytes),
    finish: async () => (await digest.digest()).sha256!,
    abort: () => digest.abort(),
  };
}

/** Bytes written between early flushes of a large file. */
const EARLY_FLUSH_BYTES = 8 * 1024 * 1024;

/** A slice hashed between two turns of the event loop: about a quarter of a millisecond. */
const HASH_SLICE = 256 * 1024;

/**
 * Hashes each chunk on this thread a slice at a time, letting the event loop run between slices,
 * so the hash runs while the chunk is written, the next one is read and, for the last, while the
 * disk flushes. `beside` waits for the chunk before, so at most two chunks are held.
 */
function inlineHasher(): Hasher {
  const sha = createHash('sha256');
  let aborted = false;
  let previous: Promise<void> = Promise.resolve();
  const hashInSlices = async (bytes: Uint8Array): Promise<void> => {
    for (let offset = 0; offset < bytes.length && !aborted; offset += HASH_SLICE) {
      if (offset > 0) await new Promise((resolve) => setImmediate(resolve));
      sha.update(bytes.subarray(offset, offset + HASH_SLICE));
    }
  };
  return {
    async beside(bytes) {
      const before = previous;
      previous = before.then(() => hashInSlices(bytes));
      await before;
    },
    async finish() {
      await previous;
      return sha.digest('hex');
    },
    abort() {
      aborted = true;
    },
  };
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

/**
 * Renames `temp` to `path` and makes the new name durable. The folder is made by the caller
 * before the commit; it is made here again only if it vanished meanwhile.
 */
export async function moveIntoPlace(temp: string, path: string): Promise<void> {
  try {
    await rename(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // The folder is gone (or `temp` is, which the second rename reports).
    await makeFolders(dirname(path), `moving ${path} into place`);
    await rename(temp, path);
  }
  await syncFolder(dirname(path));
}
