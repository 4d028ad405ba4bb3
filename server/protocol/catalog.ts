// Custom messages of the catalog: the Catalog view, its commands and the editor use these.
// Method strings are written here and nowhere else.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { CatalogGroup, CatalogStats, FoundEntry } from '../engines/catalog/catalog';
import type { ConflictMode, ExportFilter, ImportReport } from '../engines/catalog/bundle';
import type { SearchQuery } from '../engines/catalog/searchIndex';
import type { CatalogEntry, EntryKind, EntryUsage, SqlDialect, UsageAction, VariableValue } from '../engines/catalog/types';
import type { WorkDoneParams } from './progress';

export type { CatalogEntry, CatalogGroup, CatalogStats, ConflictMode, EntryKind, ExportFilter, ImportReport, SearchQuery, SqlDialect, UsageAction, VariableValue };

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
  readonly deprecated?: { readonly reason: string; readonly at: string };
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

export type CatalogSearchResult = {
  readonly results: readonly (EntrySummary & { readonly match: FoundEntry['match'] })[];
  readonly total: number;
};

/** A catalog failure, carried in ResponseError.data so the client can show the field at fault. */
export interface CatalogErrorData {
  readonly code: string;
  readonly path?: string;
}

/** Sent by the Catalog view to fill its tree. */
export namespace CatalogListRequest {
  export const method = 'neurolake/catalog/list' as const;
  export const type = new RequestType<CatalogListParams, EntrySummary[], CatalogErrorData>(method);
}

/** Sent by the Catalog view for its top rows: entries per kind, and per tag within a kind. */
export namespace CatalogGroupsRequest {
  export const method = 'neurolake/catalog/groups' as const;
  export const type = new RequestType<Record<string, never>, CatalogGroup[], CatalogErrorData>(method);
}

/** Sent by "Search Catalog" as the user types. */
export namespace CatalogSearchRequest {
  export const method = 'neurolake/catalog/search' as const;
  export const type = new RequestType<SearchQuery, CatalogSearchResult, CatalogErrorData>(method);
}

/** Sent to open, edit or insert an entry: the whole entry, at its latest or a given version. */
export namespace CatalogGetRequest {
  export const method = 'neurolake/catalog/get' as const;
  export const type = new RequestType<{ id: string; version?: string }, CatalogEntry, CatalogErrorData>(method);
}

/** Sent by "Show Versions": every version, oldest first. */
export namespace CatalogVersionsRequest {
  export const method = 'neurolake/catalog/versions' as const;
  export const type = new RequestType<{ id: string }, CatalogEntry[], CatalogErrorData>(method);
}

/** Sent by "Register Selection as Template" and friends; answers the new entry. */
export namespace CatalogRegisterRequest {
  export const method = 'neurolake/catalog/register' as const;
  export const type = new RequestType<{ entry: { kind: EntryKind } & Record<string, unknown> }, CatalogEntry, CatalogErrorData>(method);
}

/** Sent when an edited entry is saved; the catalog makes a new version if anything changed. */
export namespace CatalogUpdateRequest {
  export const method = 'neurolake/catalog/update' as const;
  export const type = new RequestType<{ id: string; changes: Record<string, unknown> }, CatalogEntry, CatalogErrorData>(method);
}

/** Sent to copy an entry (a built-in, typically) under a new name. */
export namespace CatalogCopyRequest {
  export const method = 'neurolake/catalog/copy' as const;
  export const type = new RequestType<{ id: string; name: string }, CatalogEntry, CatalogErrorData>(method);
}

export type FlagAction = 'deprecate' | 'undeprecate' | 'delete' | 'restore';

/** Sent by Deprecate, Delete and Restore. */
export namespace CatalogSetFlagRequest {
  export const method = 'neurolake/catalog/setFlag' as const;
  export const type = new RequestType<{ id: string; action: FlagAction; reason?: string }, CatalogEntry, CatalogErrorData>(method);
}

/** Sent when an entry is inserted, rendered or executed, for usage statistics. */
export namespace CatalogRecordUsageRequest {
  export const method = 'neurolake/catalog/recordUsage' as const;
  export const type = new RequestType<{ id: string; action: UsageAction }, EntryUsage, CatalogErrorData>(method);
}

export namespace CatalogStatsRequest {
  export const method = 'neurolake/catalog/stats' as const;
  export const type = new RequestType<Record<string, never>, CatalogStats, CatalogErrorData>(method);
}

/** Sent by "Export…": the bundle's JSON text, which the extension writes where the user chose. Reports progress; cancellable. */
export namespace CatalogExportRequest {
  export const method = 'neurolake/catalog/export' as const;
  export const type = new RequestType<ExportFilter & WorkDoneParams, { text: string; count: number }, CatalogErrorData>(method);
}

/** Sent by "Import…" twice: first as a dry run to show the report, then to apply it. Reports progress; cancellable until saved. */
export namespace CatalogImportRequest {
  export const method = 'neurolake/catalog/import' as const;
  export const type = new RequestType<{ text: string; mode: ConflictMode; dryRun: boolean } & WorkDoneParams, ImportReport, CatalogErrorData>(method);
}

/** Sent by "Insert into Editor": renders a template with the user's values, formatted. */
export namespace CatalogRenderRequest {
  export const method = 'neurolake/catalog/render' as const;
  export const type = new RequestType<
    {
      id: string;
      values: Record<string, VariableValue>;
      dialect?: SqlDialect;
      /** The target editor's indentation, so inserted SQL matches the file it lands in. */
      indent?: { tabWidth: number; useTabs: boolean };
    },
    { sql: string; warnings: string[] },
    CatalogErrorData
  >(method);
}

/** Sent by the server whenever the catalog changed, in this window or another process. */
export namespace DidChangeCatalogNotification {
  export const method = 'neurolake/catalog/didChange' as const;
  export const type = new NotificationType<{ ids: readonly string[] }>(method);
}

/** Sent by "Register Selection as Template": the `{{variables}}` a body uses, or why it cannot be read. */
export namespace CatalogDetectVariablesRequest {
  export const method = 'neurolake/catalog/detectVariables' as const;
  export const type = new RequestType<{ body: string }, { variables: string[] }, CatalogErrorData>(method);
}
