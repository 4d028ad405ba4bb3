// The catalog engine: register, find, version, deprecate, share and count reusable pipeline
// patterns, business logic and SQL templates. The only module other code imports; plain
// TypeScript, no editor or LSP types.
export { Catalog, kindLabel, type CatalogGroup, type CatalogOptions, type CatalogStats, type ChangeEvent, type FoundEntry } from './catalog';
export { CatalogError, type CatalogErrorCode } from './errors';
export { MAX_BUNDLE_BYTES, type CatalogBundle, type ConflictMode, type ExportFilter, type ImportItem, type ImportReport } from './bundle';
export { type MatchKind, type SearchQuery } from './searchIndex';
export { type EntryDiff, type FieldChange } from './diff';
export { BUILTIN_TEMPLATES } from './builtins';
export * from './types';
