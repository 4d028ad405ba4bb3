// A progress update in words and as a share of its total, the same wherever it is shown: a VS
// Code notification, the CLI's plain lines, a progress bar's label.
import type { ProgressUpdate } from './progress';

const COUNT = new Intl.NumberFormat('en-US');

/** "Checking entries: 750 of 1,500", "Uploading sales.parquet: 12.0 of 40.0 MB", or just the message. */
export function describeProgress(update: ProgressUpdate): string {
  const message = update.message ?? 'Working';
  if (update.done === undefined) return message;
  if (update.total === undefined) return `${message}: ${amount(update.done, update.done, update.unit)}`;
  return `${message}: ${update.unit === 'bytes' ? `${amount(update.done, update.total, 'bytes', false)} of ${amount(update.total, update.total, 'bytes')}` : `${COUNT.format(update.done)} of ${COUNT.format(update.total)}`}`;
}

/** How far along, 0 to 100 (whole numbers), or undefined when the work has no known total. */
export function percentOf(update: ProgressUpdate): number | undefined {
  if (update.done === undefined || update.total === undefined) return undefined;
  if (update.total <= 0) return 100;
  return Math.min(100, Math.max(0, Math.floor((update.done / update.total) * 100)));
}

const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** A count in words; bytes in the unit that suits `scale`, so "12.0 of 40.0 MB" share one unit. */
function amount(value: number, scale: number, unit: ProgressUpdate['unit'], withUnit = true): string {
  if (unit !== 'bytes') return COUNT.format(value);
  const power = Math.min(BYTE_UNITS.length - 1, Math.max(0, Math.floor(Math.log(Math.max(scale, 1)) / Math.log(1024))));
  const text = power === 0 ? COUNT.format(value) : (value / 1024 ** power).toFixed(1);
  return withUnit ? `${text} ${BYTE_UNITS[power]}` : text;
}
