// The built-ins run on real engines and leave the rows a data engineer expects: PostgreSQL
// (PGlite: PostgreSQL compiled to WebAssembly) and DuckDB (its native library from npm). This
// covers the PostgreSQL transaction form and, on DuckDB, the MERGE form the other dialects share.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_TEMPLATES } from '../../server/engines/catalog/builtins';
import { type VariableValue } from '../../server/engines/catalog/types';
import { render } from '../../server/engines/templates';
import { startDuckDb, startPostgres, type SqlEngine } from './support/sqlEngines';

const template = (id: string) => {
  const entry = BUILTIN_TEMPLATES.find((candidate) => candidate.id === id);
  assert.ok(entry, id);
  return entry;
};

for (const start of [startPostgres, startDuckDb]) {
  describe(`built-ins on ${start === startPostgres ? 'PostgreSQL (PGlite)' : 'DuckDB'}`, () => {
    let db: SqlEngine;
    before(async () => {
      db = await start();
    });
    after(async () => {
      await db.close();
    });

    const run = async (id: string, values: Record<string, VariableValue>): Promise<void> => db.exec(render(template(id), values, { dialect: db.dialect }).sql);
    const select = (id: string, values: Record<string, VariableValue>) => db.query(render(template(id), values, { dialect: db.dialect }).sql.replace(/;\s*$/, ''));
    const fresh = async (ddl: string): Promise<void> => {
      await db.exec('DROP SCHEMA IF EXISTS analytics CASCADE; DROP SCHEMA IF EXISTS staging CASCADE; CREATE SCHEMA analytics; CREATE SCHEMA staging;');
      await db.exec(ddl);
    };

    describe('SCD Type 2', () => {
      const DIMENSION = 'CREATE TABLE analytics.dim_customer (customer_id INTEGER, name VARCHAR, email VARCHAR, segment VARCHAR, updated_at TIMESTAMP, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN);';
      const SOURCE = 'CREATE TABLE staging.customers (customer_id INTEGER, name VARCHAR, email VARCHAR, segment VARCHAR, updated_at TIMESTAMP);';
      const history = () =>
        db.query(
          'SELECT customer_id, name, email, segment, CAST(valid_from AS VARCHAR) AS valid_from, CAST(valid_to AS VARCHAR) AS valid_to, is_current FROM analytics.dim_customer ORDER BY customer_id, valid_from',
        );
      const load = (rows: string) => db.exec(`DELETE FROM staging.customers; INSERT INTO staging.customers VALUES ${rows};`);

      it('timestamp strategy: closes changed keys, inserts new versions and new keys, ignores older rows, re-runs cleanly', async () => {
        await fresh(DIMENSION + SOURCE);
        const values = { target: 'analytics.dim_customer', source: 'staging.customers', unique_key: ['customer_id'], value_columns: ['name', 'email', 'segment', 'updated_at'] };
        await load("(1, 'Ada', 'ada@old.example', NULL, '2024-01-01 00:00:00'), (2, 'Bob', 'bob@example.com', 'gold', '2024-01-01 00:00:00')");
        await run('builtin.scd2.timestamp', values);
        assert.deepEqual(await history(), [
          { customer_id: 1, name: 'Ada', email: 'ada@old.example', segment: null, valid_from: '2024-01-01 00:00:00', valid_to: null, is_current: true },
          { customer_id: 2, name: 'Bob', email: 'bob@example.com', segment: 'gold', valid_from: '2024-01-01 00:00:00', valid_to: null, is_current: true },
        ]);

        await load(
          "(1, 'Ada', 'ada@new.example', NULL, '2024-02-01 00:00:00'), (2, 'Robert', 'bob@example.com', 'gold', '2023-12-01 00:00:00'), (3, 'Cy', 'cy@example.com', NULL, '2024-02-01 00:00:00')",
        );
        const expected = [
          { customer_id: 1, name: 'Ada', email: 'ada@old.example', segment: null, valid_from: '2024-01-01 00:00:00', valid_to: '2024-02-01 00:00:00', is_current: false },
          { customer_id: 1, name: 'Ada', email: 'ada@new.example', segment: null, valid_from: '2024-02-01 00:00:00', valid_to: null, is_current: true },
          { customer_id: 2, name: 'Bob', email: 'bob@example.com', segment: 'gold', valid_from: '2024-01-01 00:00:00', valid_to: null, is_current: true },
          { customer_id: 3, name: 'Cy', email: 'cy@example.com', segment: null, valid_from: '2024-02-01 00:00:00', valid_to: null, is_current: true },
        ];
        await run('builtin.scd2.timestamp', values);
        assert.deepEqual(await history(), expected);
        await run('builtin.scd2.timestamp', values);
        assert.deepEqual(await history(), expected, 'a second run with the same source changes nothing');
      });

      it('check strategy: NULL-safe change detection on the checked columns only; closed and new versions share one timestamp', async () => {
        await fresh(DIMENSION + SOURCE);
        const values = { target: 'analytics.dim_customer', source: 'staging.customers', unique_key: 'customer_id', value_columns: 'name, email, segment', check_columns: 'email, segment' };
        await load("(1, 'Ada', 'ada@example.com', NULL, NULL), (2, 'Bob', 'bob@example.com', 'gold', NULL), (4, 'Dee', 'dee@example.com', NULL, NULL)");
        await run('builtin.scd2.check', values);
        // 1: NULL -> silver is a change; 2: only the unchecked name changed; 3: new; 4: NULL stays NULL.
        await load("(1, 'Ada', 'ada@example.com', 'silver', NULL), (2, 'Robert', 'bob@example.com', 'gold', NULL), (3, 'Cy', 'cy@example.com', NULL, NULL), (4, 'Dee', 'dee@example.com', NULL, NULL)");
        await run('builtin.scd2.check', values);
        await run('builtin.scd2.check', values);
        const rows = await history();
        assert.deepEqual(
          rows.map((row) => [row['customer_id'], row['name'], row['segment'], row['is_current'], row['valid_to'] === null]),
          [
            [1, 'Ada', null, false, false],
            [1, 'Ada', 'silver', true, true],
            [2, 'Bob', 'gold', true, true],
            [3, 'Cy', null, true, true],
            [4, 'Dee', null, true, true],
          ],
        );
        assert.equal(rows[0]?.['valid_to'], rows[1]?.['valid_from'], 'the closed version ends when its successor starts');
      });
    });

    describe('deduplication', () => {
      const RAW = `CREATE TABLE staging.orders (order_id INTEGER, status VARCHAR, updated_at TIMESTAMP, _loaded_at TIMESTAMP, _file_row INTEGER);
        INSERT INTO staging.orders VALUES
          (1, 'placed', '2024-01-01', '2024-01-01 01:00', 1), (1, 'shipped', '2024-01-02', '2024-01-02 01:00', 1),
          (2, 'placed', '2024-01-01', '2024-01-01 01:00', 1), (2, 'cancelled', '2024-01-01', '2024-01-01 02:00', 1),
          (3, 'placed', NULL, '2024-01-03', 1), (3, 'shipped', '2024-01-03', '2024-01-03', 1),
          (4, 'first', '2024-01-04', '2024-01-04', 1), (4, 'second', '2024-01-04', '2024-01-04', 2);`;

      it('keeps the latest row per key, NULLs last, ties broken by the tie-breakers in order', async () => {
        await fresh(RAW);
        const rows = await select('builtin.dedup.latest', { source: 'staging.orders', unique_key: 'order_id', tie_breaker: '_loaded_at, _file_row', select_columns: 'order_id, status' });
        assert.deepEqual(
          rows.sort((a, b) => Number(a['order_id']) - Number(b['order_id'])),
          [
            { order_id: 1, status: 'shipped' },
            { order_id: 2, status: 'cancelled' },
            { order_id: 3, status: 'shipped' },
            { order_id: 4, status: 'second' },
          ],
        );
      });
    });

    describe('incremental merge', () => {
      it('loads everything first, then only rows at or past the watermark; only strictly newer rows update', async () => {
        await fresh(`CREATE TABLE analytics.orders (order_id INTEGER PRIMARY KEY, status VARCHAR, amount INTEGER, updated_at TIMESTAMP);
          CREATE TABLE staging.orders (order_id INTEGER, status VARCHAR, amount INTEGER, updated_at TIMESTAMP);
          INSERT INTO staging.orders VALUES (1, 'placed', 10, '2024-01-01'), (1, 'shipped', 10, '2024-01-02'), (2, 'placed', 20, '2024-01-02');`);
        const values = { target: 'analytics.orders', source: 'staging.orders', unique_key: ['order_id'], value_columns: ['status', 'amount', 'updated_at'] };
        const orders = () => db.query('SELECT order_id, status, amount, CAST(updated_at AS VARCHAR) AS updated_at FROM analytics.orders ORDER BY order_id');
        await run('builtin.incremental.merge', values);
        assert.deepEqual(await orders(), [
          { order_id: 1, status: 'shipped', amount: 10, updated_at: '2024-01-02 00:00:00' },
          { order_id: 2, status: 'placed', amount: 20, updated_at: '2024-01-02 00:00:00' },
        ]);

        await db.exec(`DELETE FROM staging.orders; INSERT INTO staging.orders VALUES
          (1, 'delivered', 10, '2024-01-03'), (2, 'refunded', 20, '2024-01-01'), (2, 'placed', 99, '2024-01-02'), (3, 'placed', 30, '2024-01-02');`);
        await run('builtin.incremental.merge', values);
        assert.deepEqual(await orders(), [
          { order_id: 1, status: 'delivered', amount: 10, updated_at: '2024-01-03 00:00:00' },
          { order_id: 2, status: 'placed', amount: 20, updated_at: '2024-01-02 00:00:00' },
          { order_id: 3, status: 'placed', amount: 30, updated_at: '2024-01-02 00:00:00' },
        ]);
      });
    });

    describe('data-quality checks', () => {
      const ORDERS = `CREATE TABLE analytics.orders (order_id INTEGER, customer_id INTEGER, status VARCHAR, updated_at TIMESTAMP);
        INSERT INTO analytics.orders VALUES
          (1, 10, 'placed', CURRENT_TIMESTAMP - INTERVAL '1 hour'), (2, NULL, 'shipped', CURRENT_TIMESTAMP - INTERVAL '2 hours'),
          (2, 11, 'lost', CURRENT_TIMESTAMP - INTERVAL '3 hours'), (NULL, 12, 'placed', CURRENT_TIMESTAMP - INTERVAL '4 hours');`;
      const table = 'analytics.orders';

      it('not null: counts rows with a NULL in any column, or returns them', async () => {
        await fresh(ORDERS);
        assert.deepEqual(await select('builtin.dq.not_null', { table, check_columns: 'order_id, customer_id' }), [
          { check_name: 'not_null', table_name: table, rows_checked: 4, failing_rows: 2, passed: false },
        ]);
        assert.equal((await select('builtin.dq.not_null', { table, check_columns: 'status' }))[0]?.['passed'], true);
        const failing = await select('builtin.dq.not_null', { table, check_columns: 'order_id, customer_id', show_failing_rows: true });
        assert.deepEqual(failing.map((row) => row['customer_id']).sort(), [12, null].sort());
      });

      it('unique: duplicated keys and their rows, NULL keys skipped', async () => {
        await fresh(ORDERS);
        assert.deepEqual(await select('builtin.dq.unique', { table, unique_key: 'order_id' }), [{ check_name: 'unique', table_name: table, failing_keys: 1, failing_rows: 2, passed: false }]);
        assert.deepEqual(await select('builtin.dq.unique', { table, unique_key: 'order_id', show_failing_rows: true }), [{ order_id: 2, occurrences: 2 }]);
        assert.equal((await select('builtin.dq.unique', { table, unique_key: 'order_id, status' }))[0]?.['passed'], true);
      });

      it('accepted values: counts and lists the unexpected values', async () => {
        await fresh(ORDERS);
        const values = { table, column_name: 'status', accepted_values: 'placed, shipped, delivered' };
        assert.deepEqual(await select('builtin.dq.accepted_values', values), [{ check_name: 'accepted_values', table_name: table, failing_rows: 1, passed: false }]);
        assert.deepEqual(await select('builtin.dq.accepted_values', { ...values, show_failing_rows: true }), [{ unexpected_value: 'lost', failing_rows: 1 }]);
        const numbers = await select('builtin.dq.accepted_values', { table, column_name: 'customer_id', accepted_values: '10, 11, 12' });
        assert.equal(numbers[0]?.['passed'], true, 'numbers compare as text');
      });

      it('row count change: within the allowed percentage or not', async () => {
        await fresh(ORDERS);
        const [down] = await select('builtin.dq.row_count_change', { table, previous_count: 5 });
        assert.equal(down?.['row_count'], 4);
        assert.equal(Number(down?.['change_pct']), -20);
        assert.equal(down?.['passed'], false);
        assert.equal((await select('builtin.dq.row_count_change', { table, previous_count: 5, max_change_pct: 25 }))[0]?.['passed'], true);
        assert.equal((await select('builtin.dq.row_count_change', { table, previous_count: 0 }))[0]?.['change_pct'], null);
        assert.equal((await select('builtin.dq.row_count_change', { table, previous_count: 0 }))[0]?.['passed'], false);
      });

      it('freshness: the newest row against the allowed age; an empty table fails', async () => {
        await fresh(ORDERS);
        assert.equal((await select('builtin.dq.freshness', { table }))[0]?.['passed'], true);
        assert.equal((await select('builtin.dq.freshness', { table, max_age: 30, max_age_unit: 'minute' }))[0]?.['passed'], false);
        await db.exec('DELETE FROM analytics.orders');
        assert.equal((await select('builtin.dq.freshness', { table }))[0]?.['passed'], false);
      });
    });

    describe('surrogate key', () => {
      it("matches dbt_utils.generate_surrogate_key's hashes, NULLs included", async () => {
        await fresh("CREATE TABLE staging.order_lines (order_id INTEGER, line_number INTEGER); INSERT INTO staging.order_lines VALUES (1, 1), (1, NULL);");
        const rows = await select('builtin.surrogate_key.md5', { source: 'staging.order_lines', key_columns: 'order_id, line_number', key_name: 'order_line_key' });
        const md5 = (text: string) => createHash('md5').update(text).digest('hex');
        assert.deepEqual(
          rows.map((row) => row['order_line_key']).sort(),
          [md5('1-1'), md5('1-_dbt_utils_surrogate_key_null_')].sort(),
        );
      });
    });
  });
}
