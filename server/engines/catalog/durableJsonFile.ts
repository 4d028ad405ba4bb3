// A lowdb adapter that writes JSON durably: temp file, fsync, rename, fsync of the folder. lowdb's
// own JSONFile renames atomically but does not fsync, and the catalog deletes its journal right
// after a snapshot, so the snapshot must be on disk first.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

export class DurableJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly file: string,
    private readonly indent: number | undefined = undefined,
  ) {}

  /** Null when the file does not exist; throws SyntaxError (with the file name) when it is not JSON. */
  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  async write(data: T): Promise<void> {
    const temp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(data, null, this.indent));
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temp, this.file);
    await syncFolder(dirname(this.file));
  }
}

/** Makes a rename durable. Some platforms cannot open folders; there the rename is as good as it gets. */
export async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory handle.
  }
}
