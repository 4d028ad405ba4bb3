// What the one progress notification of Store Files…, Store Folder… and a drop says: files done of
// the total, bytes done of the total and the time left, estimated from the bytes written so far.
// Pure (the clock is passed in), so the wording and the estimate are tested without VS Code.
// The summaries at the end are here too.
import type { StorageObject, StorageTier } from '../../server/protocol';
import { TIER_LABELS } from './storeTargets';

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in the unit that suits `scale`, so "12.0 of 40.0 MB" share one unit. */
export function formatBytes(bytes: number, scale = bytes, withUnit = true): string {
  const power = Math.min(UNITS.length - 1, Math.max(0, Math.floor(Math.log(Math.max(scale, 1)) / Math.log(1024))));
  const text = power === 0 ? String(Math.round(bytes)) : (bytes / 1024 ** power).toFixed(1);
  return withUnit ? `${text} ${power === 0 && Math.round(bytes) === 1 ? 'byte' : UNITS[power]}` : text;
}

/** A duration to wait, rounded the way people say it: "5 s", "2 min", "1 h 10 min". */
export function formatRemaining(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** Below this much elapsed time a rate says little, so no time left is shown yet. */
const MIN_ELAPSED_FOR_ESTIMATE_MS = 1000;

export class StoreProgress {
  private filesDone = 0;
  private bytesOfDoneFiles = 0;
  private currentSize = 0;
  private currentFraction = 0;
  private shownPercent = 0;

  constructor(
    readonly totalFiles: number,
    readonly totalBytes: number,
    private readonly startedAt: number,
  ) {}

  /** Bytes written so far: the finished files (stored or not) and the share of the current one. */
  get bytesDone(): number {
    return this.bytesOfDoneFiles + this.currentSize * this.currentFraction;
  }

  get files(): number {
    return this.filesDone;
  }

  /** A file of `size` bytes starts. */
  startFile(size: number): void {
    this.currentSize = size;
    this.currentFraction = 0;
  }

  /** The server's percentage of the current file (work-done progress). */
  fileProgress(percentage: number): void {
    this.currentFraction = Math.min(1, Math.max(this.currentFraction, percentage / 100));
  }

  /** The current file is over, stored or failed: its bytes count as done either way. */
  finishFile(): void {
    this.filesDone += 1;
    this.bytesOfDoneFiles += this.currentSize;
    this.currentSize = 0;
    this.currentFraction = 0;
  }

  /** Seconds left at the rate so far; undefined until there is a rate to go by. */
  secondsLeft(now: number): number | undefined {
    const elapsed = now - this.startedAt;
    const done = this.bytesDone;
    if (elapsed < MIN_ELAPSED_FOR_ESTIMATE_MS || done <= 0) return undefined;
    const rate = done / elapsed;
    return Math.max(0, this.totalBytes - done) / rate / 1000;
  }

  /** "2 of 5 files · 1.5 of 4.0 MB · about 3 s left". */
  message(now: number): string {
    const files = `${this.filesDone} of ${this.totalFiles} ${this.totalFiles === 1 ? 'file' : 'files'}`;
    const bytes = `${formatBytes(this.bytesDone, this.totalBytes, false)} of ${formatBytes(this.totalBytes)}`;
    const left = this.secondsLeft(now);
    const eta = left === undefined ? 'estimating time left' : `about ${formatRemaining(left)} left`;
    return `${files} · ${bytes} · ${eta}`;
  }

  /**
   * How far the bar should move now (VS Code adds increments up): whole percent of the bytes, or
   * of the files when there are no bytes to count. Never negative.
   */
  increment(): number {
    const percent = this.totalBytes > 0 ? (this.bytesDone / this.totalBytes) * 100 : this.totalFiles > 0 ? (this.filesDone / this.totalFiles) * 100 : 100;
    const whole = Math.min(100, Math.floor(percent));
    const step = Math.max(0, whole - this.shownPercent);
    this.shownPercent = Math.max(this.shownPercent, whole);
    return step;
  }
}

/** What a store of several files came to. */
export interface StoreOutcome {
  readonly total: number;
  readonly stored: readonly StorageObject[];
  readonly failed: readonly { readonly key: string; readonly error: string }[];
  /** Stored, but the move to the tier they were dropped on failed: they stay where the engine put them. */
  readonly notMoved: readonly { readonly key: string; readonly error: string }[];
  readonly cancelled: boolean;
}

/** What moving several objects to one tier came to. */
export interface MoveOutcome {
  readonly tier: StorageTier;
  readonly total: number;
  readonly moved: StorageObject[];
  readonly failed: { readonly key: string; readonly error: string }[];
  /** Already served from the tier: nothing to do. */
  alreadyThere: number;
  cancelled: boolean;
}

export interface Summary {
  readonly severity: 'info' | 'warning';
  readonly message: string;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "2 in Local, 1 in Cloud": where the stored objects are served from now. */
function whereTheyAre(objects: readonly StorageObject[]): string {
  const counts = new Map<StorageTier, number>();
  for (const object of objects) counts.set(object.tier, (counts.get(object.tier) ?? 0) + 1);
  return (['local', 'cloud', 'archive'] as const)
    .filter((tier) => counts.has(tier))
    .map((tier) => `${counts.get(tier)!} in ${TIER_LABELS[tier]}`)
    .join(', ');
}

/** " 2 failed: "a.csv": <why> (and 1 more, see the log)": the first problem in full. */
function problems(list: readonly { key: string; error: string }[], what: string): string {
  const [first] = list;
  if (first === undefined) return '';
  const more = list.length > 1 ? ` (and ${list.length - 1} more, see the log)` : '';
  // Quoted as JSON, so a control character in a refused name shows as \u0007, not as nothing.
  return ` ${list.length} ${what}: ${JSON.stringify(first.key)}: ${first.error}${more}`;
}

/** The sentence after Store Files…, Store Folder… or a drop. */
export function describeStore(outcome: StoreOutcome, tier: StorageTier | undefined): Summary {
  const { total, stored, failed, notMoved, cancelled } = outcome;
  const bytes = stored.reduce((sum, object) => sum + object.size, 0);
  const where = stored.length === 0 ? '' : ` (${formatBytes(bytes)}): ${whereTheyAre(stored)}`;
  const head = cancelled
    ? `Cancelled: stored ${stored.length} of ${plural(total, 'file')}${where}; the rest were not stored.`
    : total === 0
      ? 'Nothing to store: no files were chosen.'
      : stored.length === total
        ? `Stored ${plural(total, 'file')}${where}.`
        : `Stored ${stored.length} of ${plural(total, 'file')}${where}.`;
  const notMovedText = tier === undefined ? '' : problems(notMoved, `not moved to ${TIER_LABELS[tier]}`);
  const message = `${head}${problems(failed, 'failed')}${notMovedText}`;
  return { severity: failed.length > 0 || notMoved.length > 0 || total === 0 ? 'warning' : 'info', message };
}

/** The sentence after objects were dragged onto a tier. */
export function describeMoves(outcome: MoveOutcome): Summary {
  const to = TIER_LABELS[outcome.tier];
  const restoring = outcome.moved.filter((object) => object.restoring !== undefined);
  const parts = [
    outcome.cancelled ? `Cancelled: moved ${outcome.moved.length - restoring.length} of ${plural(outcome.total, 'object')} to ${to}.` : `Moved ${plural(outcome.moved.length - restoring.length, 'object')} to ${to}.`,
    ...(restoring.length > 0 ? [`${plural(restoring.length, 'object is', 'objects are')} being restored from the archive first (readable around ${new Date(restoring[0]!.restoring!.expectedAt).toLocaleString()}).`] : []),
    ...(outcome.alreadyThere > 0 ? [`${plural(outcome.alreadyThere, 'object was', 'objects were')} there already.`] : []),
  ];
  const message = `${parts.join(' ')}${problems(outcome.failed, 'failed')}`;
  return { severity: outcome.failed.length > 0 ? 'warning' : 'info', message };
}
