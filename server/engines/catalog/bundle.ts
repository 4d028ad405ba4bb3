// Export and import of catalog bundles: one JSON file with a format version, to share patterns
// between people and repositories. Import validates everything first, then plans every change,
// so a dry run shows exactly what applying would do and applying is all or nothing.
import Ajv, { type ErrorObject } from 'ajv';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, bundleSchema } from './bundleSchema';
import { CatalogError } from './errors';
import { currentEntry, type CatalogRecord } from './record';
import type { CatalogOp } from './store';
import type { CatalogEntry, EntryKind } from './types';
import { normaliseContent } from './validation';
import { bumpVersion, classifyChange } from './versioning';

/** Bundles larger than this are refused before they are read into memory. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export interface CatalogBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly formatVersion: number;
  readonly exportedAt: string;
  readonly entries: readonly BundleEntry[];
}

export interface BundleEntry {
  readonly versions: readonly CatalogEntry[];
  readonly deprecated?: { readonly reason: string; readonly at: string };
}

export interface ExportFilter {
  readonly tags?: readonly string[];
  readonly kind?: EntryKind;
}

export function buildBundle(records: Iterable<CatalogRecord>, filter: ExportFilter, now: string): CatalogBundle {
  const entries: BundleEntry[] = [];
  for (const record of records) {
    if (record.deletedAt !== undefined) continue;
    const entry = currentEntry(record);
    if (filter.kind !== undefined && entry.kind !== filter.kind) continue;
    if (!(filter.tags ?? []).every((tag) => entry.tags.includes(tag))) continue;
    entries.push({ versions: record.versions, ...(record.deprecated === undefined ? {} : { deprecated: record.deprecated }) });
  }
  return { format: BUNDLE_FORMAT, formatVersion: BUNDLE_FORMAT_VERSION, exportedAt: now, entries };
}

/** What to do when an imported entry already exists (same id, or same kind and name). */
export type ConflictMode = 'skip' | 'overwrite' | 'newVersion';

export interface ImportItem {
  readonly id: string;
  readonly name: string;
  readonly kind: EntryKind;
  /** What applying does with it. */
  readonly action: 'add' | 'skip' | 'unchanged' | 'overwrite' | 'newVersion';
  readonly reason?: string;
}

