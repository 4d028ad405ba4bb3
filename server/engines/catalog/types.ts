// The shapes of catalog entries: pipeline patterns, business logic and SQL templates.
// Plain data, serialisable as JSON: stored by lowdb, exported in bundles, sent over LSP.

export const ENTRY_KINDS = ['pipeline', 'businessLogic', 'template'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const TEMPLATE_KINDS = ['etl', 'data_quality', 'scd', 'dedup', 'custom'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export const SQL_DIALECTS = ['postgresql', 'snowflake', 'bigquery', 'spark', 'duckdb', 'sql'] as const;
/** `sql` is the generic ANSI dialect; the others are the engines the built-ins are written for. */
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export const VARIABLE_TYPES = ['identifier', 'column_list', 'string', 'number', 'boolean'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export type VariableValue = string | number | boolean | readonly string[];

/** A template's declared variable: what the editor asks for and what rendering checks. */
export interface VariableDeclaration {
  readonly name: string;
  readonly type: VariableType;
  readonly description: string;
  readonly default?: VariableValue;
  readonly required: boolean;
}

interface EntryBase {
  /** Stable across versions and renames; survives export/import. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly owner: string;
  /** ISO-8601 times. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Semantic version of this revision, e.g. "1.2.0". */
  readonly version: string;
  /** Set when deprecated: still usable, shown with a warning. */
  readonly deprecated?: { readonly reason: string; readonly at: string };
  /** Set when deleted: hidden from lists and search, recoverable with restore. */
  readonly deletedAt?: string;
  /** Shipped with NeuroLake: read-only, can be copied. */
  readonly builtin?: boolean;
}

/** A pipeline: where data comes from, the steps applied, where it lands; other keys are kept as given. */
export interface PipelineLogic {
  readonly source?: string;
  readonly transformations?: readonly unknown[];
  readonly target?: string;
  readonly [extra: string]: unknown;
}

export interface PipelineEntry extends EntryBase {
  readonly kind: 'pipeline';
  readonly logic: PipelineLogic;
}

/** A named rule or metric definition, e.g. `active_customer := last_order_at > now() - 90 days`. */
export interface BusinessLogicEntry extends EntryBase {
  readonly kind: 'businessLogic';
  /** SQL expression or predicate. */
  readonly expression: string;
  /** Business domain it belongs to, e.g. "sales". */
  readonly domain: string;
}

export interface TemplateEntry extends EntryBase {
  readonly kind: 'template';
  readonly templateKind: TemplateKind;
  /** Dialects the body is written for; the first is the default. The body may branch on `dialect`. */
  readonly dialects: readonly SqlDialect[];
  /** Handlebars body. */
  readonly body: string;
  readonly variables: readonly VariableDeclaration[];
}

export type CatalogEntry = PipelineEntry | BusinessLogicEntry | TemplateEntry;

/** What a caller supplies to register an entry; the catalog fills id, times, version, owner. */
export type NewEntry =
  | (Omit<PipelineEntry, keyof EntryBase | 'kind'> & EntryInput & { readonly kind: 'pipeline' })
  | (Omit<BusinessLogicEntry, keyof EntryBase | 'kind'> & EntryInput & { readonly kind: 'businessLogic' })
  | (Omit<TemplateEntry, keyof EntryBase | 'kind'> & EntryInput & { readonly kind: 'template' });

interface EntryInput {
  readonly name: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly owner?: string;
}

export const USAGE_ACTIONS = ['inserted', 'rendered', 'executed'] as const;
export type UsageAction = (typeof USAGE_ACTIONS)[number];

export interface EntryUsage {
  readonly counts: Readonly<Record<UsageAction, number>>;
  readonly lastUsedAt?: string;
}
