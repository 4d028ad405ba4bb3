// Where a store reads its bytes from (a stream, bytes, or a file by path), and the file helpers
// the engine uses on the local tier: sizes, checksums and walking the folder.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { fastHash, loadFastHash, throwIfCancelled } from '../common';
import { fileError } from './durable';
import { StorageError } from './errors';
import type { StoreSource } from './options';

export function isPathSource(source: StoreSource): source is { readonly path: string } {
  return typeof source === 'object' && source !== null && 'path' in source && typeof (source as { path: unknown }).path === 'string' && !(source instanceof Readable);
}

/** Files are read a megabyte at a time: fewer calls than the 64 KB default, for the same memory bound. */
export const FILE_CHUNK = 1024 * 1024;

export function openSource(source: StoreSource): Readable {
  if (isPathSource(source)) return createReadStream(source.path, { highWaterMark: FILE_CHUNK });
  if (source instanceof Readable) return source;
  if (source instanceof Uint8Array) return Readable.from([source]);
  return Readable.from(source);
}

/**
 * All of a small content, which must have exactly `size` bytes, in memory (to be sent in one
 * request): bytes as they are, a file read straight into one buffer, a stream gathered.
 */
export async function readSmall(source: StoreSource, size: number, key: string, signal?: AbortSignal): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    if (source instanceof Uint8Array) bytes = source;
    else if (isPathSource(source)) bytes = await readFileUpTo(source.path, size + 1);
    else bytes = await gather(openSource(source), size + 1, key, signal);
  } catch (error) {
    throw fileError(error, `reading the content of ${key}`);
  }
  if (bytes.length !== size) throw new StorageError('storage', `${key} has ${bytes.length > size ? 'more' : bytes.length} bytes, not the ${size} it was said to have (did it change while being stored?); it was not stored.`);
  return bytes;
}

/** Up to `limit` bytes of the file: fewer when it is shorter. */
async function readFileUpTo(path: string, limit: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(limit);
  const handle = await open(path, 'r');
  try {
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(bytes, filled, limit - filled, null);
      filled += bytesRead;
      if (bytesRead === 0 || filled === limit) return bytes.subarray(0, filled);
    }
  } finally {
    await handle.close();
  }
}

async function gather(source: Readable, limit: number, key: string, signal?: AbortSignal): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(limit);
  let filled = 0;
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    throwIfCancelled(signal, `Storing ${key}`);
    const piece = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const take = Math.min(piece.length, limit - filled);
    bytes.set(piece.subarray(0, take), filled);
    filled += take;
    if (filled === limit) break;
  }
  return bytes.subarray(0, filled);
}

export async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new StorageError('not-found', `${path} is not a file.`);
    return info.size;
  } catch (error) {
    if (error instanceof StorageError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageError('not-found', `No such file ${path}.`);
    throw fileError(error, `reading ${path}`);
  }
}

/** The two hashes kept in an object's record: SHA-256, its checksum, and xxHash64, what reads from the cloud check. */
export interface ContentHashes {
  readonly sha256: string;
  readonly xxh64: string;
}

/** Both hashes a record keeps, of a file read to its end, or of a stream (a cloud copy being verified). */
export async function hashContent(content: string | AsyncIterable<Uint8Array>): Promise<ContentHashes> {
  await loadFastHash();
  const sha = createHash('sha256');
  const fast = fastHash();
  for await (const chunk of typeof content === 'string' ? createReadStream(content) : content) {
    sha.update(chunk as Buffer);
    fast.update(chunk as Buffer);
  }
  return { sha256: sha.digest('hex'), xxh64: fast.digest() };
}

export async function walkFiles(root: string, folder = root): Promise<string[]> {
  const files: string[] = [];
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walkFiles(root, path)));
    else files.push(relative(root, path));
  }
  return files;
}
