// Custom messages of the catalog, and the shapes they carry: the Catalog view, its commands and
// the editor use these. Method strings are written here and nowhere else.
import type { CatalogEntry, Deprecation, EntryKind, EntryUsage, SqlDialect, UsageAction, VariableValue } from './catalogEntry';
import { notification, request } from './descriptors';
import type { WorkDoneParams } from './progress';

/** An entry as lists show it: everything but the heavy content (body, logic, expression). */
export interface EntrySummary {
  readonly id: string;
  readonly kind: EntryKind;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly owner: string;
  readonly version: string;
  readonly updatedAt: string;
  readonly deprecated?: Deprecation;
  readonly deletedAt?: string;
  readonly builtin?: boolean;
  readonly usage?: EntryUsage;
}

export interface CatalogListParams {
  readonly kind?: EntryKind;
  readonly tags?: readonly string[];
  readonly includeDeleted?: boolean;
  /** Only entries without tags (the tree's "(untagged)" group). */
  readonly untagged?: boolean;
  /** A page of the name-ordered list, so a tree never loads 100,000 rows at once. */
  readonly offset?: number;
  readonly limit?: number;
}

export interface CatalogSearchResult {
  readonly results: readonly (EntrySummary & { readonly match: MatchKind })[];
  /** How many entries matched before the limit. */
  readonly total: number;
}

/** What "Search Catalog" asks for; every field narrows the results. */
export interface SearchQuery {
  readonly text?: string;
  /** Every tag must be present (AND). */
  readonly tags?: readonly string[];
  readonly kind?: EntryKind;
  readonly includeDeleted?: boolean;
  readonly limit?: number;
}

/** How a result matched the text: the whole name, its start, all words, or no text given. */
export type MatchKind = 'exact' | 'prefix' | 'words' | 'all';

/** A row of the Catalog view's top level: entries per kind, and per tag within a kind. */
export interface CatalogGroup {
  readonly kind: EntryKind;
  readonly count: number;
  readonly untagged: number;
  readonly tags: Readonly<Record<string, number>>;
}

/** Figures of `neurolake catalog stats` and the stats request, in snake_case so scripts read them as keys. */
export interface CatalogStats {
  readonly total_entries: number;
  readonly total_pipelines: number;
  readonly total_business_logic: number;
  readonly total_templates: number;
  readonly builtin_templates: number;
  readonly deprecated: number;
  readonly deleted: number;
  readonly total_usage: number;
  readonly usage_by_action: Readonly<Record<UsageAction, number>>;
  readonly most_used: readonly MostUsedEntry[];
  readonly by_tag: Readonly<Record<string, number>>;
}

export interface MostUsedEntry {
  readonly id: string;
  readonly name: string;
  readonly kind: EntryKind;
  readonly uses: number;
  readonly last_used_at?: string;
}

/** Which entries an export holds: all, or those of one kind and every given tag. */
export interface ExportFilter {
  readonly tags?: readonly string[];
  readonly kind?: EntryKind;
}

/** What to do when an imported entry already exists (same id, or same kind and name). */
export type ConflictMode = 'skip' | 'overwrite' | 'newVersion';

export type ImportAction = 'add' | 'skip' | 'unchanged' | 'overwrite' | 'newVersion';

export interface ImportItem {
  readonly id: string;
  readonly name: string;
  readonly kind: EntryKind;
  /** What applying does with it. */
  readonly action: ImportAction;
  readonly reason?: string;
}

export interface ImportReport {
  readonly dryRun: boolean;
  readonly items: readonly ImportItem[];
  readonly counts: Readonly<Record<ImportAction, number>>;
}

/** A catalog failure, carried in ResponseError.data so the client can show the field at fault. */
export interface CatalogErrorData {
  readonly code: string;
  readonly path?: string;
}

/** Sent by the Catalog view to fill its tree. */
export const CatalogListRequest = request<CatalogListParams, EntrySummary[], CatalogErrorData>('neurolake/catalog/list');

/** Sent by the Catalog view for its top rows: entries per kind, and per tag within a kind. */
export const CatalogGroupsRequest = request<Record<string, never>, CatalogGroup[], CatalogErrorData>('neurolake/catalog/groups');

