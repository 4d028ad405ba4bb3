// A real, tiny disk for fault tests: a tmpfs of a chosen size mounted on a fresh folder, which a
// test can fill up, grow, or make read-only. Mounting needs root (CI containers run as root);
// where it is impossible, `tmpfsUnavailable` says why so the tests skip with that reason.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  readonly folder: string;
  /** Changes the size, e.g. grows a full disk; what is on it stays. */
  resize(bytes: number): void;
  /** Remounts read-only (`ro: true`) or writable again. */
  setReadOnly(ro: boolean): void;
  unmount(): void;
}

function run(args: readonly string[]): string | undefined {
  const result = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  if (result.error !== undefined) return result.error.message;
  return result.status === 0 ? undefined : `${args.join(' ')} failed: ${result.stderr.trim() || `exit ${result.status}`}`;
}

/** `inodes` caps the files and folders it holds, for a disk that runs out of those before bytes. */
export function mountTmpfs(bytes: number, inodes?: number): Tmpfs {
  const folder = mkdtempSync(join(tmpdir(), 'nl-tmpfs-'));
  const failure = run(['mount', '-t', 'tmpfs', '-o', `size=${bytes}${inodes === undefined ? '' : `,nr_inodes=${inodes}`}`, 'tmpfs', folder]);
  if (failure !== undefined) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(failure);
  }
  const remount = (options: string): void => {
    const error = run(['mount', '-o', `remount,${options}`, folder]);
    if (error !== undefined) throw new Error(error);
  };
  return {
    folder,
    resize: (size) => remount(`size=${size}`),
    setReadOnly: (ro) => remount(ro ? 'ro' : 'rw'),
    unmount: () => {
      run(['umount', folder]);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Why a tmpfs cannot be mounted here, or undefined when it can (tried once, with a probe). */
export const tmpfsUnavailable: string | undefined = (() => {
  if (process.platform !== 'linux') return 'a tmpfs can only be mounted on Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  try {
    mountTmpfs(64 * 1024).unmount();
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs here: ${(error as Error).message}`;
  }
})();

/** Writes a file in `folder` until the disk refuses more: what is left is the tail of pages already taken. */
export function fillDisk(folder: string): void {
  const fd = openSync(join(folder, 'ballast'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}
