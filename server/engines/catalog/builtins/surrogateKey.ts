// Surrogate key: a hash of the key columns, computed exactly as dbt_utils.generate_surrogate_key
// does (same NULL placeholder, same '-' separator, hex MD5), so keys made here and by dbt agree.
import { type TemplateEntry } from '../types';
import { builtin, columnList, identifier } from './shared';

export const SURROGATE_KEY: TemplateEntry = builtin({
  id: 'builtin.surrogate_key.md5',
  name: 'Surrogate key (MD5 of columns)',
  description:
    "Adds a surrogate key column: the hex MD5 of the key columns cast to text, NULLs replaced by '_dbt_utils_surrogate_key_null_' and joined with '-', the same value dbt_utils.generate_surrogate_key produces. MD5() on PostgreSQL, Snowflake, Spark and DuckDB; TO_HEX(MD5()) on BigQuery. Text forms of dates and floats differ between engines, so compare keys within one engine.",
  tags: ['surrogate_key', 'hash', 'md5', 'key', 'dbt'],
  templateKind: 'etl',
  dialects: ['postgresql', 'snowflake', 'bigquery', 'spark', 'duckdb'],
  variables: [
    identifier('source', 'The table or view to add the key to, e.g. staging.order_lines.'),
    columnList('key_columns', 'The columns that together identify a row, e.g. order_id, line_number.'),
    identifier('key_name', 'The name of the new column.', 'surrogate_key'),
  ],
  body: `
SELECT
  {{#if (eq dialect "bigquery")}}TO_HEX({{/if}}MD5(CONCAT(
    {{#each key_columns}}{{#unless @first}}, '-', {{/unless}}COALESCE(CAST(s.{{ident this}} AS {{sqltype "string"}}), '_dbt_utils_surrogate_key_null_'){{/each}}
  )){{#if (eq dialect "bigquery")}}){{/if}} AS {{ident key_name}},
  s.*
FROM {{ident source}} AS s
`,
});
