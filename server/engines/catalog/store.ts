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
//
// Why it survives faults: an append is acknowledged only when all of it is durable, and a failed
// one is cut back, so a full disk loses nothing acknowledged. A lock whose holder died is taken over
// at once. Whatever cannot be read (a corrupt snapshot, a journal line that is not a change, a
// torn tail, a journal of another generation) is kept aside in a file named in a warning, never
// dropped silently and never left to reappear later. A folder that cannot be written still reads.
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { acquireLock, diskError, appendDurably, isReadOnlyError, LockTimeoutError, temporaryFilesOf, writeFileDurably, type HeldLock } from '../common';
import { DurableJsonFile } from './durableJsonFile';
import { CatalogError } from './errors';
import { isUsage, opProblem, parseJournalLines, recordProblem, type CatalogOp, type DamagedLine } from './journal';
import { addUsage, type CatalogRecord } from './record';
import type { EntryUsage } from './types';

export type { CatalogOp } from './journal';

export const CATALOG_FORMAT = 'neurolake-catalog';
export const CATALOG_FORMAT_VERSION = 1;

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
  /** How long a change waits for another process that holds the catalog's lock (default 30 s). */
  readonly lockTimeoutMs?: number;
}


interface StatSignature {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** What a load found unreadable and has not yet kept aside in a file. */
interface Unreadable {
  readonly records: unknown[];
  readonly usage: Record<string, unknown>;
}

export class CatalogStore {
  private records = new Map<string, CatalogRecord>();
  private usage = new Map<string, EntryUsage>();
  private generation = 0;
  private journalOffset = 0;
  /** 1-based number of the journal line at `journalOffset`, so warnings can name lines. */
  private journalLine = 1;
  private snapshotSignature: StatSignature | undefined;
  /** The signature of a snapshot found corrupt without the lock, so it is reported once. */
  private corruptSignature: string | undefined;
  private snapshotBytes = 0;
  /** Damaged journal lines were met under the lock: compact now, which keeps them aside. */
  private repairPending = false;
  private unreadable: Unreadable = { records: [], usage: {} };
  private readonly db: Low<SnapshotData>;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Serialises this process's own commits; the file lock serialises processes. */
  private queue: Promise<unknown> = Promise.resolve();
  private readOnlyReason: string | undefined;

  private constructor(
    readonly file: string,
    private readonly options: StoreOptions,
  ) {
    this.db = new Low(new DurableJsonFile<SnapshotData>(file, options.indent), emptySnapshot(0));
  }

  /** Opens the catalog; in a folder that cannot be written it opens for reading, and changes fail saying why. */
  static async open(file: string, options: StoreOptions = {}): Promise<CatalogStore> {
    await mkdir(dirname(file), { recursive: true }).catch((error: unknown) => {
      if (!isReadOnlyError(error)) throw storageError(error, file, 'the catalog folder');
    });
    const store = new CatalogStore(file, options);
    let lock: HeldLock;
    try {
      lock = await store.lock();
    } catch (error) {
      if (!(error instanceof CatalogError) || !isReadOnlyError(error.cause)) throw error;
      await store.catchUp(false);
      return store;
    }
    try {
      await store.catchUp(true);
      await store.removeLeftovers();
    } finally {
      await lock.release();
    }
    return store;
  }

