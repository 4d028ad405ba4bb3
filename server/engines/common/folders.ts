// Making the folders an engine keeps its files in, with an error that names the real cause: a
// recursive mkdir reports a read-only or full disk above the folder as ENOENT, and a file standing
// where a folder should be shows up as ENOTDIR deep inside the first write.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DiskError, diskError, syncFolder } from './durableFile';

/**
 * Makes `folder` and any missing folders above it, one at a time, and makes their names durable
 * (a new folder survives a power cut only once the folder holding it is synced, as a new file's name
 * does). Throws a DiskError that says which folder refused and why (read-only, full, no
 * permission), or which file is in the way.
 */
export async function ensureFolder(folder: string): Promise<void> {
  const missing: string[] = [];
  const refused = (error: unknown, at: string): DiskError => {
    const disk = diskError(error, at);
    const parent = dirname(at);
    const why = {
      'disk-full': `the disk holding ${parent} is full`,
      'quota-exceeded': `the disk quota on ${parent} is used up`,
      'read-only': `${parent} is on a read-only disk`,
      'no-permission': `there is no permission to make folders in ${parent}`,
      io: `${at} could not be made (${(error as Error).message})`,
    }[disk.code];
    return new DiskError(disk.code, `Cannot use ${folder}: ${why}.`, parent, disk.errno, { cause: error });
  };
  for (let at = folder; ; at = dirname(at)) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(at)).isDirectory();
    } catch (error) {
      // ENOTDIR: a file further up; the loop reaches it.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(at) !== at) {
        missing.unshift(at);
        continue;
      }
      throw refused(error, at);
    }
    if (!isFolder) throw new DiskError('io', `Cannot use ${folder}: ${at} is a file, not a folder.`, dirname(at), 'ENOTDIR');
    break;
  }
  const made: string[] = [];
  for (const at of missing) {
    try {
      await mkdir(at);
      made.push(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw refused(error, at);
    }
  }
  await Promise.all(made.map((at) => syncFolder(dirname(at))));
}
