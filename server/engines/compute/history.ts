// The durable run history: one JSON line per change of a run, appended and fsync'ed before the
// change is acknowledged, in <data folder>/compute/runs.jsonl; the last line of a run wins.
// Several processes (VS Code windows, the CLI) share it: appends happen under a cross-process
// lock after catching up with what others appended, and a torn last line (a writer killed
// mid-append, never acknowledged) is cut off. Compaction rewrites the file with one line a run.
import { mkdir, open, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { acquireLock, appendDurably, writeFileDurably } from '../common';
import { ComputeError } from './errors';
import type { Run } from './types';

const FORMAT = 'neurolake-compute-history';

export class RunHistory {
  private readonly runs = new Map<string, Run>();
  private offset = 0;
  private lines = 0;
  /** The file's inode: compaction renames a new file over it, which another process must notice. */
  private inode = -1;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly file: string) {}

  static async open(file: string): Promise<RunHistory> {
    await mkdir(dirname(file), { recursive: true });
    const history = new RunHistory(file);
    const handle = await open(file, 'a');
    await handle.close();
    await history.locked(() => history.catchUp(true));
    return history;
  }

  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  all(): Run[] {
    return [...this.runs.values()];
  }

  /**
   * Writes runs durably: `build` runs under the lock on the caught-up history (so it sees every
   * other process's runs, and may refuse by throwing); resolves once its lines are fsync'ed.
   */
  write(build: readonly Run[] | ((history: RunHistory) => readonly Run[])): Promise<readonly Run[]> {
    return this.serialise(() =>
      this.locked(async () => {
        await this.catchUp(true);
        const runs = typeof build === 'function' ? build(this) : build;
        const text = runs.map((run) => `${JSON.stringify({ format: FORMAT, run })}\n`).join('');
        try {
          // Every byte or nothing: a disk filling up stores part of a line and reports no error,
          // and a torn line would be cut off (with the run it acknowledged) by the next writer.
          await appendDurably(this.file, text, 'the run');
        } catch (error) {
          throw new ComputeError('storage', `The run history ${this.file} could not be written: ${(error as Error).message}`);
        }
        this.offset += Buffer.byteLength(text);
        this.lines += runs.length;
        for (const run of runs) this.runs.set(run.id, run);
        // The runs are durable already: a compaction that fails (a full disk) leaves a longer file, not an error.
        if (this.lines > 4 * this.runs.size + 1000) await this.compact().catch(() => undefined);
        return runs;
      }),
    );
  }

  /** Picks up what other processes appended; true when anything changed. */
  refresh(): Promise<boolean> {
    return this.serialise(async () => {
      const before = this.offset;
      await this.catchUp(false);
      return this.offset !== before;
    });
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async locked<T>(work: () => Promise<T>): Promise<T> {
    let lock: Awaited<ReturnType<typeof acquireLock>>;
    try {
      lock = await acquireLock(this.file);
    } catch (error) {
      throw new ComputeError('storage', `Could not lock the run history ${this.file}: ${(error as Error).message}`);
    }
    try {
      return await work();
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  private async catchUp(locked: boolean): Promise<void> {
    const info = await stat(this.file);
    const size = info.size;
    if (size < this.offset || info.ino !== this.inode) {
      this.inode = info.ino;
      // Compacted by another process: read it all again.
      this.runs.clear();
      this.offset = 0;
      this.lines = 0;
    }
    if (size === this.offset) return;
    const handle = await open(this.file, 'r');
    let text: string;
    try {
      const buffer = Buffer.alloc(size - this.offset);
      await handle.read(buffer, 0, buffer.length, this.offset);
      text = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
    const complete = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(0, complete).split('\n')) {
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // A line no process acknowledged (cut by a crash) cannot be in the middle; skip it.
        continue;
      }
      // A hand edit or another tool's line: only runs go in, so listing and adopting never trip on one.
      const run = runOf(parsed);
      if (run === undefined) continue;
      this.runs.set(run.id, run);
      this.lines++;
    }
    this.offset += Buffer.byteLength(text.slice(0, complete));
    if (locked && complete < text.length) await truncate(this.file, this.offset);
  }

  /** One line a run, written to a temp file, fsync'ed and renamed over the history. */
  private async compact(): Promise<void> {
    const text = [...this.runs.values()].map((run) => `${JSON.stringify({ format: FORMAT, run })}\n`).join('');
    await writeFileDurably(this.file, text, 'the compacted run history');
    this.inode = (await stat(this.file)).ino;
    this.offset = Buffer.byteLength(text);
    this.lines = this.runs.size;
  }
}

const STATES: ReadonlySet<unknown> = new Set(['queued', 'starting', 'running', 'completed', 'failed', 'cancelled', 'timed-out', 'lost', 'refused']);

/** The run a history line holds, or undefined when the line is not one of ours. */
function runOf(line: unknown): Run | undefined {
  if (typeof line !== 'object' || line === null || (line as { format?: unknown }).format !== FORMAT) return undefined;
  const run = (line as { run?: unknown }).run as Record<string, unknown> | null | undefined;
  if (typeof run !== 'object' || run === null) return undefined;
  const workload = run['workload'] as Record<string, unknown> | null | undefined;
  const decision = run['decision'];
  if (typeof run['id'] !== 'string' || !STATES.has(run['state']) || typeof run['submittedAt'] !== 'number' || typeof run['attempt'] !== 'number') return undefined;
  if (typeof workload !== 'object' || workload === null || typeof workload['id'] !== 'string' || typeof workload['run'] !== 'object' || workload['run'] === null) return undefined;
  if (typeof decision !== 'object' || decision === null) return undefined;
  return run as unknown as Run;
}
