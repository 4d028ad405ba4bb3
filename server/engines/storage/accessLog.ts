// The access history: one JSON line per read and write (time, key, bytes, tier served from, hit
// or miss), which the placement policy learns from and the cost engine replays. Bounded: the file
// is rotated at `maxBytes` and only `keep` old files are kept. Lines are batched and appended
// without fsync: losing the last few on a crash costs statistics, never an object.
import { appendFile, open, readFile, rename, rm, stat } from 'node:fs/promises';
import type { TierName } from './types';

export interface AccessEntry {
  /** ISO time. */
  readonly at: string;
  readonly key: string;
  readonly bytes: number;
  readonly op: 'read' | 'write';
  /** Tier the read was served from, or the write went to. */
  readonly tier: TierName;
  readonly hit: boolean;
}

export class AccessLog {
  private pending: string[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** Whether the file's last byte was looked at: after our own appends it is always a newline. */
  private tailChecked = false;

  constructor(
    readonly file: string,
    private readonly maxBytes = 8 * 1024 * 1024,
    private readonly keep = 3,
    private readonly onWarning?: (message: string) => void,
  ) {}

  record(entry: AccessEntry): void {
    this.pending.push(JSON.stringify(entry));
    if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), 200);
      this.timer.unref();
    }
  }

  /** Writes what is pending; resolves when it is in the file. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending;
    this.pending = [];
    if (lines.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(lines)).catch((error: unknown) => this.onWarning?.(`Could not write the access log ${this.file}: ${String(error)}`));
    return this.flushing;
  }

  /** Every entry still kept, oldest first. */
  async entries(): Promise<AccessEntry[]> {
    await this.flush();
    const files = [...Array.from({ length: this.keep }, (_, index) => `${this.file}.${this.keep - index}`), this.file];
    const result: AccessEntry[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        if (line === '') continue;
        let entry: unknown;
        try {
          entry = JSON.parse(line);
        } catch {
          // A torn last line of a crashed process: skip it.
          continue;
        }
        // A hand edit or another tool's line: statistics and the cost replay read only entries.
        if (isEntry(entry)) result.push(entry);
      }
    }
    return result;
  }

  private async write(lines: readonly string[]): Promise<void> {
    let size = 0;
    try {
      size = (await stat(this.file)).size;
    } catch {
      // Not there yet.
    }
    if (size > this.maxBytes) {
      await this.rotate();
      size = 0;
    }
    // A process killed mid-append leaves a torn last line: start on a line of our own, not glued to it.
    const torn = !this.tailChecked && size > 0 && !(await endsWithNewline(this.file, size));
    this.tailChecked = true;
    try {
      await appendFile(this.file, `${torn ? '\n' : ''}${lines.join('\n')}\n`);
    } catch (error) {
      // A full disk may have taken part of the batch: look at the tail again before the next one.
      this.tailChecked = false;
      throw error;
    }
  }

  private async rotate(): Promise<void> {
    await rm(`${this.file}.${this.keep}`, { force: true });
    for (let index = this.keep - 1; index >= 1; index -= 1) {
      await rename(`${this.file}.${index}`, `${this.file}.${index + 1}`).catch(() => undefined);
    }
    await rename(this.file, `${this.file}.1`).catch(() => undefined);
  }
}

function isEntry(value: unknown): value is AccessEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry['at'] === 'string' &&
    typeof entry['key'] === 'string' &&
    typeof entry['bytes'] === 'number' &&
    Number.isFinite(entry['bytes']) &&
    (entry['op'] === 'read' || entry['op'] === 'write') &&
    (entry['tier'] === 'local' || entry['tier'] === 'cloud' || entry['tier'] === 'archive') &&
    typeof entry['hit'] === 'boolean'
  );
}

async function endsWithNewline(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}