/** Sent by "Search Catalog" as the user types. */
export const CatalogSearchRequest = request<SearchQuery, CatalogSearchResult, CatalogErrorData>('neurolake/catalog/search');

/** Sent to open, edit or insert an entry: the whole entry, at its latest or a given version. */
export const CatalogGetRequest = request<{ id: string; version?: string }, CatalogEntry, CatalogErrorData>('neurolake/catalog/get');

/** Sent by "Show Versions": every version, oldest first. */
export const CatalogVersionsRequest = request<{ id: string }, CatalogEntry[], CatalogErrorData>('neurolake/catalog/versions');

/** Sent by "Register Selection as Template" and friends; answers the new entry. */
export const CatalogRegisterRequest = request<{ entry: { kind: EntryKind } & Record<string, unknown> }, CatalogEntry, CatalogErrorData>('neurolake/catalog/register');

/** Sent when an edited entry is saved; the catalog makes a new version if anything changed. */
export const CatalogUpdateRequest = request<{ id: string; changes: Record<string, unknown> }, CatalogEntry, CatalogErrorData>('neurolake/catalog/update');

/** Sent to copy an entry (a built-in, typically) under a new name. */
export const CatalogCopyRequest = request<{ id: string; name: string }, CatalogEntry, CatalogErrorData>('neurolake/catalog/copy');

export type FlagAction = 'deprecate' | 'undeprecate' | 'delete' | 'restore';

/** Sent by Deprecate, Delete and Restore. */
export const CatalogSetFlagRequest = request<{ id: string; action: FlagAction; reason?: string }, CatalogEntry, CatalogErrorData>('neurolake/catalog/setFlag');

/** Sent when an entry is inserted, rendered or executed, for usage statistics. */
export const CatalogRecordUsageRequest = request<{ id: string; action: UsageAction }, EntryUsage, CatalogErrorData>('neurolake/catalog/recordUsage');

export const CatalogStatsRequest = request<Record<string, never>, CatalogStats, CatalogErrorData>('neurolake/catalog/stats');

/** Sent by "Export…": the bundle's JSON text, which the extension writes where the user chose. Reports progress; cancellable. */
export const CatalogExportRequest = request<ExportFilter & WorkDoneParams, { text: string; count: number }, CatalogErrorData>('neurolake/catalog/export');

/** Sent by "Import…" twice: first as a dry run to show the report, then to apply it. Reports progress; cancellable until saved. */
export const CatalogImportRequest = request<{ text: string; mode: ConflictMode; dryRun: boolean } & WorkDoneParams, ImportReport, CatalogErrorData>(
  'neurolake/catalog/import',
);

export interface CatalogRenderParams {
  readonly id: string;
  readonly values: Record<string, VariableValue>;
  readonly dialect?: SqlDialect;
  /** The target editor's indentation, so inserted SQL matches the file it lands in. */
  readonly indent?: { readonly tabWidth: number; readonly useTabs: boolean };
}

export interface RenderedSql {
  readonly sql: string;
  readonly warnings: readonly string[];
}

/**
 * Sent by "Insert into Editor": renders a template with the user's values, formatted. Counts no
 * use; the sender records one (CatalogRecordUsageRequest) once the SQL is where it goes.
 */
export const CatalogRenderRequest = request<CatalogRenderParams, RenderedSql, CatalogErrorData>('neurolake/catalog/render');

/**
 * Sent by "Refresh": reads what other processes (the CLI, another window) wrote to the catalog
 * file now, rather than when the file watcher next fires. `changed`: it found something new.
 */
export const CatalogRefreshRequest = request<Record<string, never>, { changed: boolean }, CatalogErrorData>('neurolake/catalog/refresh');

/** Sent by the server whenever the catalog changed, in this window or another process. */
export const DidChangeCatalogNotification = notification<{ ids: readonly string[] }>('neurolake/catalog/didChange');

/** Sent by "Register Selection as Template": the `{{variables}}` a body uses, or why it cannot be read. */
export const CatalogDetectVariablesRequest = request<{ body: string }, { variables: string[] }, CatalogErrorData>('neurolake/catalog/detectVariables');