  /** Why changes cannot be saved ("… is on a read-only disk"), while that is so; reading still works. */
  get readOnly(): string | undefined {
    return this.readOnlyReason;
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
        if (op.t === 'batch' && op.ops.length === 0) return result;
        // Never write what could not be read back: that would break every later load.
        const problem = opProblem(op);
        if (problem !== undefined) throw new Error(`Refused to save a malformed change to ${this.file}: ${problem}.`);
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
        if (this.journalOffset === 0 && this.snapshotSignature !== undefined && !this.hasUnreadable()) return;
        await this.compactLocked();
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

  /**
   * Compacts what is pending, so the snapshot file is complete, and stops the timers. Every change
   * is already durable in the journal, so a compaction that fails (a full disk) is only a warning,
   * and in a read-only folder there is nothing to do.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.idleTimer);
    try {
      await this.compact();
    } catch (error) {
      if (!(error instanceof CatalogError && isReadOnlyError(error.cause))) {
        this.warn(`The catalog file ${this.file} was not brought up to date: ${(error as Error).message} Every change is safe in ${this.journalPath()}.`);
      }
    }
    this.closed = true;
  }

  journalPath(generation = this.generation): string {
    return `${this.file}.${generation}.journal`;
  }

  private assertOpen(): void {
    if (this.closed) throw new CatalogError('storage', `The catalog ${this.file} is closed.`);
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }

  private async lock(): Promise<HeldLock> {
    try {
      const lock = await acquireLock(this.file, { timeoutMs: this.options.lockTimeoutMs });
      this.readOnlyReason = undefined;
      return lock;
    } catch (error) {
      if (isReadOnlyError(error)) {
        const folder = dirname(this.file);
        this.readOnlyReason = diskError(error, this.file).code === 'read-only' ? `${folder} is on a read-only disk` : `you have no permission to write in ${folder}`;
      }
      if (error instanceof LockTimeoutError) {
        const by = error.holder === undefined ? 'another process' : `process ${error.holder.pid} on ${error.holder.host}`;
        throw new CatalogError('storage', `The catalog ${this.file} is being changed by ${by}, which has held it for too long; nothing was changed. Try again when it has finished.`, undefined, { cause: error });
      }
      throw storageError(error, this.file);
    }
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    const lock = await this.lock();
    try {
      return await work();
    } finally {
      await lock.release();
    }
  }

  /**
   * Brings memory up to date with the files. Under the lock (`locked`) it may also repair them:
   * keep a corrupt snapshot or damaged lines aside, and cut off a torn last journal line (a writer
   * that crashed mid-append, never acknowledged) so the next append is clean.
   */
  private async catchUp(locked: boolean): Promise<void> {
    const current = await signature(this.file);
    if (!sameSignature(current, this.snapshotSignature)) await this.loadSnapshot(current, locked);
    if ((await this.readJournal(locked)) === 'shrank') {
      // A writer took back lines this process had already read (its fsync failed): start again from the files.
      await this.loadSnapshot(current, locked);
      await this.readJournal(locked);
    }
    if (locked && this.repairPending) {
      this.repairPending = false;
      await this.compactLocked().catch((error: unknown) => this.warn(`The catalog file ${this.file} could not be repaired now: ${(error as Error).message}`));
    }
  }

  private async loadSnapshot(current: StatSignature | undefined, locked: boolean): Promise<void> {
    let data: unknown;
    try {
      data = await this.db.adapter.read();
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw storageRead(error, this.file);
      return this.corrupt(`it is not valid JSON (${error.message})`, current, locked);
    }
    if (data === null) {
      this.setState(emptySnapshot(0), undefined, 0);
      if (locked) await this.tidyJournals();
      return;
    }
    const snapshot = data as Partial<SnapshotData>;
    if (typeof data !== 'object' || snapshot.format !== CATALOG_FORMAT || !Array.isArray(snapshot.records)) {
      return this.corrupt('it is not a NeuroLake catalog file', current, locked);
    }
    if (typeof snapshot.formatVersion === 'number' && snapshot.formatVersion > CATALOG_FORMAT_VERSION) {
      throw new CatalogError(
        'newer-format',
        `The catalog ${this.file} was written by a newer NeuroLake (format ${snapshot.formatVersion}; this version reads up to ${CATALOG_FORMAT_VERSION}). Update NeuroLake; the file was left untouched.`,
      );
    }
    const records: CatalogRecord[] = [];
    const unreadable: Unreadable = { records: [], usage: {} };
    for (const record of snapshot.records as unknown[]) {
      if (recordProblem(record) === undefined) records.push(record as CatalogRecord);
      else unreadable.records.push(record);
    }
    const usage: Record<string, EntryUsage> = Object.create(null) as Record<string, EntryUsage>;
    for (const [id, value] of Object.entries(typeof snapshot.usage === 'object' && snapshot.usage !== null ? snapshot.usage : {})) {
      if (isUsage(value)) usage[id] = value;
      else unreadable.usage[id] = value;
    }
    const generation = Number.isInteger(snapshot.generation) ? snapshot.generation! : 0;
    this.setState({ ...emptySnapshot(generation), records, usage }, await signature(this.file), current?.size ?? 0);
    if (unreadable.records.length > 0 || Object.keys(unreadable.usage).length > 0) {
      this.unreadable = unreadable;
      this.warn(
        `${unreadable.records.length} record(s) and ${Object.keys(unreadable.usage).length} usage count(s) in the catalog ${this.file} could not be read (${recordProblem(unreadable.records[0]) ?? 'malformed usage counts'}); the rest was loaded${locked ? '' : ', and the next change keeps them aside'}.`,
      );
      if (locked) this.repairPending = true;
    }
    if (locked) await this.tidyJournals();
  }

  private setState(snapshot: SnapshotData, snapshotSignature: StatSignature | undefined, bytes: number): void {
    this.records = new Map(snapshot.records.map((record) => [record.id, record]));
    this.usage = new Map(Object.entries(snapshot.usage));
    this.generation = snapshot.generation;
    this.journalOffset = 0;
    this.journalLine = 1;
    this.snapshotSignature = snapshotSignature;
    this.snapshotBytes = bytes;
    this.options.onReload?.();
  }

  /**
   * A snapshot that cannot be read. Without the lock it is left alone (reported once) and memory
   * keeps what it had. Under the lock it is kept aside, and so is every journal beside it: what
   * they held was acknowledged, so it is applied to the new catalog, and the warning says so.
   */
  private async corrupt(why: string, current: StatSignature | undefined, locked: boolean): Promise<void> {
    if (!locked) {
      const key = JSON.stringify(current);
      if (this.corruptSignature !== key) {
        this.corruptSignature = key;
        this.warn(`The catalog ${this.file} could not be read because ${why}. It was left as it is; the next change to the catalog keeps it aside.`);
      }
      return;
    }
    const backup = `${this.file}.corrupt-${stamp()}`;
    try {
      await rename(this.file, backup);
    } catch (error) {
      throw storageError(error, this.file, 'the damaged catalog file could not be kept aside, so it');
    }
    const journals = await this.journalFiles();
    const recovered = emptySnapshot(journals.length === 0 ? 0 : Math.max(...journals.map((j) => j.generation)) + 1);
    const state = { records: new Map<string, CatalogRecord>(), usage: new Map<string, EntryUsage>() };
    let damagedLines = 0;
    for (const journal of journals) {
      const text = await readFile(journal.path, 'utf8');
      const { ops, damaged } = parseJournalLines(text.slice(0, text.lastIndexOf('\n') + 1), 1);
      for (const op of ops) applyTo(state, op);
      damagedLines += damaged.length;
    }
    this.setState({ ...recovered, records: [...state.records.values()], usage: Object.fromEntries(state.usage) }, undefined, 0);
    if (journals.length === 0) {
      this.warn(`The catalog ${this.file} could not be read because ${why}. It was kept as ${backup} and a new, empty catalog was started.`);
      return;
    }
    // The recovered entries are durable in the new snapshot before their journals move aside.
    await this.writeSnapshot(recovered.generation);
    const kept: string[] = [];
    for (const journal of journals) {
      const aside = `${backup}.${journal.generation}.journal`;
      await rename(journal.path, aside);
      kept.push(aside);
    }
    this.warn(
      `The catalog ${this.file} could not be read because ${why}. It was kept as ${backup}; a new catalog was started with what its journal held ` +
        `(${state.records.size} entr${state.records.size === 1 ? 'y' : 'ies'}, applied${damagedLines > 0 ? `; ${damagedLines} damaged line(s) skipped` : ''}), and the journal was kept beside it as ${kept.join(', ')}.`,
    );
  }

  /** Applies the journal lines this process has not read yet; 'shrank' when the journal is shorter than what it read. */
  private async readJournal(locked: boolean): Promise<'read' | 'shrank'> {
    let handle;
    try {
      handle = await open(this.journalPath(), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'read';
      throw storageRead(error, this.journalPath());
    }
    let tail: Buffer | undefined;
    try {
      const { size } = await handle.stat();
      if (size < this.journalOffset) return 'shrank';
      if (size === this.journalOffset) return 'read';
      const buffer = Buffer.alloc(size - this.journalOffset);
      await handle.read(buffer, 0, buffer.length, this.journalOffset);
      const complete = buffer.lastIndexOf(0x0a) + 1;
      const text = buffer.subarray(0, complete).toString('utf8');
      const { ops, damaged } = parseJournalLines(text, this.journalLine);
      for (const op of ops) this.apply(op);
      this.journalOffset += complete;
      this.journalLine += text.split('\n').length - 1;
      if (damaged.length > 0) this.reportDamaged(damaged, locked);
      if (locked && complete < buffer.length) tail = buffer.subarray(complete);
    } finally {
      await handle.close();
    }
    if (tail !== undefined) await this.cutTornTail(tail);
    return 'read';
  }

  private reportDamaged(damaged: readonly DamagedLine[], locked: boolean): void {
    const which = damaged.slice(0, 3).map((line) => `line ${line.line}: ${line.reason}`).join('; ');
    const more = damaged.length > 3 ? ` and ${damaged.length - 3} more` : '';
    this.warn(
      `Skipped ${damaged.length} damaged line(s) of ${this.journalPath()} (${which}${more}); the rest of the catalog was loaded. ` +
        (locked ? 'They are kept aside next to it.' : 'The next change to the catalog keeps them aside.'),
    );
    if (locked) this.repairPending = true;
  }

  /** Nobody else can be writing while we hold the lock: the tail is a crashed, unacknowledged append. */
  private async cutTornTail(tail: Buffer): Promise<void> {
    const journal = this.journalPath();
    const aside = `${journal}.torn-${stamp()}`;
    const kept = await writeFileDurably(aside, tail).then(
      () => `kept in ${aside}`,
      (error: unknown) => `not kept: ${(error as Error).message}`,
    );
    const writable = await open(journal, 'r+');
    try {
      await writable.truncate(this.journalOffset);
    } finally {
      await writable.close();
    }
    this.warn(`Cut off an unfinished last line of ${journal} (${tail.length} bytes, a change that was never acknowledged: a process stopped while writing it); ${kept}.`);
  }

  private hasUnreadable(): boolean {
    return this.unreadable.records.length > 0 || Object.keys(this.unreadable.usage).length > 0 || this.repairPending;
  }

  /** Under the lock, caught up: keeps aside what could not be read, writes the snapshot, drops the folded journal. */
  private async compactLocked(): Promise<void> {
    const oldJournal = this.journalPath();
    await this.keepUnreadableAside(oldJournal);
    await this.writeSnapshot(this.generation + 1);
    this.generation += 1;
    this.journalOffset = 0;
    this.journalLine = 1;
    this.snapshotSignature = await signature(this.file);
    this.snapshotBytes = this.snapshotSignature?.size ?? 0;
    // Only now is every journal line inside the durable snapshot.
    await rm(oldJournal, { force: true });
  }

  private async writeSnapshot(generation: number): Promise<void> {
    this.db.data = {
      format: CATALOG_FORMAT,
      formatVersion: CATALOG_FORMAT_VERSION,
      generation,
      records: [...this.records.values()],
      usage: Object.fromEntries(this.usage),
    };
    try {
      await this.db.write();
    } catch (error) {
      throw storageError(error, this.file, 'the catalog snapshot');
    }
  }

  /** Before a journal is folded away, its damaged lines (and records a load could not read) go to a file of their own. */
  private async keepUnreadableAside(journal: string): Promise<void> {
    let damaged: DamagedLine[] = [];
    try {
      damaged = parseJournalLines(await readFile(journal, 'utf8'), 1).damaged;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw storageRead(error, journal);
    }
    if (damaged.length > 0) {
      const aside = `${journal}.damaged-${stamp()}`;
      await writeFileDurably(aside, damaged.map((line) => `${line.text}\n`).join(''), 'the damaged journal lines').catch((error: unknown) => {
        throw storageError(error, aside);
      });
      this.warn(`${damaged.length} damaged line(s) of ${journal} were kept in ${aside}.`);
    }
    const { records, usage } = this.unreadable;
    if (records.length > 0 || Object.keys(usage).length > 0) {
      const aside = `${this.file}.unreadable-${stamp()}`;
      await writeFileDurably(aside, JSON.stringify({ records, usage }, null, 2), 'the unreadable records').catch((error: unknown) => {
        throw storageError(error, aside);
      });
      this.unreadable = { records: [], usage: {} };
      this.warn(`The unreadable records of ${this.file} were kept in ${aside}.`);
    }
  }

  private async journalFiles(): Promise<{ generation: number; path: string }[]> {
    const prefix = `${basename(this.file)}.`;
    const names = await readdir(dirname(this.file)).catch(() => [] as string[]);
    return names
      .map((name) => (name.startsWith(prefix) ? /^(\d+)\.journal$/.exec(name.slice(prefix.length)) : null))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ generation: Number(match[1]), path: join(dirname(this.file), `${prefix}${match[0]}`) }))
      .sort((a, b) => a.generation - b.generation);
  }

