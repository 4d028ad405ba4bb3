// Persistence of the catalog: a lowdb snapshot plus an append-only journal, shared safely by
// several processes (two VS Code windows, the CLI) on one file.
//
// Why a journal: lowdb rewrites the whole file on every write, which at 100,000 entries takes
// far longer than a register may. So each change is one fsync'ed line appended to
// `<file>.<generation>.journal` and acknowledged then; the snapshot is rewritten (compacted) in the
// background once the journal is large, or when the catalog goes quiet, so the JSON file a team
// commits stays current.
//
// Why a lock: every change happens under a cross-process lock, after catching up with what other
// processes appended, so validation (duplicate names) sees their changes and nothing is overwritten
// blindly. A snapshot replaced behind our back (another window compacted, or `git pull`) is
// noticed by its changed stat signature and reloaded; the journal of its generation is replayed on
// top, which is the merge.
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import lockfile from 'proper-lockfile';
import { DurableJsonFile } from './durableJsonFile';
import { CatalogError } from './errors';
import { addUsage, type CatalogRecord } from './record';
import type { EntryUsage, UsageAction } from './types';

export const CATALOG_FORMAT = 'neurolake-catalog';
export const CATALOG_FORMAT_VERSION = 1;

export type CatalogOp =
  | { readonly t: 'put'; readonly record: CatalogRecord }
  | { readonly t: 'use'; readonly id: string; readonly action: UsageAction; readonly at: string }
  | { readonly t: 'batch'; readonly ops: readonly CatalogOp[] };

interface SnapshotData {
  format: typeof CATALOG_FORMAT;
  formatVersion: number;
  generation: number;
  records: CatalogRecord[];
  usage: Record<string, EntryUsage>;
}

export interface StoreState {
  readonly records: ReadonlyMap<string, CatalogRecord>;
  readonly usage: ReadonlyMap<string, EntryUsage>;
}

export interface StoreOptions {
  /** Called for every op applied, ours or another process's, so indexes follow. */
  readonly onApply?: (op: CatalogOp) => void;
  /** Called when the whole state was reloaded from the snapshot. */
  readonly onReload?: () => void;
  /** Things worth telling the user that did not stop the store: a corrupt file kept aside. */
  readonly onWarning?: (message: string) => void;
  /** Compact once the journal holds this many bytes (at least; grows with the snapshot). */
  readonly compactAfterBytes?: number;
  /** Compact after this long without changes, so the snapshot file stays current. */
  readonly idleCompactMs?: number;
  /** JSON indentation of the snapshot: 2 keeps a committed catalog diffable; none is faster. */
  readonly indent?: number;
}

const LOCK_OPTIONS = { realpath: false, stale: 10_000, retries: { retries: 200, minTimeout: 2, maxTimeout: 50 } };

interface StatSignature {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

export class CatalogStore {
  private records = new Map<string, CatalogRecord>();
  private usage = new Map<string, EntryUsage>();
  private generation = 0;
  private journalOffset = 0;
  private snapshotSignature: StatSignature | undefined;
  private snapshotBytes = 0;
  private readonly db: Low<SnapshotData>;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Serialises this process's own commits; the file lock serialises processes. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private readonly options: StoreOptions,
  ) {
    this.db = new Low(new DurableJsonFile<SnapshotData>(file, options.indent), emptySnapshot(0));
  }

  static async open(file: string, options: StoreOptions = {}): Promise<CatalogStore> {
    await mkdir(dirname(file), { recursive: true });
    const store = new CatalogStore(file, options);
    await store.withLock(() => store.catchUp(true));
    return store;
  }

  get state(): StoreState {
    return { records: this.records, usage: this.usage };
  }

  /**
   * Applies one change durably. `build` runs under the lock on the caught-up state, so it sees
   * every other process's changes; it returns the op to write (or throws to refuse the change).
   */
  commit<T>(build: (state: StoreState) => { op: CatalogOp; result: T }): Promise<T> {
    const run = async (): Promise<T> => {
      this.assertOpen();
      return this.withLock(async () => {
        await this.catchUp(true);
        const { op, result } = build(this.state);
        await this.append(op);
        this.apply(op);
        this.scheduleCompaction();
        return result;
      });
    };
    return this.serialise(run);
  }

