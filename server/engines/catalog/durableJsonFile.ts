// A lowdb adapter that writes JSON durably (see writeFileDurably: written in full, fsynced, renamed,
// folder fsynced). lowdb's own JSONFile renames atomically but does not fsync, and the catalog
// deletes its journal right after a snapshot, so the snapshot must be on disk first.
import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { writeFileDurably } from '../common';

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

  /** Throws a DiskError (disk full, read-only, …) naming the folder; the old file then stays as it was. */
  write(data: T): Promise<void> {
    return writeFileDurably(this.file, JSON.stringify(data, null, this.indent), 'the catalog snapshot');
  }
}