  /**
   * Journals of other generations than the snapshot's are never replayed, so they must not linger
   * and reappear once the generation comes round. An older one whose changes the snapshot holds is
   * what a crash mid-compaction leaves: removed. Any other is kept aside and reported.
   */
  private async tidyJournals(): Promise<void> {
    for (const journal of await this.journalFiles()) {
      if (journal.generation === this.generation) continue;
      const text = await readFile(journal.path, 'utf8').catch(() => '');
      const { ops } = parseJournalLines(text.slice(0, text.lastIndexOf('\n') + 1), 1);
      if (journal.generation < this.generation && ops.every((op) => this.holds(op))) {
        await rm(journal.path, { force: true });
        continue;
      }
      const aside = `${journal.path}.unmerged-${stamp()}`;
      await rename(journal.path, aside);
      this.warn(`The journal ${journal.path} belongs to another version of the catalog file than ${this.file} now is (generation ${journal.generation}, not ${this.generation}); its changes were not applied and it was kept as ${aside}.`);
    }
  }

  /** Whether the loaded snapshot already holds what `op` wrote (uses are counted, never checked). */
  private holds(op: CatalogOp): boolean {
    if (op.t === 'batch') return op.ops.every((inner) => this.holds(inner));
    if (op.t === 'use') return true;
    const ours = this.records.get(op.record.id);
    return ours !== undefined && ours.versions.length >= op.record.versions.length;
  }

