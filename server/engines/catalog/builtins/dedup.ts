// Deduplication: the latest row per key, with a tie-break so the same input always keeps the
// same row. QUALIFY where the dialect has it; a ROW_NUMBER subquery elsewhere.
import { type TemplateEntry } from '../types';
import { builtin, columnList, identifier } from './shared';

/** `latest_by DESC NULLS LAST, tie1 DESC NULLS LAST, …` */
const ORDER = '{{ident latest_by}} DESC NULLS LAST{{#each tie_breaker}}, {{ident this}} DESC NULLS LAST{{/each}}';

export const DEDUP_LATEST: TemplateEntry = builtin({
  id: 'builtin.dedup.latest',
  name: 'Deduplicate: keep the latest row per key',
  description:
    'Returns one row per key: the one with the greatest latest_by (NULLs last), ties broken by the tie_breaker columns, greatest first. Pick tie-breakers that are unique within a key (a load id, a file offset) and the result is deterministic. On Snowflake, BigQuery and DuckDB it uses QUALIFY; on PostgreSQL, Spark and generic SQL a ROW_NUMBER() subquery, whose helper column _nl_row_number is returned too unless you list select_columns.',
  tags: ['dedup', 'dedupe', 'deduplicate', 'deduplication', 'latest', 'row_number', 'qualify'],
  templateKind: 'dedup',
  dialects: ['postgresql', 'snowflake', 'bigquery', 'spark', 'duckdb', 'sql'],
  variables: [
    identifier('source', 'The table or view with duplicates, e.g. raw.orders.'),
    columnList('unique_key', 'The column(s) that should be unique in the result, e.g. order_id.'),
    identifier('latest_by', 'The column that orders versions of a row: the greatest wins.', 'updated_at'),
    columnList('tie_breaker', 'Column(s) that decide between rows with the same latest_by, greatest first, e.g. _loaded_at, _file_row.'),
    columnList('select_columns', 'The columns to return; leave empty to return them all.', false),
  ],
  body: `
-- The latest row of {{ident source}} per {{columns unique_key}}.
{{#if (or (eq dialect "snowflake") (eq dialect "bigquery") (eq dialect "duckdb"))}}
SELECT {{#if select_columns}}{{columns select_columns}}{{else}}*{{/if}}
FROM {{ident source}}
{{#if (eq dialect "bigquery")}}
-- BigQuery accepts QUALIFY only beside a WHERE, GROUP BY or HAVING.
WHERE TRUE
{{/if}}
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY {{columns unique_key}}
  ORDER BY ${ORDER}
) = 1
{{else}}
SELECT {{#if select_columns}}{{columns select_columns}}{{else}}*{{/if}}
FROM (
  SELECT
    s.*,
    ROW_NUMBER() OVER (
      PARTITION BY {{columns unique_key "s."}}
      ORDER BY ${ORDER.replaceAll('{{ident', 's.{{ident')}
    ) AS _nl_row_number
  FROM {{ident source}} AS s
) AS ranked
WHERE _nl_row_number = 1
{{/if}}
`,
});
