// What every built-in template shares: the entry fields NeuroLake fills in, the variables most of
// them declare, and Handlebars fragments for key joins and column lists.
import { type SqlDialect, type TemplateEntry, type VariableDeclaration } from '../types';

/** When this revision of the library shipped; built-ins are versioned with NeuroLake itself. */
const RELEASED_AT = '2026-01-01T00:00:00.000Z';

export const MERGE_DIALECTS: readonly SqlDialect[] = ['postgresql', 'snowflake', 'bigquery', 'spark', 'duckdb'];

export function builtin(entry: Omit<TemplateEntry, 'kind' | 'owner' | 'createdAt' | 'updatedAt' | 'version' | 'builtin'> & { version?: string }): TemplateEntry {
  return {
    kind: 'template',
    owner: 'NeuroLake',
    createdAt: RELEASED_AT,
    updatedAt: RELEASED_AT,
    builtin: true,
    ...entry,
    version: entry.version ?? '1.0.0',
    body: entry.body.trim() + '\n',
  };
}

export function identifier(name: string, description: string, fallback?: string): VariableDeclaration {
  return fallback === undefined ? { name, type: 'identifier', description, required: true } : { name, type: 'identifier', description, default: fallback, required: false };
}

export function columnList(name: string, description: string, required = true): VariableDeclaration {
  return { name, type: 'column_list', description, required };
}

export const SCD_COLUMNS: readonly VariableDeclaration[] = [
  identifier('valid_from', 'Column of the dimension holding when a version became current.', 'valid_from'),
  identifier('valid_to', 'Column of the dimension holding when a version stopped being current; NULL while it is current.', 'valid_to'),
  identifier('is_current', 'Boolean column of the dimension that is TRUE on the current version of each key.', 'is_current'),
];

/** `l.k1 = r.k1 AND l.k2 = r.k2` over the `unique_key` list. */
export function keysMatch(left: string, right: string, list = 'unique_key'): string {
  return `{{#each ${list}}}{{#unless @first}} AND {{/unless}}${left}.{{ident this}} = ${right}.{{ident this}}{{/each}}`;
}

/** `c1 = s.c1, c2 = s.c2` over a list, for UPDATE SET. */
export function assignEach(list: string, from: string): string {
  return `{{#each ${list}}}{{#unless @first}}, {{/unless}}{{ident this}} = ${from}.{{ident this}}{{/each}}`;
}

/**
 * A NULL-safe "differs" test of every listed column between two aliases, OR-ed: IS DISTINCT FROM,
 * Spark's <=> and Snowflake's EQUAL_NULL (which it documents, and formats better than IS DISTINCT FROM).
 */
export function anyDiffers(left: string, right: string, list: string): string {
  return (
    `({{#each ${list}}}{{#unless @first}} OR {{/unless}}` +
    `{{#if (eq @root.dialect "spark")}}NOT (${left}.{{ident this}} <=> ${right}.{{ident this}})` +
    `{{else if (eq @root.dialect "snowflake")}}NOT EQUAL_NULL(${left}.{{ident this}}, ${right}.{{ident this}})` +
    `{{else}}${left}.{{ident this}} IS DISTINCT FROM ${right}.{{ident this}}{{/if}}` +
    `{{/each}})`
  );
}
