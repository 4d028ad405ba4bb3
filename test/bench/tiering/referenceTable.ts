// The rows to replay and their published figures, read from the traces folder's README so the
// bench follows it: one row per (trace, capacity), with the reference hit ratios by policy.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOfFile } from './traces';

export interface ReferenceRow {
  readonly file: string;
  readonly label: string;
  readonly capacity: number;
  readonly bytes: boolean;
  /** Reference figures by policy name, as fractions; byte hit ratios only on byte rows. */
  readonly hitRatio: Readonly<Record<string, number>>;
  readonly byteHitRatio: Readonly<Record<string, number>>;
}

const COLUMN_NAMES: Readonly<Record<string, string>> = {
  LRU: 'lru',
  ARC: 'arc',
  'W-TinyLFU': 'wtinylfu',
  'W-TinyLFU adaptive': 'wtinylfu-adaptive',
  'S3-FIFO': 's3fifo',
  SIEVE: 'sieve',
  GDSF: 'gdsf',
  OPT: 'opt',
  'OPT*': 'opt',
};

function cells(line: string): string[] {
  return line.split('|').slice(1, -1).map((cell) => cell.trim());
}

/** Parses the "independent simulator" tables: entry rows by trace name, byte rows on the sized trace. */
export function readReferenceTable(tracesFolder: string): ReferenceRow[] {
  const readme = readFileSync(join(tracesFolder, 'README.md'), 'utf8');
  const files = readdirSync(tracesFolder);
  const start = readme.indexOf('## Reference figures');
  if (start < 0) throw new Error(`${tracesFolder}/README.md has no "## Reference figures" section.`);
  const rows: ReferenceRow[] = [];
  let header: string[] = [];
  for (const line of readme.slice(start).split('\n')) {
    if (!line.startsWith('|')) {
      header = line.trim() === '' ? header : [];
      continue;
    }
    const row = cells(line);
    if (row[0] === 'trace' || row[0] === 'capacity (bytes)') {
      header = row;
      continue;
    }
    if (row.every((cell) => /^-+:?$|^:?-+:?$/.test(cell))) continue;
    const bytes = header[0] === 'capacity (bytes)';
    const figures = bytes ? row.slice(1) : row.slice(2);
    const names = bytes ? header.slice(1) : header.slice(2);
    const capacity = Number((bytes ? row[0] : row[1])?.replace(/,/g, ''));
    const file = bytes ? files.find((name) => formatOfFile(name) === 'adapt') : files.find((name) => name.startsWith(`${row[0]}.`));
    if (file === undefined || !Number.isFinite(capacity)) continue;
    const hitRatio: Record<string, number> = {};
    const byteHitRatio: Record<string, number> = {};
    names.forEach((name, index) => {
      const policy = COLUMN_NAMES[name];
      const [hit, byteHit] = (figures[index] ?? '').split('/').map((part) => Number(part.trim()) / 100);
      if (policy === undefined || hit === undefined || !Number.isFinite(hit)) return;
      hitRatio[policy] = hit;
      if (byteHit !== undefined && Number.isFinite(byteHit)) byteHitRatio[policy] = byteHit;
    });
    rows.push({ file: join(tracesFolder, file), label: bytes ? file.split('.')[0] ?? file : row[0] ?? file, capacity, bytes, hitRatio, byteHitRatio });
  }
  return rows;
}
