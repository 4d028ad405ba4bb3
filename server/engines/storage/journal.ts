// One generation of the storage index's journal: JSON lines that only grow, read from where this
// process got to and appended to durably. Its file handles stay open between changes, so a store
// costs one write (opened with O_DSYNC, a write returns once the line is on disk) rather than an
// open, a write, an fsync and a close, and catching up with other processes costs one fstat. A
// compaction replaces the generation and removes the file; the open handle then sees a link
// count of 0.
import { constants, fstatSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncFolder, writeFully } from '../common';

/** Undefined on Windows, where each durable append is followed by an fdatasync instead. */
const DSYNC: number | undefined = constants.O_DSYNC;

export interface JournalProbe {
  readonly size: number;
  /** The file has lost its name: a compaction moved everything into a new snapshot. */
  readonly removed: boolean;
}

export class JournalFile {
  private reader: FileHandle | undefined;
  private writer: FileHandle | undefined;
  /** Set when the writer created the file: its name is durable only once the folder is synced. */
  private folderUnsynced = false;

  constructor(readonly path: string) {}

  /** The file's size now, or undefined while no one has written this generation yet. */
  async probe(): Promise<JournalProbe | undefined> {
    if (this.reader === undefined) {
      try {
        this.reader = await open(this.path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    }
    // Synchronous for the reason given at statIfExists in indexStore.ts: an fstat takes microseconds.
    const { size, nlink } = fstatSync(this.reader.fd);
    return { size, removed: nlink === 0 };
  }

  /** Bytes `from` up to `to`; call after a probe that found the file. */
  async read(from: number, to: number): Promise<Buffer> {
    const buffer = Buffer.alloc(to - from);
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await this.reader!.read(buffer, done, buffer.length - done, from + done);
      if (bytesRead === 0) return buffer.subarray(0, done);
      done += bytesRead;
    }
    return buffer;
  }

  /** Cuts the file back to `size` (a torn line of a crashed writer); only the lock holder may. */
  async truncate(size: number): Promise<void> {
    const handle = await open(this.path, 'r+');
    try {
      await handle.truncate(size);
    } finally {
      await handle.close();
    }
  }

  /**
   * Appends `line` to a file that is `size` bytes long (the caller holds the lock and has caught
   * up); with `durable`, resolves once the line and the file's name are on disk. On failure the
   * file is cut back to `size`, so no part of the line is left for a reader to trip on.
   */
  async append(line: Uint8Array, size: number, durable: boolean): Promise<void> {
    try {
      if (this.writer === undefined) {
        this.writer = await open(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (DSYNC ?? 0));
        if (size === 0) this.folderUnsynced = true;
      }
      await writeFully(this.writer, line);
      if (!durable) return;
      if (DSYNC === undefined) await this.writer.datasync();
      if (this.folderUnsynced) {
        await syncFolder(dirname(this.path));
        this.folderUnsynced = false;
      }
    } catch (error) {
      await this.writer?.truncate(size).catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const handles = [this.reader, this.writer];
    this.reader = undefined;
    this.writer = undefined;
    await Promise.all(handles.map((handle) => handle?.close().catch(() => undefined)));
  }
}
