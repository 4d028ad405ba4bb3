// The storage index: every object's record, durable and shared by several processes (VS Code
// windows, the CLI) on one data folder.
//
// Like the catalog, a JSON snapshot plus an append-only journal: a change is one line appended
// and fsync'ed, so a store is acknowledged after one small write, however many objects there are;
// the snapshot is rewritten (compacted) once the journal is large or on close. Every change is
// made under a cross-process lock after catching up with the journal, so processes never
// overwrite each other's records. A torn last line (a writer killed mid-append, never
// acknowledged) is cut off by the next writer. The journal's file handles stay open (journal.ts),
// and the lock is let go while the caller already goes on: the next change waits for it.
//
// Besides records the index holds *intents*: copies to delete once a change is committed (the
// source of a move, the files of a deleted object). They are journaled with the change itself and
// carried out afterwards, so a crash between the two leaves a note that reconcile finishes.
// And it holds *leases*: which process is writing an object's name in the bucket (cloudLeases.ts).
import { statSync, type Stats } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { acquireLock, writeFileDurably } from '../common';
import type { CloudLease } from './cloudLeases';
import { fileError } from './durable';
import { checkedSnapshot, opProblem } from './indexChecks';
import { StorageError } from './errors';
import { JournalFile, type JournalProbe } from './journal';
import type { ObjectRecord } from './types';

export const INDEX_FORMAT = 'neurolake-storage-index';
export const INDEX_FORMAT_VERSION = 1;

/** Stale copies of `key` to delete, unless the key's current record claims that copy again. */
export interface Intent {
  readonly id: string;
  readonly key: string;
  readonly local?: boolean;
  readonly cloud?: boolean;
  readonly archive?: boolean;
}

export type IndexOp =
  | { readonly t: 'put'; readonly r: ObjectRecord }
  | { readonly t: 'del'; readonly key: string }
  | { readonly t: 'touch'; readonly key: string; readonly at: string; readonly hit: boolean }
  | { readonly t: 'intent'; readonly intent: Intent }
  | { readonly t: 'done'; readonly id: string }
  | { readonly t: 'lease'; readonly lease: CloudLease }
  | { readonly t: 'release'; readonly id: string }
  | { readonly t: 'batch'; readonly ops: readonly IndexOp[] };

interface Snapshot {
  format: typeof INDEX_FORMAT;
  formatVersion: number;
  generation: number;
  objects: ObjectRecord[];
  intents: Intent[];
  leases?: CloudLease[];
  counters: Counters;
}

export interface Counters {
  hits: number;
  misses: number;
}

export interface IndexState {
  readonly objects: ReadonlyMap<string, ObjectRecord>;
  readonly intents: ReadonlyMap<string, Intent>;
  readonly leases: ReadonlyMap<string, CloudLease>;
  readonly counters: Readonly<Counters>;
}

export interface IndexStoreOptions {
  readonly onWarning?: (message: string) => void;
  /** Called after other processes' changes were picked up. */
  readonly onExternalChange?: () => void;
  readonly compactAfterBytes?: number;
  /** Runs under the lock before a compaction writes the snapshot (finishing staged renames). */
  readonly beforeCompact?: () => Promise<void>;
}

/** What a transaction's work decides: the ops to journal, its result, and the file steps around the commit. */
export interface Change<T> {
  readonly ops: readonly IndexOp[];
  readonly result: T;
  /**
   * A file step run beside the journal append, for one that may happen without the change being
   * committed (a new object's file put in place: at worst a file no record names). It resolves to
   * how to undo it, which runs, still under the lock, when the append fails; it does not reject.
   */
  readonly alongsideCommit?: () => Promise<(() => Promise<void>) | undefined>;
  /** File steps that must follow the commit and not interleave with another process's (a rename over an older file, an unlink). */
  readonly afterCommit?: () => Promise<void>;
}

export class IndexStore {
  private objects = new Map<string, ObjectRecord>();
  private intents = new Map<string, Intent>();
  private leases = new Map<string, CloudLease>();
  private counters: Counters = { hits: 0, misses: 0 };
  private generation = 0;
  private journalOffset = 0;
  private snapshotMtime = -1;
  private snapshotIno = -1;
  private snapshotBytes = 0;
  private sortedKeys: string[] | undefined;
  private localBytesTotal = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last lock's release, still under way: the next lock is taken after it. */
  private releasing: Promise<void> = Promise.resolve();
  private journal: JournalFile;
  private closed = false;
  /** The snapshot was damaged and set aside: the engine adds the local tier's files back. */
  private damaged = false;

