// The built-in pattern library renders for every dialect it claims, into SQL the dialect's
// formatter reads, with the dialect's own constructs where the dialects differ.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { format } from 'sql-formatter';
import { BUILTIN_TEMPLATES } from '../../server/engines/catalog/builtins';
import { type SqlDialect, type TemplateEntry, type VariableValue } from '../../server/engines/catalog/types';
import { checkTemplate, declaredVariableNames, render, TemplateError } from '../../server/engines/templates';

/** Realistic values for each built-in's required variables; defaults cover the rest. */
const VALUES: Record<string, Record<string, VariableValue>> = {
  'builtin.scd2.timestamp': { target: 'analytics.dim_customer', source: 'staging.customers', unique_key: ['customer_id'], value_columns: ['name', 'email', 'updated_at'] },
  'builtin.scd2.check': { target: 'analytics.dim_customer', source: 'staging.customers', unique_key: 'customer_id', value_columns: 'name, email, segment', check_columns: 'email, segment' },
  'builtin.dedup.latest': { source: 'raw.orders', unique_key: ['order_id'], tie_breaker: ['_loaded_at', '_file_row'] },
  'builtin.incremental.merge': { target: 'analytics.orders', source: 'staging.orders', unique_key: ['order_id'], value_columns: ['status', 'amount', 'updated_at'] },
  'builtin.dq.not_null': { table: 'analytics.orders', check_columns: 'order_id, customer_id' },
  'builtin.dq.unique': { table: 'analytics.orders', unique_key: 'order_id' },
  'builtin.dq.accepted_values': { table: 'analytics.orders', column_name: 'status', accepted_values: 'placed, shipped, delivered' },
  'builtin.dq.row_count_change': { table: 'analytics.orders', previous_count: 1000 },
  'builtin.dq.freshness': { table: 'analytics.orders' },
  'builtin.surrogate_key.md5': { source: 'staging.order_lines', key_columns: ['order_id', 'line_number'] },
};

const byId = (id: string): TemplateEntry => {
  const entry = BUILTIN_TEMPLATES.find((candidate) => candidate.id === id);
  assert.ok(entry, id);
  return entry;
};
const sql = (id: string, dialect: SqlDialect, extra: Record<string, VariableValue> = {}): string => render(byId(id), { ...VALUES[id], ...extra }, { dialect }).sql;

describe('built-in templates', () => {
  it('have stable unique ids, are marked built-in, and are well described', () => {
    const ids = BUILTIN_TEMPLATES.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(Object.keys(VALUES).sort(), [...ids].sort());
    for (const entry of BUILTIN_TEMPLATES) {
      assert.match(entry.id, /^builtin\.[a-z0-9_]+\.[a-z0-9_]+$/);
      assert.equal(entry.builtin, true);
      assert.ok(entry.description.length > 80, `${entry.id} description`);
      assert.ok(entry.tags.length >= 3, `${entry.id} tags`);
      for (const tag of entry.tags) assert.match(tag, /^[a-z0-9_.:-]{1,50}$/);
      for (const declaration of entry.variables) assert.ok(declaration.description.length > 10, `${entry.id}.${declaration.name}`);
    }
  });

  it('declare exactly the variables their bodies use, and check clean', () => {
    for (const entry of BUILTIN_TEMPLATES) {
      assert.deepEqual(checkTemplate(entry).problems, [], entry.id);
      assert.deepEqual(declaredVariableNames(entry.body).sort(), entry.variables.map((declaration) => declaration.name).sort(), entry.id);
    }
  });

  for (const entry of BUILTIN_TEMPLATES) {
    it(`${entry.id} renders for ${entry.dialects.join(', ')} into SQL the dialect's formatter reads`, () => {
      for (const dialect of entry.dialects) {
        const result = render(entry, VALUES[entry.id] ?? {}, { dialect });
        assert.deepEqual(result.warnings, [], `${entry.id} on ${dialect}`);
        assert.doesNotMatch(result.sql, /\{\{|\}\}/, `${entry.id} on ${dialect}`);
        assert.doesNotThrow(() => format(result.sql, { language: dialect }), `${entry.id} on ${dialect}`);
        const unformatted = render(entry, VALUES[entry.id] ?? {}, { dialect, format: false }).sql;
        assert.doesNotThrow(() => format(unformatted, { language: dialect }), `${entry.id} on ${dialect}, as rendered`);
      }
    });
  }

  it('name every missing required variable', () => {
    assert.throws(
      () => render(byId('builtin.scd2.timestamp'), {}),
      (error) => error instanceof TemplateError && error.code === 'missing-variable' && /target, source, unique_key, value_columns/.test(error.message),
    );
  });

  it('refuse an injected identifier, naming the variable', () => {
    assert.throws(
      () => render(byId('builtin.dedup.latest'), { ...VALUES['builtin.dedup.latest'], source: 'raw.orders; DROP TABLE users' }),
      /Variable "source" \(identifier\) cannot be "raw\.orders; DROP TABLE users": it contains a semicolon/,
    );
  });
});

