// Slowly changing dimension, Type 2: keep every version of a row with its validity interval, in
// the two flavours of dbt snapshots: 'timestamp' (a row changed when its updated_at moved on) and
// 'check' (a row changed when any compared column differs, NULL-safely).
//
// PostgreSQL and DuckDB: UPDATE … FROM then INSERT … WHERE NOT EXISTS in one transaction. It runs
// on every PostgreSQL version, and CURRENT_TIMESTAMP is the transaction's start, so a closed
// version's valid_to equals its successor's valid_from. DuckDB (1.5) has MERGE, but its MERGE may
// read the target in the source subquery after its own updates (the new version went missing in
// about one run in three in our tests), so it gets the transaction too. Elsewhere: one MERGE,
// atomic on its own. The source is read twice: every row (closes the current version of a changed
// key, or inserts a new key), then the changed keys again flagged _nl_new_version, which match
// nothing and so insert the new version.
import { type TemplateEntry } from '../types';
import { anyDiffers, builtin, columnList, identifier, keysMatch, MERGE_DIALECTS, SCD_COLUMNS } from './shared';

interface Strategy {
  /** Extra column the MERGE source carries, and its counterpart in the second UNION branch. */
  readonly carry: string;
  readonly carryAgain: string;
  /** The current version `t` is out of date against source row `s` (or the MERGE source `u`). */
  readonly changedBySource: string;
  readonly changedByMerged: string;
  /** When the new version starts (and the old one ends). */
  readonly startFromSource: string;
  readonly startFromMerged: string;
}

const TIMESTAMP: Strategy = {
  carry: ', s.{{ident updated_at}} AS _nl_changed_at',
  carryAgain: ', s.{{ident updated_at}}',
  changedBySource: 's.{{ident updated_at}} > t.{{ident valid_from}}',
  changedByMerged: 'u._nl_changed_at > t.{{ident valid_from}}',
  startFromSource: 's.{{ident updated_at}}',
  startFromMerged: 'u._nl_changed_at',
};

const CHECK: Strategy = {
  carry: '',
  carryAgain: '',
  changedBySource: anyDiffers('t', 's', 'check_columns'),
  changedByMerged: anyDiffers('t', 'u', 'check_columns'),
  startFromSource: '{{now}}',
  startFromMerged: '{{now}}',
};

function scd2Body(strategy: Strategy, summary: string): string {
  const insertColumns = '{{columns unique_key}}, {{columns value_columns}}, {{ident valid_from}}, {{ident valid_to}}, {{ident is_current}}';
  return `
-- SCD Type 2 of {{ident target}} from {{ident source}}: ${summary}
-- The source must hold one row per key (see the deduplication template).
{{#if (or (eq dialect "postgresql") (eq dialect "duckdb"))}}
BEGIN;

-- 1. Close the current version of every key whose source row changed.
UPDATE {{ident target}} AS t
SET {{ident valid_to}} = ${strategy.startFromSource}, {{ident is_current}} = FALSE
FROM {{ident source}} AS s
WHERE ${keysMatch('t', 's')}
  AND t.{{ident is_current}}
  AND ${strategy.changedBySource};

-- 2. Insert a current version for every key left without one: the changed keys and new keys.
INSERT INTO {{ident target}} (${insertColumns})
SELECT {{columns unique_key "s."}}, {{columns value_columns "s."}}, ${strategy.startFromSource}, NULL, TRUE
FROM {{ident source}} AS s
WHERE NOT EXISTS (
  SELECT 1
  FROM {{ident target}} AS t
  WHERE ${keysMatch('t', 's')} AND t.{{ident is_current}}
);

COMMIT;
{{else}}
MERGE INTO {{ident target}} AS t
USING (
  -- Every source row: closes the current version of a changed key, or inserts a new key.
  SELECT {{columns unique_key "s."}}, {{columns value_columns "s."}}${strategy.carry}, FALSE AS _nl_new_version
  FROM {{ident source}} AS s
  UNION ALL
  -- The changed keys again: they match nothing below, so their new version is inserted.
  SELECT {{columns unique_key "s."}}, {{columns value_columns "s."}}${strategy.carryAgain}, TRUE AS _nl_new_version
  FROM {{ident source}} AS s
  INNER JOIN {{ident target}} AS t ON ${keysMatch('t', 's')} AND t.{{ident is_current}}
  WHERE ${strategy.changedBySource}
) AS u
ON ${keysMatch('t', 'u')} AND t.{{ident is_current}} AND NOT u._nl_new_version
WHEN MATCHED AND ${strategy.changedByMerged} THEN
  UPDATE SET {{ident valid_to}} = ${strategy.startFromMerged}, {{ident is_current}} = FALSE
WHEN NOT MATCHED THEN
  INSERT (${insertColumns})
  VALUES ({{columns unique_key "u."}}, {{columns value_columns "u."}}, ${strategy.startFromMerged}, NULL, TRUE);
{{/if}}
`;
}

const COMMON = [
  identifier('target', 'The dimension table to maintain, e.g. analytics.dim_customer. It has the key and value columns plus valid_from, valid_to and is_current.'),
  identifier('source', 'The current state of the data, one row per key, e.g. staging.customers.'),
  columnList('unique_key', 'The column(s) that identify an entity, e.g. customer_id.'),
];

export const SCD2_TIMESTAMP: TemplateEntry = builtin({
  id: 'builtin.scd2.timestamp',
  name: 'SCD Type 2 (timestamp strategy)',
  description:
    "Keeps full history in a Type 2 dimension, like a dbt snapshot with strategy='timestamp': a key whose updated_at is newer than its current version's valid_from gets that version closed (valid_to = the new updated_at, is_current = FALSE) and a new current version inserted (valid_from = updated_at); new keys are inserted; unchanged and older rows are left alone. Re-running with the same source changes nothing. Rows deleted from the source are not closed.",
  tags: ['scd', 'scd2', 'history', 'dimension', 'snapshot', 'merge'],
  templateKind: 'scd',
  dialects: MERGE_DIALECTS,
  variables: [
    ...COMMON,
    columnList('value_columns', 'The other columns copied into the dimension (not the key), usually including updated_at, e.g. name, email, updated_at.'),
    identifier('updated_at', 'Source column that tells when a row last changed; it becomes valid_from of the new version.', 'updated_at'),
    ...SCD_COLUMNS,
  ],
  body: scd2Body(TIMESTAMP, 'a key changed when its updated_at is newer than the current version.'),
});

export const SCD2_CHECK: TemplateEntry = builtin({
  id: 'builtin.scd2.check',
  name: 'SCD Type 2 (check-columns strategy)',
  description:
    "Keeps full history in a Type 2 dimension, like a dbt snapshot with strategy='check': a key whose compared columns differ from its current version (NULL-safely: IS DISTINCT FROM, or <=> on Spark) gets that version closed and a new current version inserted, both stamped with the current timestamp; new keys are inserted. Use it when the source has no reliable updated_at. Rows deleted from the source are not closed.",
  tags: ['scd', 'scd2', 'history', 'dimension', 'snapshot', 'merge', 'check'],
  templateKind: 'scd',
  dialects: MERGE_DIALECTS,
  variables: [
    ...COMMON,
    columnList('value_columns', 'The other columns copied into the dimension (not the key), e.g. name, email, segment.'),
    columnList('check_columns', 'The columns compared to detect a change; each must also be in value_columns, e.g. email, segment.'),
    ...SCD_COLUMNS,
  ],
  body: scd2Body(CHECK, 'a key changed when any of the checked columns differs from the current version.'),
});