  private constructor(
    readonly file: string,
    private readonly options: IndexStoreOptions,
  ) {
    this.journal = new JournalFile(this.journalPath());
  }

  static async open(file: string, options: IndexStoreOptions = {}): Promise<IndexStore> {
    await mkdir(dirname(file), { recursive: true });
    const store = new IndexStore(file, options);
    await store.withLock(() => store.catchUp(true));
    return store;
  }

  /** True once when the snapshot was found damaged (and set aside) since the last call. */
  takeDamaged(): boolean {
    const damaged = this.damaged;
    this.damaged = false;
    return damaged;
  }

  get state(): IndexState {
    return { objects: this.objects, intents: this.intents, leases: this.leases, counters: this.counters };
  }

  /** Bytes of all local copies: what the local tier holds. */
  get localBytes(): number {
    return this.localBytesTotal;
  }

  /** Replaces a record in memory only, for bookkeeping no other process needs (a finished rename). */
  patchInMemory(record: ObjectRecord): void {
    if (!this.objects.has(record.key)) return;
    this.setRecord(record);
  }

  /** Keys in order, for listing by prefix; rebuilt only after a change. */
  keys(): readonly string[] {
    this.sortedKeys ??= [...this.objects.keys()].sort();
    return this.sortedKeys;
  }

  /**
   * Runs `work` under the lock on the caught-up state. It returns the ops to journal (durably,
   * before this resolves), a result, and file steps to run under the lock beside the append or
   * after it (see `Change`).
   */
  transact<T>(work: (state: IndexState) => Promise<Change<T>> | Change<T>, durable = true): Promise<T> {
    return this.serialise(() =>
      this.withLock(async () => {
        this.assertOpen();
        await this.catchUp(true);
        const { ops, result, alongsideCommit, afterCommit } = await work(this.state);
        if (ops.length > 0) {
          const op: IndexOp = ops.length === 1 ? ops[0]! : { t: 'batch', ops };
          const alongside = alongsideCommit?.().catch(() => undefined);
          try {
            await this.append(op, durable);
          } catch (error) {
            const undo = await alongside;
            await undo?.().catch(() => undefined);
            throw error;
          }
          await alongside;
          this.apply(op);
        }
        await afterCommit?.();
        return result;
      }),
    );
  }

  /** Picks up other processes' changes; cheap when there are none. */
  refresh(): Promise<boolean> {
    return this.serialise(async () => {
      if (this.closed) return false;
      const before = `${this.generation}:${this.journalOffset}:${this.snapshotMtime}`;
      await this.catchUp(false);
      const changed = before !== `${this.generation}:${this.journalOffset}:${this.snapshotMtime}`;
      return changed;
    });
  }

  /** Rewrites the snapshot with everything journaled, then starts an empty journal. */
  compact(): Promise<void> {
    return this.serialise(() =>
      this.withLock(async () => {
        if (this.closed) return;
        await this.catchUp(true);
        if (this.journalOffset === 0 && this.snapshotMtime !== -1) return;
        await this.options.beforeCompact?.();
        const oldJournal = this.journalPath();
        const snapshot: Snapshot = {
          format: INDEX_FORMAT,
          formatVersion: INDEX_FORMAT_VERSION,
          generation: this.generation + 1,
          objects: [...this.objects.values()],
          intents: [...this.intents.values()],
          leases: [...this.leases.values()],
          counters: this.counters,
        };
        try {
          await writeFileDurably(this.file, JSON.stringify(snapshot), 'the storage index');
        } catch (error) {
          throw fileError(error, `compacting ${this.file}`);
        }
        this.generation += 1;
        this.journalOffset = 0;
        this.readSignature();
        await this.useJournal(this.journalPath());
        // Only now is every journal line inside the durable snapshot.
        await rm(oldJournal, { force: true });
      }),
    );
  }

