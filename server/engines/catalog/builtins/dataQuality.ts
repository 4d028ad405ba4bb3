// Data-quality checks, one template per check so each asks only for what it needs. Each returns
// one summary row (check_name, table_name, the measure, passed), the shape a pipeline asserts on;
// the row-level checks can instead return what failed, for a person to look at.
import { type SqlDialect, type TemplateEntry, type VariableDeclaration } from '../types';
import { builtin, columnList, identifier } from './shared';

const DIALECTS: readonly SqlDialect[] = ['postgresql', 'snowflake', 'bigquery', 'spark', 'duckdb', 'sql'];

const TABLE = identifier('table', 'The table or view to check, e.g. analytics.orders.');
const SHOW_FAILING: VariableDeclaration = {
  name: 'show_failing_rows',
  type: 'boolean',
  description: 'Return what failed instead of the one-row summary.',
  default: false,
  required: false,
};
const TAGS = ['data_quality', 'dq', 'test', 'check'];

export const DQ_NOT_NULL: TemplateEntry = builtin({
  id: 'builtin.dq.not_null',
  name: 'Data quality: not null',
  description: 'Checks that none of the columns is NULL. Summary: rows_checked, failing_rows (rows with a NULL in any of them), passed. With show_failing_rows: those rows.',
  tags: [...TAGS, 'not_null'],
  templateKind: 'data_quality',
  dialects: DIALECTS,
  variables: [TABLE, columnList('check_columns', 'The columns that must not be NULL, e.g. order_id, customer_id.'), SHOW_FAILING],
  body: `
{{#if show_failing_rows}}
SELECT *
FROM {{ident table}}
WHERE {{#each check_columns}}{{#unless @first}} OR {{/unless}}{{ident this}} IS NULL{{/each}}
{{else}}
SELECT
  'not_null' AS check_name,
  {{literal table}} AS table_name,
  COUNT(*) AS rows_checked,
  COUNT(CASE WHEN {{#each check_columns}}{{#unless @first}} OR {{/unless}}{{ident this}} IS NULL{{/each}} THEN 1 END) AS failing_rows,
  COUNT(CASE WHEN {{#each check_columns}}{{#unless @first}} OR {{/unless}}{{ident this}} IS NULL{{/each}} THEN 1 END) = 0 AS passed
FROM {{ident table}}
{{/if}}
`,
});

const DUPLICATES = `
SELECT {{columns unique_key}}, COUNT(*) AS occurrences
FROM {{ident table}}
WHERE {{#each unique_key}}{{#unless @first}} AND {{/unless}}{{ident this}} IS NOT NULL{{/each}}
GROUP BY {{columns unique_key}}
HAVING COUNT(*) > 1`;

export const DQ_UNIQUE: TemplateEntry = builtin({
  id: 'builtin.dq.unique',
  name: 'Data quality: unique',
  description:
    'Checks that the key (one column or several together) is unique. Rows with a NULL in the key are skipped: that is the not-null check\'s job. Summary: failing_keys (key values seen more than once), failing_rows (the rows holding them), passed. With show_failing_rows: each duplicated key and how often it occurs.',
  tags: [...TAGS, 'unique'],
  templateKind: 'data_quality',
  dialects: DIALECTS,
  variables: [TABLE, columnList('unique_key', 'The column(s) that must be unique together, e.g. order_id.'), SHOW_FAILING],
  body: `
{{#if show_failing_rows}}${DUPLICATES}
ORDER BY occurrences DESC
{{else}}
SELECT
  'unique' AS check_name,
  {{literal table}} AS table_name,
  COUNT(*) AS failing_keys,
  -- Cast: PostgreSQL sums BIGINTs to NUMERIC.
  CAST(COALESCE(SUM(occurrences), 0) AS {{sqltype "integer"}}) AS failing_rows,
  COUNT(*) = 0 AS passed
FROM (${DUPLICATES}
) AS duplicates
{{/if}}
`,
});