  /** Temporary snapshots of a process that crashed while compacting; under the lock nobody is writing one. */
  private async removeLeftovers(): Promise<void> {
    for (const temp of await temporaryFilesOf(this.file)) await rm(temp, { force: true }).catch(() => undefined);
  }

  private async append(op: CatalogOp): Promise<void> {
    const line = `${JSON.stringify(op)}\n`;
    try {
      await appendDurably(this.journalPath(), line);
    } catch (error) {
      // appendDurably cut the journal back to where it was: the catalog is as it was before.
      throw storageError(error, this.file);
    }
    this.journalOffset += Buffer.byteLength(line, 'utf8');
    this.journalLine += 1;
  }

  private apply(op: CatalogOp): void {
    applyTo({ records: this.records, usage: this.usage }, op);
    if (op.t === 'batch') {
      for (const inner of op.ops) this.options.onApply?.(inner);
      return;
    }
    this.options.onApply?.(op);
  }

  private scheduleCompaction(): void {
    const threshold = Math.max(this.options.compactAfterBytes ?? 1024 * 1024, this.snapshotBytes / 4);
    clearTimeout(this.idleTimer);
    if (this.journalOffset >= threshold) {
      void this.compact().catch((error: unknown) => this.warn(`Compacting the catalog failed: ${(error as Error).message}`));
      return;
    }
    this.idleTimer = setTimeout(() => {
      void this.compact().catch((error: unknown) => this.warn(`Compacting the catalog failed: ${(error as Error).message}`));
    }, this.options.idleCompactMs ?? 2000);
    // A pending tidy-up must not keep a CLI process alive.
    this.idleTimer.unref();
  }
}

/** Applies a checked change to a state; batches hold plain changes only. */
function applyTo(state: { records: Map<string, CatalogRecord>; usage: Map<string, EntryUsage> }, op: CatalogOp): void {
  switch (op.t) {
    case 'put':
      state.records.set(op.record.id, op.record);
      return;
    case 'use':
      state.usage.set(op.id, addUsage(state.usage.get(op.id), op.action, op.at));
      return;
    case 'batch':
      for (const inner of op.ops) applyTo(state, inner);
  }
}

function storageError(error: unknown, file: string, what?: string): CatalogError {
  if (error instanceof CatalogError) return error;
  return new CatalogError('storage', diskError(error, file, what).message, undefined, { cause: error });
}

function storageRead(error: unknown, file: string): CatalogError {
  return new CatalogError('storage', `Could not read the catalog ${file}: ${(error as Error).message}`, undefined, { cause: error });
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
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