  /**
   * Compacts when the journal has grown past a small share of the snapshot (a CLI command that
   * changed one record does not rewrite 100,000), then refuses further changes.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.journalOffset > 0 && this.journalOffset < Math.max(256 * 1024, this.snapshotBytes / 16)) await this.queue;
    else await this.compact().catch((error: unknown) => this.options.onWarning?.(`Compacting the storage index failed: ${String(error)}`));
    this.closed = true;
    await this.releasing;
    await this.journal.close();
  }

  journalPath(generation = this.generation): string {
    return `${this.file}.${generation}.journal`;
  }

  private serialise<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('storage', `The storage index ${this.file} is closed.`);
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    await this.releasing;
    let lock;
    try {
      // A holder killed on this machine is taken over at once, so a crashed CLI never stalls the next one.
      lock = await acquireLock(this.file, { timeoutMs: 60_000 });
    } catch (error) {
      throw new StorageError('storage', `Could not lock the storage index ${this.file}: ${(error as Error).message}`);
    }
    try {
      return await work();
    } finally {
      // Everything this change needed the lock for is done: the caller goes on while it is removed.
      this.releasing = lock.release().catch(() => undefined);
    }
  }

  /**
   * Both looks at once: the snapshot's signature (another process compacted) and the journal's
   * size (another process appended). Under the lock both are stable; without it, a compaction
   * seen half-way (new snapshot, old journal still there) only shows up at the next look, and
   * nothing is missed, since the new snapshot holds all of the old journal.
   */
  private async catchUp(locked: boolean): Promise<void> {
    const current = statIfExists(this.file);
    let journal = await this.journal.probe();
    if ((current?.mtimeMs ?? -1) !== this.snapshotMtime || (current?.ino ?? -1) !== this.snapshotIno || journal?.removed) {
      await this.loadSnapshot();
      journal = await this.journal.probe();
    }
    await this.readJournal(journal, locked);
  }

  private readSignature(): void {
    this.setSignature(statIfExists(this.file));
  }

  private setSignature(current: Stats | undefined): void {
    this.snapshotMtime = current?.mtimeMs ?? -1;
    this.snapshotIno = current?.ino ?? -1;
    this.snapshotBytes = current?.size ?? 0;
  }

  /** Reads and appends go to `path` from now on (a new generation). */
  private async useJournal(path: string): Promise<void> {
    if (this.journal.path === path) return;
    await this.journal.close();
    this.journal = new JournalFile(path);
  }

  private async loadSnapshot(): Promise<void> {
    let snapshot: Snapshot | undefined;
    let text: string | undefined;
    let read: Stats | undefined;
    try {
      const handle = await open(this.file, 'r');
      try {
        text = await handle.readFile('utf8');
        // The signature of the very file read: a compaction that replaces it right after is seen next time.
        read = await handle.stat();
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StorageError('storage', `Could not read the storage index ${this.file}: ${(error as Error).message}`);
    }
    if (text !== undefined) {
      try {
        snapshot = JSON.parse(text) as Snapshot;
      } catch (error) {
        snapshot = await this.setAsideCorrupt(`it is not valid JSON (${(error as Error).message})`);
      }
      if (snapshot !== undefined && (typeof snapshot !== 'object' || snapshot === null || snapshot.format !== INDEX_FORMAT || !Array.isArray(snapshot.objects) || !Number.isSafeInteger(snapshot.generation))) {
        snapshot = await this.setAsideCorrupt('it is not a NeuroLake storage index');
      }
      if (snapshot !== undefined && snapshot.formatVersion > INDEX_FORMAT_VERSION) {
        throw new StorageError('storage', `The storage index ${this.file} was written by a newer NeuroLake (format ${snapshot.formatVersion}); update NeuroLake. The file was left untouched.`);
      }
    }
    const checked = checkedSnapshot(snapshot?.objects, snapshot?.intents, snapshot?.leases, (problem) => this.options.onWarning?.(`Skipped an entry of the storage index ${this.file}: ${problem}`));
    this.objects = new Map(checked.objects.map((record) => [record.key, record]));
    this.localBytesTotal = 0;
    for (const record of this.objects.values()) if (record.copies.local) this.localBytesTotal += record.size;
    this.intents = new Map(checked.intents.map((intent) => [intent.id, intent]));
    this.leases = new Map(checked.leases.map((lease) => [lease.id, lease]));
    this.counters = { ...(snapshot?.counters ?? { hits: 0, misses: 0 }) };
    // Without a snapshot (damaged, or deleted by hand), the newest journal holds the latest changes;
    // starting again at 0 would later read older journals left beside it as if they were new.
    this.generation = snapshot?.generation ?? (await this.newestJournalGeneration());
    this.journalOffset = 0;
    this.sortedKeys = undefined;
    this.setSignature(snapshot === undefined ? undefined : read);
    // A journal reopened by name, even of the same generation: the one held may be gone.
    await this.journal.close();
    this.journal = new JournalFile(this.journalPath());
  }

  /** A damaged index is never replaced silently: it is kept beside the new one, and reconcile reports the objects as orphans. */
  private async setAsideCorrupt(why: string): Promise<undefined> {
    const backup = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.file, backup);
    this.damaged = true;
    this.options.onWarning?.(
      `The storage index ${this.file} could not be read because ${why}. It was kept as ${backup}; a new index was started from its journal and the files of the local tier. ` +
        'Objects whose only copies are in the bucket are not in it: "neurolake storage verify" lists them as orphans.',
    );
    return undefined;
  }

