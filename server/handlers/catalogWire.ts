// The catalog engine's results in the protocol's shapes, field by field: renaming or retyping an
// engine field fails to compile here instead of silently changing what the extension receives.
import type * as engine from '../engines/catalog';
import type * as wire from '../protocol';

/** True only when both types have exactly the same members; used to pin shared lists below. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// The lists the protocol repeats for the extension (which cannot import an engine) must be the engine's.
export const LISTS_AGREE: [
  Same<wire.EntryKind, engine.EntryKind>,
  Same<wire.TemplateKind, engine.TemplateKind>,
  Same<wire.SqlDialect, engine.SqlDialect>,
  Same<wire.VariableType, engine.VariableType>,
  Same<wire.UsageAction, engine.UsageAction>,
  Same<wire.ConflictMode, engine.ConflictMode>,
  Same<wire.MatchKind, engine.MatchKind>,
  Same<wire.ImportAction, engine.ImportItem['action']>,
] = [true, true, true, true, true, true, true, true];

export function toWireEntry(entry: engine.CatalogEntry): wire.CatalogEntry {
  const base = {
    id: entry.id,
    name: entry.name,
    description: entry.description,
    tags: entry.tags,
    owner: entry.owner,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    version: entry.version,
    ...(entry.deprecated === undefined ? {} : { deprecated: { reason: entry.deprecated.reason, at: entry.deprecated.at } }),
    ...(entry.deletedAt === undefined ? {} : { deletedAt: entry.deletedAt }),
    ...(entry.builtin === true ? { builtin: true } : {}),
  };
  switch (entry.kind) {
    case 'pipeline':
      return { ...base, kind: 'pipeline', logic: entry.logic };
    case 'businessLogic':
      return { ...base, kind: 'businessLogic', expression: entry.expression, domain: entry.domain };
    case 'template':
      return {
        ...base,
        kind: 'template',
        templateKind: entry.templateKind,
        dialects: entry.dialects,
        body: entry.body,
        variables: entry.variables.map(toWireVariable),
      };
  }
}

function toWireVariable(variable: engine.VariableDeclaration): wire.VariableDeclaration {
  return {
    name: variable.name,
    type: variable.type,
    description: variable.description,
    required: variable.required,
    ...(variable.default === undefined ? {} : { default: variable.default }),
  };
}

export function toWireUsage(usage: engine.EntryUsage): wire.EntryUsage {
  return {
    counts: { inserted: usage.counts.inserted, rendered: usage.counts.rendered, executed: usage.counts.executed },
    ...(usage.lastUsedAt === undefined ? {} : { lastUsedAt: usage.lastUsedAt }),
  };
}

/** An entry as lists show it: everything but the heavy content, plus its usage. */
export function toWireSummary(entry: engine.CatalogEntry, usage: engine.EntryUsage | undefined): wire.EntrySummary {
  return {
    id: entry.id,
    kind: entry.kind,
    name: entry.name,
    description: entry.description,
    tags: entry.tags,
    owner: entry.owner,
    version: entry.version,
    updatedAt: entry.updatedAt,
    ...(entry.deprecated === undefined ? {} : { deprecated: { reason: entry.deprecated.reason, at: entry.deprecated.at } }),
    ...(entry.deletedAt === undefined ? {} : { deletedAt: entry.deletedAt }),
    ...(entry.builtin === true ? { builtin: true } : {}),
    ...(usage === undefined ? {} : { usage: toWireUsage(usage) }),
  };
}

export function toWireGroup(group: engine.CatalogGroup): wire.CatalogGroup {
  return { kind: group.kind, count: group.count, untagged: group.untagged, tags: { ...group.tags } };
}

export function toWireStats(stats: engine.CatalogStats): wire.CatalogStats {
  return {
    total_entries: stats.total_entries,
    total_pipelines: stats.total_pipelines,
    total_business_logic: stats.total_business_logic,
    total_templates: stats.total_templates,
    builtin_templates: stats.builtin_templates,
    deprecated: stats.deprecated,
    deleted: stats.deleted,
    total_usage: stats.total_usage,
    usage_by_action: { inserted: stats.usage_by_action.inserted, rendered: stats.usage_by_action.rendered, executed: stats.usage_by_action.executed },
    most_used: stats.most_used.map((used) => ({
      id: used.id,
      name: used.name,
      kind: used.kind,
      uses: used.uses,
      ...(used.last_used_at === undefined ? {} : { last_used_at: used.last_used_at }),
    })),
    by_tag: { ...stats.by_tag },
  };
}

export function toWireImportReport(report: engine.ImportReport): wire.ImportReport {
  return {
    dryRun: report.dryRun,
    items: report.items.map((item) => ({
      id: item.id,
      name: item.name,
      kind: item.kind,
      action: item.action,
      ...(item.reason === undefined ? {} : { reason: item.reason }),
    })),
    counts: { ...report.counts },
  };
}

/** The protocol's query in the engine's terms. */
export function toEngineQuery(query: wire.SearchQuery): engine.SearchQuery {
  return { text: query.text, tags: query.tags, kind: query.kind, includeDeleted: query.includeDeleted, limit: query.limit };
}

export function toEngineListQuery(params: wire.CatalogListParams): Parameters<engine.Catalog['list']>[0] {
  return {
    kind: params.kind,
    tags: params.tags,
    includeDeleted: params.includeDeleted,
    untagged: params.untagged,
    offset: params.offset,
    limit: params.limit,
  };
}

export function toEngineExportFilter(filter: wire.ExportFilter): engine.ExportFilter {
  return { tags: filter.tags, kind: filter.kind };
}