export interface ImportReport {
  readonly dryRun: boolean;
  readonly items: readonly ImportItem[];
  readonly counts: Readonly<Record<ImportItem['action'], number>>;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Parses and validates a bundle's text; every error names the problem and where it is. */
export function parseBundle(text: string): CatalogBundle {
  if (Buffer.byteLength(text, 'utf8') > MAX_BUNDLE_BYTES) {
    throw new CatalogError('bundle-too-large', `The bundle is larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MB; split it by tag or kind.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogError('invalid-bundle', `The bundle is not JSON: ${(error as Error).message}.`);
  }
  const header = data as { format?: unknown; formatVersion?: unknown };
  if (typeof data !== 'object' || data === null || header.format !== BUNDLE_FORMAT) {
    throw new CatalogError('invalid-bundle', `The file is not a NeuroLake catalog bundle (format must be "${BUNDLE_FORMAT}").`, '/format');
  }
  if (typeof header.formatVersion === 'number' && header.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new CatalogError(
      'newer-format',
      `The bundle has format version ${header.formatVersion}, newer than this NeuroLake reads (${BUNDLE_FORMAT_VERSION}). Update NeuroLake to import it.`,
      '/formatVersion',
    );
  }
  validator ??= new Ajv({ allErrors: false, discriminator: true, strict: false }).compile(bundleSchema);
  if (!validator(data)) throw bundleError(validator.errors?.[0]);
  return data as CatalogBundle;
}

function bundleError(error: ErrorObject | null | undefined): CatalogError {
  const path = error?.instancePath || '/';
  const detail =
    error?.keyword === 'enum'
      ? `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
      : error?.keyword === 'additionalProperties'
        ? `has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`
        : (error?.message ?? 'is invalid');
  return new CatalogError('invalid-bundle', `The bundle's field ${path} ${detail}.`, path);
}

export interface ImportPlan {
  readonly report: ImportReport;
  readonly op: CatalogOp;
}

/** Checks an entry's every version as registering would; run on all entries before planning. */
export function checkBundleEntry(bundleEntry: BundleEntry, index: number): void {
  bundleEntry.versions.forEach((version, v) => {
    try {
      normaliseContent(version.kind, version as unknown as Record<string, unknown>, version.owner ?? '');
    } catch (error) {
      const path = error instanceof CatalogError && error.path !== undefined ? error.path.replace(/[.[\]]+/g, '/').replace(/\/$/, '') : '';
      throw new CatalogError('invalid-bundle', `The bundle's entry /entries/${index}/versions/${v} is invalid: ${(error as Error).message}`, `/entries/${index}/versions/${v}/${path}`);
    }
  });
}

/**
 * Decides, entry by entry, what an import does. Every entry must have passed `checkBundleEntry`:
 * that check needs no catalog state, so it runs before the lock is taken, with progress.
 */
export function planImport(
  bundle: CatalogBundle,
  records: ReadonlyMap<string, CatalogRecord>,
  builtinIds: ReadonlySet<string>,
  mode: ConflictMode,
  dryRun: boolean,
  now: string,
): ImportPlan {
  const byName = new Map<string, CatalogRecord>();
  for (const record of records.values()) {
    if (record.deletedAt === undefined) byName.set(nameKey(currentEntry(record)), record);
  }
  const items: ImportItem[] = [];
  const ops: CatalogOp[] = [];
  bundle.entries.forEach((bundleEntry) => {
    const latest = bundleEntry.versions[bundleEntry.versions.length - 1]!;
    const item = { id: latest.id, name: latest.name, kind: latest.kind };
    if (builtinIds.has(latest.id)) {
      items.push({ ...item, action: 'skip', reason: 'built-in entries ship with NeuroLake' });
      return;
    }
    const existing = records.get(latest.id) ?? byName.get(nameKey(latest));
    if (existing === undefined) {
      items.push({ ...item, action: 'add' });
      ops.push({ t: 'put', record: toRecord(bundleEntry) });
      return;
    }
    const ours = currentEntry(existing);
    if (classifyChange(ours, latest) === undefined && existing.deletedAt === undefined) {
      items.push({ ...item, id: existing.id, action: 'unchanged' });
      return;
    }
    if (mode === 'skip') {
      items.push({ ...item, id: existing.id, action: 'skip', reason: `exists as ${ours.name} ${ours.version}` });
      return;
    }
    if (mode === 'overwrite') {
      items.push({ ...item, id: existing.id, action: 'overwrite', reason: `replaces ${ours.name} ${ours.version}` });
      ops.push({ t: 'put', record: { ...toRecord(bundleEntry), id: existing.id, versions: bundleEntry.versions.map((e) => ({ ...e, id: existing.id })) } });
      return;
    }
    const bump = classifyChange(ours, latest) ?? 'patch';
    const version = bumpVersion(existing.versions[existing.versions.length - 1]!.version, bump);
    items.push({ ...item, id: existing.id, action: 'newVersion', reason: `${ours.version} → ${version}` });
    const { deprecated: _d, deletedAt: _x, ...content } = latest;
    ops.push({
      t: 'put',
      record: {
        ...existing,
        versions: [...existing.versions, { ...content, id: existing.id, version, createdAt: ours.createdAt, updatedAt: now } as CatalogEntry],
      },
    });
  });
  const counts = { add: 0, skip: 0, unchanged: 0, overwrite: 0, newVersion: 0 };
  for (const item of items) counts[item.action] += 1;
  return { report: { dryRun, items, counts }, op: { t: 'batch', ops } };
}

function toRecord(entry: BundleEntry): CatalogRecord {
  return {
    id: entry.versions[entry.versions.length - 1]!.id,
    versions: entry.versions.map(({ deprecated: _d, deletedAt: _x, ...content }) => content as CatalogEntry),
    ...(entry.deprecated === undefined ? {} : { deprecated: entry.deprecated }),
  };
}

export function nameKey(entry: { kind: EntryKind; name: string }): string {
  return `${entry.kind}:${entry.name.toLowerCase()}`;
}