export const DQ_ACCEPTED_VALUES: TemplateEntry = builtin({
  id: 'builtin.dq.accepted_values',
  name: 'Data quality: accepted values',
  description:
    'Checks that a column holds only the listed values (compared as text, so numbers work too; NULLs are not checked). Summary: failing_rows, passed. With show_failing_rows: each unexpected value and how many rows hold it.',
  tags: [...TAGS, 'accepted_values', 'enum'],
  templateKind: 'data_quality',
  dialects: DIALECTS,
  variables: [
    TABLE,
    identifier('column_name', 'The column to check, e.g. status.'),
    { name: 'accepted_values', type: 'string', description: 'The allowed values, separated by commas, e.g. "placed, shipped, delivered, returned". A value cannot contain a comma.', required: true },
    SHOW_FAILING,
  ],
  body: `
{{#if show_failing_rows}}
SELECT {{ident column_name}} AS unexpected_value, COUNT(*) AS failing_rows
FROM {{ident table}}
WHERE CAST({{ident column_name}} AS {{sqltype "string"}}) NOT IN ({{literals accepted_values}})
GROUP BY {{ident column_name}}
ORDER BY failing_rows DESC
{{else}}
SELECT
  'accepted_values' AS check_name,
  {{literal table}} AS table_name,
  COUNT(*) AS failing_rows,
  COUNT(*) = 0 AS passed
FROM {{ident table}}
WHERE CAST({{ident column_name}} AS {{sqltype "string"}}) NOT IN ({{literals accepted_values}})
{{/if}}
`,
});

export const DQ_ROW_COUNT_CHANGE: TemplateEntry = builtin({
  id: 'builtin.dq.row_count_change',
  name: 'Data quality: row count change',
  description:
    "Checks that the table's row count moved by at most max_change_pct percent from a previous count (e.g. yesterday's, from your run log). One row: row_count, previous_count, change_pct (NULL when the previous count is 0), passed. From a previous count of 0, only 0 passes.",
  tags: [...TAGS, 'row_count', 'volume', 'anomaly'],
  templateKind: 'data_quality',
  dialects: DIALECTS,
  variables: [
    TABLE,
    { name: 'previous_count', type: 'number', description: 'The row count to compare with, e.g. from the previous run.', required: true },
    { name: 'max_change_pct', type: 'number', description: 'The largest change, up or down, that passes, in percent of the previous count.', default: 10, required: false },
  ],
  body: `
SELECT
  'row_count_change' AS check_name,
  {{literal table}} AS table_name,
  c.row_count,
  {{previous_count}} AS previous_count,
  CASE WHEN {{previous_count}} = 0 THEN NULL ELSE ROUND(100.0 * (c.row_count - {{previous_count}}) / {{previous_count}}, 2) END AS change_pct,
  ABS(c.row_count - {{previous_count}}) <= {{previous_count}} * {{max_change_pct}} / 100.0 AS passed
FROM (SELECT COUNT(*) AS row_count FROM {{ident table}}) AS c
`,
});

export const DQ_FRESHNESS: TemplateEntry = builtin({
  id: 'builtin.dq.freshness',
  name: 'Data quality: freshness',
  description:
    "Checks that the newest timestamp in a column is no older than max_age units (minute, hour or day) before now, with each dialect's interval syntax. One row: latest, checked_at, passed (FALSE for an empty table). Compare like with like: a TIMESTAMP column (on BigQuery not DATETIME), read in the session's time zone where it matters.",
  tags: [...TAGS, 'freshness', 'sla', 'latency'],
  templateKind: 'data_quality',
  dialects: DIALECTS,
  variables: [
    TABLE,
    identifier('timestamp_column', 'The column holding when each row arrived or changed.', 'updated_at'),
    { name: 'max_age', type: 'number', description: 'How old the newest row may be, in max_age_unit units (a whole number).', default: 24, required: false },
    { name: 'max_age_unit', type: 'string', description: 'The unit of max_age: minute, hour or day.', default: 'hour', required: false },
  ],
  body: `
SELECT
  'freshness' AS check_name,
  {{literal table}} AS table_name,
  MAX({{ident timestamp_column}}) AS latest,
  {{now}} AS checked_at,
  COALESCE(MAX({{ident timestamp_column}}) >= {{now}} - {{interval max_age max_age_unit}}, FALSE) AS passed
FROM {{ident table}}
`,
});

export const DATA_QUALITY_TEMPLATES: readonly TemplateEntry[] = [DQ_NOT_NULL, DQ_UNIQUE, DQ_ACCEPTED_VALUES, DQ_ROW_COUNT_CHANGE, DQ_FRESHNESS];