describe('dialect-specific SQL', () => {
  it('dedup: QUALIFY on Snowflake, BigQuery and DuckDB; a ROW_NUMBER subquery on PostgreSQL, Spark and SQL', () => {
    for (const dialect of ['snowflake', 'bigquery', 'duckdb'] as const) assert.match(sql('builtin.dedup.latest', dialect), /\nQUALIFY\n\s+ROW_NUMBER\(\) OVER/);
    for (const dialect of ['postgresql', 'spark', 'sql'] as const) {
      const text = sql('builtin.dedup.latest', dialect);
      assert.doesNotMatch(text, /QUALIFY/);
      assert.match(text, /AS _nl_row_number[\s\S]*WHERE\n\s+_nl_row_number = 1/);
    }
    assert.match(sql('builtin.dedup.latest', 'bigquery'), /WHERE\n\s+TRUE\nQUALIFY/);
    assert.match(sql('builtin.dedup.latest', 'postgresql'), /s\.updated_at DESC NULLS LAST,\n\s+s\._loaded_at DESC NULLS LAST,\n\s+s\._file_row DESC NULLS LAST/);
    assert.match(sql('builtin.dedup.latest', 'snowflake', { select_columns: 'order_id, status' }), /^SELECT\n\s+order_id,\n\s+status\nFROM/m);
  });

  it('incremental: INSERT … ON CONFLICT on PostgreSQL, MERGE elsewhere', () => {
    const postgres = sql('builtin.incremental.merge', 'postgresql');
    assert.match(postgres, /ON CONFLICT \(order_id\) DO UPDATE\nSET\n\s+status = EXCLUDED\.status/);
    assert.doesNotMatch(postgres, /MERGE INTO/);
    for (const dialect of ['snowflake', 'bigquery', 'spark', 'duckdb'] as const) {
      const text = sql('builtin.incremental.merge', dialect);
      assert.match(text, /MERGE INTO\s+analytics\.orders AS t USING/);
      assert.match(text, /WHEN NOT MATCHED THEN\s+INSERT/);
    }
    assert.doesNotMatch(sql('builtin.incremental.merge', 'spark'), /QUALIFY/);
  });

  it('SCD2: a transaction of UPDATE and INSERT on PostgreSQL and DuckDB, one MERGE elsewhere', () => {
    for (const dialect of ['postgresql', 'duckdb'] as const) {
      const text = sql('builtin.scd2.timestamp', dialect);
      assert.match(text, /^BEGIN;$[\s\S]*^UPDATE analytics\.dim_customer AS t$[\s\S]*^INSERT INTO$[\s\S]*^COMMIT;$/m);
    }
    for (const dialect of ['snowflake', 'bigquery', 'spark'] as const) {
      const text = sql('builtin.scd2.timestamp', dialect);
      assert.match(text, /MERGE INTO/);
      assert.doesNotMatch(text, /BEGIN|COMMIT/);
    }
  });

  it('SCD2 check: NULL-safe comparison in each dialect\'s words', () => {
    assert.match(sql('builtin.scd2.check', 'postgresql'), /t\.email IS DISTINCT FROM s\.email\s+OR t\.segment IS DISTINCT FROM s\.segment/);
    assert.match(sql('builtin.scd2.check', 'bigquery'), /t\.email IS DISTINCT FROM u\.email/);
    assert.match(sql('builtin.scd2.check', 'spark'), /NOT \(t\.email <=> s\.email\)/);
    assert.match(sql('builtin.scd2.check', 'snowflake'), /NOT EQUAL_NULL\(t\.email, u\.email\)/);
  });

  it('surrogate key: MD5 as dbt_utils does it, TO_HEX on BigQuery, the dialect\'s text type', () => {
    assert.match(sql('builtin.surrogate_key.md5', 'bigquery'), /TO_HEX\(\s*MD5\(\s*CONCAT\(\s*COALESCE\(\s*CAST\(s\.order_id AS STRING\),\s*'_dbt_utils_surrogate_key_null_'\s*\),\s*'-',/);
    assert.match(sql('builtin.surrogate_key.md5', 'postgresql'), /^\s+MD5\(\s*CONCAT\(\s*COALESCE\(\s*CAST\(s\.order_id AS TEXT\)/m);
    assert.match(sql('builtin.surrogate_key.md5', 'snowflake'), /CAST\(s\.order_id AS VARCHAR\)/);
    assert.doesNotMatch(sql('builtin.surrogate_key.md5', 'duckdb'), /TO_HEX/);
  });

  it('freshness: each dialect\'s interval syntax', () => {
    assert.match(sql('builtin.dq.freshness', 'postgresql'), /CURRENT_TIMESTAMP - INTERVAL '24 hours'/);
    assert.match(sql('builtin.dq.freshness', 'snowflake', { max_age: 2, max_age_unit: 'day' }), /CURRENT_TIMESTAMP - INTERVAL '2 days'/);
    assert.match(sql('builtin.dq.freshness', 'bigquery', { max_age: 30, max_age_unit: 'minutes' }), /CURRENT_TIMESTAMP\(\) - INTERVAL 30 MINUTE/);
    assert.match(sql('builtin.dq.freshness', 'spark'), /CURRENT_TIMESTAMP\(\) - INTERVAL 24 HOURS/);
    assert.match(sql('builtin.dq.freshness', 'sql'), /CURRENT_TIMESTAMP - INTERVAL '24' HOUR/);
    assert.throws(() => sql('builtin.dq.freshness', 'duckdb', { max_age_unit: 'week' }), /\{\{interval\}\}: its unit must be one of minute, hour, day; got "week"/);
  });

  it('quotes names that need it with backticks on BigQuery and Spark, double quotes elsewhere', () => {
    const values = { target: '`my-project`.analytics.order', source: '"raw data".orders' };
    assert.match(sql('builtin.incremental.merge', 'bigquery', values), /MERGE INTO\s+`my-project`\.analytics\.`order` AS t/);
    assert.match(sql('builtin.incremental.merge', 'bigquery', values), /FROM\s+`raw data`\.orders AS src/);
    assert.match(sql('builtin.incremental.merge', 'spark', values), /`my-project`\.analytics\.`order`/);
    assert.match(sql('builtin.incremental.merge', 'postgresql', values), /INSERT INTO\s+"my-project"\.analytics\."order" AS t/);
    assert.match(sql('builtin.dq.accepted_values', 'bigquery', { accepted_values: "it's, ok" }), /NOT IN \('it\\'s', 'ok'\)/);
  });
});