  /** Picks up other processes' changes; true when anything changed. Cheap when nothing did. */
  refresh(): Promise<boolean> {
    return this.serialise(async () => {
      this.assertOpen();
      const before = `${this.generation}:${this.journalOffset}:${this.snapshotSignature?.mtimeMs}`;
      await this.catchUp(false);
      return before !== `${this.generation}:${this.journalOffset}:${this.snapshotSignature?.mtimeMs}`;
    });
  }

  /** Rewrites the snapshot with everything in the journal, then starts a new, empty journal. */
  compact(): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.closed) return;
      await this.withLock(async () => {
        await this.catchUp(true);
        if (this.journalOffset === 0 && this.snapshotSignature !== undefined) return;
        const oldJournal = this.journalPath();
        this.db.data = {
          format: CATALOG_FORMAT,
          formatVersion: CATALOG_FORMAT_VERSION,
          generation: this.generation + 1,
          records: [...this.records.values()],
          usage: Object.fromEntries(this.usage),
        };
        await this.db.write();
        this.generation += 1;
        this.journalOffset = 0;
        this.snapshotSignature = await signature(this.file);
        this.snapshotBytes = this.snapshotSignature?.size ?? 0;
        // Only now is every journal line inside the durable snapshot.
        await rm(oldJournal, { force: true });
      });
    };
    return this.serialise(run);
  }

  /**
   * Runs one reader or writer of the files at a time in this process: two catch-ups reading the
   * journal from the same offset at once would apply its lines twice (usage counted double).
   */
  private serialise<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Compacts what is pending, so the snapshot file is complete, and stops the timers. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.idleTimer);
    await this.compact();
    this.closed = true;
  }

  journalPath(generation = this.generation): string {
    return `${this.file}.${generation}.journal`;
  }

  private assertOpen(): void {
    if (this.closed) throw new CatalogError('storage', `The catalog ${this.file} is closed.`);
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.file, LOCK_OPTIONS);
    } catch (error) {
      throw new CatalogError('storage', `Could not lock the catalog ${this.file}: ${(error as Error).message}`);
    }
    try {
      return await work();
    } finally {
      await release().catch(() => undefined);
    }
  }

  /**
   * Brings memory up to date with the files. Under the lock (`locked`), a torn last journal line
   * (a writer that crashed mid-append, never acknowledged) is cut off so the next append is clean.
   */
  private async catchUp(locked: boolean): Promise<void> {
    const current = await signature(this.file);
    if (!sameSignature(current, this.snapshotSignature)) await this.loadSnapshot(current);
    await this.readJournal(locked);
  }

  private async loadSnapshot(current: StatSignature | undefined): Promise<void> {
    let data: SnapshotData | null;
    try {
      data = await this.db.adapter.read();
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw new CatalogError('storage', `Could not read the catalog ${this.file}: ${(error as Error).message}`);
      data = await this.setAsideCorrupt(`it is not valid JSON (${error.message})`);
    }
    if (data !== null) data = await this.checkSnapshot(data);
    const snapshot = data ?? emptySnapshot(0);
    this.records = new Map(snapshot.records.map((record) => [record.id, record]));
    this.usage = new Map(Object.entries(snapshot.usage));
    this.generation = snapshot.generation;
    this.journalOffset = 0;
    this.snapshotSignature = data === null ? undefined : await signature(this.file);
    this.snapshotBytes = current?.size ?? 0;
    this.options.onReload?.();
  }

  private async checkSnapshot(data: SnapshotData): Promise<SnapshotData | null> {
    if (typeof data !== 'object' || data === null || data.format !== CATALOG_FORMAT || !Array.isArray(data.records)) {
      return this.setAsideCorrupt('it is not a NeuroLake catalog file');
    }
    if (data.formatVersion > CATALOG_FORMAT_VERSION) {
      throw new CatalogError(
        'newer-format',
        `The catalog ${this.file} was written by a newer NeuroLake (format ${data.formatVersion}; this version reads up to ${CATALOG_FORMAT_VERSION}). Update NeuroLake; the file was left untouched.`,
      );
    }
    return { ...data, usage: data.usage ?? {}, generation: Number.isInteger(data.generation) ? data.generation : 0 };
  }

  /** Never replace a damaged catalog silently: keep it beside the new one and say where. */
  private async setAsideCorrupt(why: string): Promise<null> {
    const backup = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.file, backup);
    this.options.onWarning?.(`The catalog ${this.file} could not be read because ${why}. It was kept as ${backup} and a new, empty catalog was started.`);
    return null;
  }

  private async readJournal(locked: boolean): Promise<void> {
    let handle;
    try {
      handle = await open(this.journalPath(), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.journalOffset) return;
      const buffer = Buffer.alloc(size - this.journalOffset);
      await handle.read(buffer, 0, buffer.length, this.journalOffset);
      const lastNewline = buffer.lastIndexOf(0x0a);
      const complete = lastNewline === -1 ? 0 : lastNewline + 1;
      for (const line of buffer.subarray(0, complete).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        let op: CatalogOp;
        try {
          op = JSON.parse(line) as CatalogOp;
        } catch {
          this.options.onWarning?.(`Skipped a damaged line in ${this.journalPath()}.`);
          continue;
        }
        this.apply(op);
      }
      this.journalOffset += complete;
      if (locked && complete < buffer.length) {
        // Nobody else can be writing while we hold the lock: the tail is a crashed, unacknowledged append.
        await handle.close();
        handle = undefined;
        const writable = await open(this.journalPath(), 'r+');
        await writable.truncate(this.journalOffset);
        await writable.close();
      }
    } finally {
      await handle?.close();
    }
  }

  private async append(op: CatalogOp): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(op)}\n`, 'utf8');
    let handle;
    try {
      handle = await open(this.journalPath(), 'a');
      await handle.write(line);
      await handle.datasync();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A partial line may be on disk; the next locked catch-up cuts it off.
      throw new CatalogError(
        'storage',
        code === 'ENOSPC'
          ? `The disk holding ${this.file} is full; the change was not saved and nothing else was lost.`
          : `Could not save the change to ${this.journalPath()}: ${(error as Error).message}`,
      );
    } finally {
      await handle?.close();
    }
    this.journalOffset += line.length;
  }

  private apply(op: CatalogOp): void {
    switch (op.t) {
      case 'put':
        this.records.set(op.record.id, op.record);
        break;
      case 'use':
        this.usage.set(op.id, addUsage(this.usage.get(op.id), op.action, op.at));
        break;
      case 'batch':
        for (const inner of op.ops) this.apply(inner);
        return;
    }
    this.options.onApply?.(op);
  }

  private scheduleCompaction(): void {
    const threshold = Math.max(this.options.compactAfterBytes ?? 1024 * 1024, this.snapshotBytes / 4);
    clearTimeout(this.idleTimer);
    if (this.journalOffset >= threshold) {
      void this.compact().catch((error: unknown) => this.options.onWarning?.(`Compacting the catalog failed: ${String(error)}`));
      return;
    }
    this.idleTimer = setTimeout(() => {
      void this.compact().catch((error: unknown) => this.options.onWarning?.(`Compacting the catalog failed: ${String(error)}`));
    }, this.options.idleCompactMs ?? 2000);
    // A pending tidy-up must not keep a CLI process alive.
    this.idleTimer.unref();
  }
}

function emptySnapshot(generation: number): SnapshotData {
  return { format: CATALOG_FORMAT, formatVersion: CATALOG_FORMAT_VERSION, generation, records: [], usage: {} };
}

async function signature(file: string): Promise<StatSignature | undefined> {
  try {
    const { ino, size, mtimeMs } = await stat(file);
    return { ino, size, mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function sameSignature(a: StatSignature | undefined, b: StatSignature | undefined): boolean {
  return a?.ino === b?.ino && a?.size === b?.size && a?.mtimeMs === b?.mtimeMs;
}
