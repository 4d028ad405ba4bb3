// Object keys: checked once, where they enter the engine, so no key can name a file outside the
// local tier or a surprising object in the bucket. The rules are S3's (at most 1024 bytes of
// UTF-8) plus the ones a file system needs (no `..`, no absolute path, no control characters).
import type { Stats } from 'node:fs';
import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute, sep } from 'node:path';
import { StorageError } from './errors';

export const MAX_KEY_BYTES = 1024;
/** A file or folder name: what ext4, XFS, APFS and NTFS allow (NAME_MAX). */
export const MAX_SEGMENT_BYTES = 255;
/** The local tier's own working folder; no key may live in it. */
export const INCOMING_FOLDER = '.neurolake-incoming';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Returns the key unchanged, or throws `invalid-key` naming the rule it breaks. */
export function validateKey(key: string): string {
  // Checked on every read and store: the message is only built for a key refused.
  const refuse = (why: string): never => {
    const text = String(key);
    throw new StorageError('invalid-key', `The key ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} was refused: ${why}.`);
  };
  if (typeof key !== 'string' || key === '') refuse('a key cannot be empty');
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_KEY_BYTES) refuse(`it is ${bytes} bytes of UTF-8; at most ${MAX_KEY_BYTES} are allowed`);
  if (key.includes('\u0000')) refuse('it contains a NUL character');
  if (CONTROL.test(key)) refuse('it contains a control character');
  if (key.startsWith('/') || key.startsWith('\\') || /^[A-Za-z]:/.test(key)) refuse('it is an absolute path; use a relative key such as datasets/file.parquet');
  if (key.includes('\\')) refuse('it contains a backslash; separate folders with /');
  const segments = key.split('/');
  if (segments.some((segment) => segment === '..')) refuse('it contains a ".." segment');
  if (segments.some((segment) => segment === '.')) refuse('it contains a "." segment');
  if (segments.some((segment) => segment === '')) refuse('it contains an empty segment (// or a trailing /)');
  const long = segments.find((segment) => Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES);
  if (long !== undefined) refuse(`its folder or file name "${long.slice(0, 40)}…" is ${Buffer.byteLength(long, 'utf8')} bytes; the local tier's file system allows at most ${MAX_SEGMENT_BYTES} between slashes`);
  if (segments[0] === INCOMING_FOLDER) refuse(`${INCOMING_FOLDER} is reserved for files being written`);
  return key;
}

/**
 * The file of `key` under `root`, after checking that the folders leading to it, with symlinks
 * resolved, are still inside `root`: a symlink planted in the tier cannot redirect a write.
 * `root` must exist. Folders that do not exist yet cannot be links, so they are fine.
 */
export async function confinedPath(root: string, key: string): Promise<string> {
  validateKey(key);
  const target = join(root, ...key.split('/'));
  // The three looks at once: the root and the file's folder resolved, and the file itself.
  const [realRoot, realFolder, file] = await Promise.all([realpath(root), realpathIfExists(dirname(target)), lstatIfExists(target)]);
  let folder = realFolder;
  // A folder not made yet: its deepest existing ancestor is what a link could redirect.
  for (let at = dirname(dirname(target)); folder === undefined; at = dirname(at)) {
    folder = await realpathIfExists(at);
    if (folder === undefined && dirname(at) === at) folder = realRoot;
  }
  const rel = relative(realRoot, folder);
  if (rel !== '' && (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))) {
    throw new StorageError('invalid-key', `The key ${JSON.stringify(key)} was refused: a symbolic link in its folders leads outside the local tier (${folder}).`);
  }
  // The file itself: a symlink there would be followed when read; refuse any, dangling or not.
  if (file?.isSymbolicLink()) {
    const leadsTo = await readlink(target).catch(() => '?');
    throw new StorageError('invalid-key', `The key ${JSON.stringify(key)} was refused: its file in the local tier is a symbolic link (to ${leadsTo}), which could lead outside it.`);
  }
  return join(realRoot, relative(root, target));
}

async function realpathIfExists(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}

async function lstatIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}
