// Incremental load: upsert the source rows at or past the target's high-water mark.
// PostgreSQL uses INSERT … ON CONFLICT … DO UPDATE: it runs on every supported version and is
// safe under concurrent loads, but needs a primary key or unique index on the key columns
// (PostgreSQL 15+ also has MERGE, which does not). The other dialects use MERGE.
import { type TemplateEntry } from '../types';
import { assignEach, builtin, columnList, identifier, keysMatch, MERGE_DIALECTS } from './shared';

const WATERMARK_FILTER = `
  FROM {{ident source}} AS src
  CROSS JOIN (SELECT MAX({{ident watermark}}) AS high_water FROM {{ident target}}) AS w
  WHERE w.high_water IS NULL OR src.{{ident watermark}} >= w.high_water`;

const RANKED = `
  SELECT
    src.*,
    ROW_NUMBER() OVER (PARTITION BY {{columns unique_key "src."}} ORDER BY src.{{ident watermark}} DESC) AS _nl_row_number${WATERMARK_FILTER}`;

export const INCREMENTAL_MERGE: TemplateEntry = builtin({
  id: 'builtin.incremental.merge',
  name: 'Incremental merge by watermark',
  description:
    "Loads only what is new: the source rows whose watermark is at or past the target's greatest (everything on the first run), deduplicated to the latest row per key, are upserted by key. A target row is updated only by a strictly newer row, so re-running is harmless. MERGE on Snowflake, BigQuery, Spark (Delta) and DuckDB (1.4+); INSERT … ON CONFLICT … DO UPDATE on PostgreSQL, which needs a primary key or unique index on the key. Deletes in the source are not propagated.",
  tags: ['incremental', 'merge', 'upsert', 'watermark', 'etl', 'on-conflict'],
  templateKind: 'etl',
  dialects: MERGE_DIALECTS,
  variables: [
    identifier('target', 'The table to load into, e.g. analytics.orders.'),
    identifier('source', 'The table or view with new and changed rows, e.g. staging.orders.'),
    columnList('unique_key', 'The column(s) that identify a row in the target, e.g. order_id.'),
    columnList('value_columns', 'The other columns to insert and update (not the key), including the watermark column, e.g. status, amount, updated_at.'),
    identifier('watermark', 'The column whose greatest value in the target marks what is already loaded; usually a timestamp, any ordered type works.', 'updated_at'),
  ],
  body: `
-- Upsert into {{ident target}} the rows of {{ident source}} at or past its high-water mark: at,
-- not only past, so rows sharing the last load's final {{ident watermark}} that arrived after it
-- are not lost (rows already loaded match and are left alone). Latest row per key wins.
{{#if (eq dialect "postgresql")}}
-- Needs a primary key or unique index on ({{columns unique_key}}).
INSERT INTO {{ident target}} AS t ({{columns unique_key}}, {{columns value_columns}})
SELECT {{columns unique_key "s."}}, {{columns value_columns "s."}}
FROM (${RANKED}
) AS s
WHERE s._nl_row_number = 1
ON CONFLICT ({{columns unique_key}}) DO UPDATE
SET ${assignEach('value_columns', 'EXCLUDED')}
WHERE EXCLUDED.{{ident watermark}} > t.{{ident watermark}};
{{else}}
MERGE INTO {{ident target}} AS t
USING (
{{#if (eq dialect "spark")}}
  SELECT {{columns unique_key}}, {{columns value_columns}}
  FROM (${RANKED}
  ) AS ranked
  WHERE _nl_row_number = 1
{{else}}
  SELECT {{columns unique_key "src."}}, {{columns value_columns "src."}}${WATERMARK_FILTER}
  QUALIFY ROW_NUMBER() OVER (PARTITION BY {{columns unique_key "src."}} ORDER BY src.{{ident watermark}} DESC) = 1
{{/if}}
) AS s
ON ${keysMatch('t', 's')}
WHEN MATCHED AND s.{{ident watermark}} > t.{{ident watermark}} THEN
  UPDATE SET ${assignEach('value_columns', 's')}
WHEN NOT MATCHED THEN
  INSERT ({{columns unique_key}}, {{columns value_columns}})
  VALUES ({{columns unique_key "s."}}, {{columns value_columns "s."}});
{{/if}}
`,
});
