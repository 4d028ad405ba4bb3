// How an entry is kept: every version as a full snapshot, plus the flags that are not versions
// (deprecation, deletion), so any version can be read back exactly as it was.
import type { CatalogEntry, EntryUsage, UsageAction } from './types';

export interface CatalogRecord {
  readonly id: string;
  /** Oldest first; the last one is the current version. Never empty. */
  readonly versions: readonly CatalogEntry[];
  readonly deprecated?: { readonly reason: string; readonly at: string };
  readonly deletedAt?: string;
}

/** The entry as users see it now: the latest version with the record's flags applied. */
export function currentEntry(record: CatalogRecord): CatalogEntry {
  const latest = record.versions[record.versions.length - 1]!;
  const { deprecated: _d, deletedAt: _x, ...content } = latest;
  return {
    ...content,
    ...(record.deprecated === undefined ? {} : { deprecated: record.deprecated }),
    ...(record.deletedAt === undefined ? {} : { deletedAt: record.deletedAt }),
  } as CatalogEntry;
}

export function emptyUsage(): EntryUsage {
  return { counts: { inserted: 0, rendered: 0, executed: 0 } };
}

export function addUsage(usage: EntryUsage | undefined, action: UsageAction, at: string): EntryUsage {
  const base = usage ?? emptyUsage();
  return { counts: { ...base.counts, [action]: base.counts[action] + 1 }, lastUsedAt: at };
}

export function totalUses(usage: EntryUsage | undefined): number {
  return usage === undefined ? 0 : usage.counts.inserted + usage.counts.rendered + usage.counts.executed;
}