  /** The generation of the newest journal beside the index (0 when there is none). */
  private async newestJournalGeneration(): Promise<number> {
    const prefix = `${basename(this.file)}.`;
    let newest = 0;
    for (const name of await readdir(dirname(this.file)).catch(() => [] as string[])) {
      const generation = Number(/^(\d+)\.journal$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '')?.[1]);
      if (Number.isSafeInteger(generation) && generation > newest) newest = generation;
    }
    return newest;
  }

  private async readJournal(journal: JournalProbe | undefined, locked: boolean): Promise<void> {
    if (journal === undefined || journal.size <= this.journalOffset) return;
    const buffer = await this.journal.read(this.journalOffset, journal.size);
    const lastNewline = buffer.lastIndexOf(0x0a);
    const complete = lastNewline === -1 ? 0 : lastNewline + 1;
    let applied = false;
    for (const line of buffer.subarray(0, complete).toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      let op: IndexOp;
      try {
        op = JSON.parse(line) as IndexOp;
      } catch {
        this.options.onWarning?.(`Skipped a damaged line in ${this.journalPath()}.`);
        continue;
      }
      const problem = opProblem(op);
      if (problem !== undefined) {
        this.options.onWarning?.(`Skipped a line in ${this.journalPath()}: ${problem}`);
        continue;
      }
      this.apply(op);
      // A lease alone changes nothing anyone sees.
      applied ||= op.t !== 'lease' && op.t !== 'release';
    }
    this.journalOffset += complete;
    // Nobody else writes while we hold the lock: the tail is a crashed, unacknowledged append.
    if (locked && complete < buffer.length) await this.journal.truncate(this.journalOffset);
    if (applied && !locked) this.options.onExternalChange?.();
  }

  private async append(op: IndexOp, durable: boolean): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(op)}\n`, 'utf8');
    try {
      // Under the lock and caught up, the file ends at journalOffset: a failed append is cut back to it.
      await this.journal.append(line, this.journalOffset, durable);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new StorageError(
        code === 'ENOSPC' ? 'no-space' : 'storage',
        code === 'ENOSPC'
          ? `The disk holding the storage index ${this.file} is full; the change was not saved and no object was lost.`
          : `Could not save the change to ${this.journalPath()}: ${(error as Error).message}`,
      );
    }
    this.journalOffset += line.length;
    if (this.journalOffset > Math.max(this.options.compactAfterBytes ?? 4 * 1024 * 1024, this.snapshotBytes / 2)) {
      // Compacting is queued behind this commit; a failure only leaves a longer journal.
      void this.compact().catch((error: unknown) => this.options.onWarning?.(`Compacting the storage index failed: ${String(error)}`));
    }
  }

  private apply(op: IndexOp): void {
    switch (op.t) {
      case 'put':
        if (!this.objects.has(op.r.key)) this.sortedKeys = undefined;
        this.setRecord(op.r);
        return;
      case 'del': {
        const old = this.objects.get(op.key);
        if (old === undefined) return;
        if (old.copies.local) this.localBytesTotal -= old.size;
        this.objects.delete(op.key);
        this.sortedKeys = undefined;
        return;
      }
      case 'touch': {
        const record = this.objects.get(op.key);
        if (op.hit) this.counters.hits += 1;
        else this.counters.misses += 1;
        if (record !== undefined) {
          this.setRecord({ ...record, lastAccess: op.at > record.lastAccess ? op.at : record.lastAccess, accessCount: record.accessCount + 1, hits: record.hits + (op.hit ? 1 : 0) });
        }
        return;
      }
      case 'intent':
        this.intents.set(op.intent.id, op.intent);
        return;
      case 'done':
        this.intents.delete(op.id);
        return;
      case 'lease':
        this.leases.set(op.lease.id, op.lease);
        return;
      case 'release':
        this.leases.delete(op.id);
        return;
      case 'batch':
        for (const inner of op.ops) this.apply(inner);
        return;
    }
  }

  private setRecord(record: ObjectRecord): void {
    const old = this.objects.get(record.key);
    if (old?.copies.local) this.localBytesTotal -= old.size;
    if (record.copies.local) this.localBytesTotal += record.size;
    this.objects.set(record.key, record);
  }
}

/**
 * The snapshot's signature, looked at on every read and store to see other processes' changes.
 * A stat of a file the kernel has cached takes microseconds; sent to the thread pool it costs this
 * thread about a tenth of a millisecond, and an absent file (no snapshot until the first
 * compaction) as much again to build the error. So it is done here, and absence is no error.
 */
function statIfExists(file: string): Stats | undefined {
  return statSync(file, { throwIfNoEntry: false });
}
