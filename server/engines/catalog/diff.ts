// Field-by-field differences between two versions of an entry, for "Show Versions" and the CLI.
import type { CatalogEntry } from './types';

export interface FieldChange {
  /** JSON path such as `description`, `tags`, `variables[1].type`. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface EntryDiff {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly changes: readonly FieldChange[];
}

const BOOKKEEPING = new Set(['version', 'updatedAt', 'createdAt']);

export function diffEntries(from: CatalogEntry, to: CatalogEntry): EntryDiff {
  const changes: FieldChange[] = [];
  walk(from, to, '', changes);
  return { id: to.id, from: from.version, to: to.version, changes: changes.filter((c) => !BOOKKEEPING.has(c.path)) };
}

function walk(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  const bothObjects = isObject(before) && isObject(after);
  // Tags and other short lists of text read better as one change than element by element.
  if (bothArrays && (before as unknown[]).every((v) => !isObject(v)) && (after as unknown[]).every((v) => !isObject(v))) {
    out.push({ path, before, after });
    return;
  }
  if (bothArrays) {
    const length = Math.max((before as unknown[]).length, (after as unknown[]).length);
    for (let i = 0; i < length; i++) walk((before as unknown[])[i], (after as unknown[])[i], `${path}[${i}]`, out);
    return;
  }
  if (bothObjects) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) walk(before[key], after[key], path === '' ? key : `${path}.${key}`, out);
    return;
  }
  out.push({ path, before, after });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
