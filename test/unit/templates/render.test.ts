// Rendering as a template author and a user see it: helpers per dialect, values checked before
// anything renders, defaults, and the formatter's options.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render, TemplateError, FORMAT_DEFAULTS } from '../../../server/engines/templates';
import { template, variable } from './fixtures';

const raw = { format: false } as const;

function error(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (caught) {
    assert.ok(caught instanceof TemplateError, `expected a TemplateError, got ${String(caught)}`);
    return caught;
  }
  assert.fail('expected a TemplateError');
}

describe('ident', () => {
  const body = template('SELECT * FROM {{ident name}}', [variable('name', 'identifier')]);
  const ident = (name: string, dialect: 'postgresql' | 'bigquery' | 'spark' | 'snowflake' | 'duckdb') => render(body, { name }, { dialect, ...raw }).sql;

  it('leaves plain and dotted names alone', () => {
    assert.equal(ident('analytics.orders', 'postgresql'), 'SELECT * FROM analytics.orders');
    assert.equal(ident('analytics.orders', 'bigquery'), 'SELECT * FROM analytics.orders');
  });
  it('quotes reserved words with the dialect quote', () => {
    assert.equal(ident('sales.order', 'postgresql'), 'SELECT * FROM sales."order"');
    assert.equal(ident('sales.order', 'snowflake'), 'SELECT * FROM sales."order"');
    assert.equal(ident('sales.order', 'bigquery'), 'SELECT * FROM sales.`order`');
    assert.equal(ident('sales.order', 'spark'), 'SELECT * FROM sales.`order`');
  });
  it('keeps a quoted part quoted, re-quoted for the dialect', () => {
    assert.equal(ident('"my-project".analytics.orders', 'bigquery'), 'SELECT * FROM `my-project`.analytics.orders');
    assert.equal(ident('`Order Lines`', 'duckdb'), 'SELECT * FROM "Order Lines"');
    assert.equal(ident('"say ""hi"""', 'postgresql'), 'SELECT * FROM "say ""hi"""');
  });
});

describe('literal', () => {
  const body = template('SELECT {{literal text}}', [variable('text', 'string')]);
  const literal = (text: string, dialect: 'postgresql' | 'bigquery' | 'spark' | 'snowflake' | 'duckdb') => render(body, { text }, { dialect, ...raw }).sql;

  it('doubles quotes where the dialect does, backslash-escapes where it reads escapes', () => {
    assert.equal(literal("it's", 'postgresql'), "SELECT 'it''s'");
    assert.equal(literal("it's", 'duckdb'), "SELECT 'it''s'");
    assert.equal(literal("it's", 'bigquery'), "SELECT 'it\\'s'");
    assert.equal(literal("it's", 'spark'), "SELECT 'it\\'s'");
    assert.equal(literal("it's \\", 'snowflake'), "SELECT 'it''s \\\\'");
  });
  it('a trailing backslash cannot swallow the closing quote on BigQuery', () => {
    assert.equal(literal("x\\' OR 1=1 --", 'bigquery'), "SELECT 'x\\\\\\' OR 1=1 --'");
  });
});

describe('other helpers', () => {
  it('columns with a prefix, join, concat, now, interval, sqltype', () => {
    const body = template(
      '{{columns keys "t."}} | {{join keys " AND "}} | {{ident (concat "dim_" base)}} | {{now}} | {{interval 3 "day"}} | {{sqltype "string"}}',
      [variable('keys', 'column_list'), variable('base', 'identifier')],
    );
    const values = { keys: 'id, region', base: 'customer' };
    assert.equal(render(body, values, { dialect: 'postgresql', ...raw }).sql, "t.id, t.region | id AND region | dim_customer | CURRENT_TIMESTAMP | INTERVAL '3 days' | TEXT");
    assert.equal(render(body, values, { dialect: 'bigquery', ...raw }).sql, 't.id, t.region | id AND region | dim_customer | CURRENT_TIMESTAMP() | INTERVAL 3 DAY | STRING');
    assert.equal(render(body, values, { dialect: 'spark', ...raw }).sql, 't.id, t.region | id AND region | dim_customer | CURRENT_TIMESTAMP() | INTERVAL 3 DAYS | STRING');
  });

  it('branches on dialect with eq / and / or / not', () => {
    const body = template('{{#if (eq dialect "bigquery")}}bq{{else if (or (eq dialect "snowflake") (not flag))}}sf-or-off{{else}}other{{/if}}', [variable('flag', 'boolean', { default: true })]);
    assert.equal(render(body, {}, { dialect: 'bigquery', ...raw }).sql, 'bq');
    assert.equal(render(body, {}, { dialect: 'snowflake', ...raw }).sql, 'sf-or-off');
    assert.equal(render(body, { flag: false }, { dialect: 'duckdb', ...raw }).sql, 'sf-or-off');
    assert.equal(render(body, { flag: 'true' }, { dialect: 'duckdb', ...raw }).sql, 'other');
  });

  it('each gives @first/@last and block parameters; @root reaches variables', () => {
    const body = template('{{#each keys as |key i|}}{{i}}:{{ident key}}={{@root.n}}{{#unless @last}}, {{/unless}}{{/each}}', [variable('keys', 'column_list'), variable('n', 'number')]);
    assert.equal(render(body, { keys: ['a', 'select'], n: 2 }, raw).sql, '0:a=2, 1:"select"=2');
  });

  it('a helper given a bad argument names the helper', () => {
    const body = template('{{interval n "fortnight"}}', [variable('n', 'number')]);
    const failure = error(() => render(body, { n: 2 }, raw));
    assert.equal(failure.code, 'invalid-value');
    assert.equal(failure.helper, 'interval');
    assert.match(failure.message, /\{\{interval\}\}: its unit must be one of minute, hour, day; got "fortnight"/);
  });
});

describe('values', () => {
  const body = template('SELECT {{columns cols}} FROM {{ident tbl}} LIMIT {{n}}', [
    variable('tbl', 'identifier'),
    variable('cols', 'column_list'),
    variable('n', 'number', { default: 10 }),
  ]);

  it('defaults fill in and a comma-separated string is a column list', () => {
    assert.equal(render(body, { tbl: 't', cols: 'a, b' }, raw).sql, 'SELECT a, b FROM t LIMIT 10');
    assert.equal(render(body, { tbl: 't', cols: ['a'], n: '5' }, raw).sql, 'SELECT a FROM t LIMIT 5');
  });
  it('names every missing required variable at once', () => {
    const failure = error(() => render(body, {}, raw));
    assert.equal(failure.code, 'missing-variable');
    assert.deepEqual(failure.variables, ['tbl', 'cols']);
    assert.match(failure.message, /Missing required variables: tbl, cols/);
  });
  it('refuses values for variables the template does not declare', () => {
    const failure = error(() => render(body, { tbl: 't', cols: 'a', limit: 3, dialect: 'spark' }, raw));
    assert.equal(failure.code, 'unknown-variable');
    assert.deepEqual(failure.variables, ['limit', 'dialect']);
    assert.match(failure.message, /render options/);
  });
  it('refuses a number that is not finite and a list that is empty', () => {
    assert.match(error(() => render(body, { tbl: 't', cols: 'a', n: Number.NaN }, raw)).message, /Variable "n" \(number\) cannot be NaN: it must be a finite number/);
    assert.match(error(() => render(body, { tbl: 't', cols: [] }, raw)).message, /Variable "cols" \(column_list\) cannot be \[\]: it needs at least one column/);
  });
  it('refuses a dialect the template is not written for', () => {
    const pgOnly = template('SELECT 1', [], ['postgresql']);
    const failure = error(() => render(pgOnly, {}, { dialect: 'bigquery' }));
    assert.equal(failure.code, 'unsupported-dialect');
    assert.match(failure.message, /written for postgresql, not bigquery/);
  });
});

describe('formatting', () => {
  const body = template('select id, name from {{ident tbl}} where id in (select id from other)', [variable('tbl', 'identifier')]);

  it('formats with the dialect and the defaults: upper-case keywords, two-space indent', () => {
    assert.deepEqual(FORMAT_DEFAULTS, { keywordCase: 'upper', tabWidth: 2, useTabs: false, linesBetweenQueries: 1 });
    const { sql, warnings } = render(body, { tbl: 'orders' });
    assert.deepEqual(warnings, []);
    assert.equal(sql, 'SELECT\n  id,\n  name\nFROM\n  orders\nWHERE\n  id IN (\n    SELECT\n      id\n    FROM\n      other\n  )');
  });
  it('honours keyword case, indent width, tabs and lines between queries', () => {
    const lower = render(body, { tbl: 'orders' }, { format: { keywordCase: 'lower', tabWidth: 4 } }).sql;
    assert.match(lower, /^select\n {4}id,\n {4}name\nfrom\n {4}orders/);
    const tabs = render(body, { tbl: 'orders' }, { format: { useTabs: true } }).sql;
    assert.match(tabs, /^SELECT\n\tid,/);
    const two = template('SELECT 1; SELECT 2;');
    assert.equal(render(two, {}, { format: { linesBetweenQueries: 2 } }).sql, 'SELECT\n  1;\n\n\nSELECT\n  2;');
  });
  it('returns the SQL unformatted, with a warning, when the formatter cannot read it', () => {
    const odd = template('SELECT {{n}} FROM t WHERE a = "unterminated', [variable('n', 'number')]);
    const { sql, warnings } = render(odd, { n: 1 }, { dialect: 'postgresql' });
    assert.equal(sql, 'SELECT 1 FROM t WHERE a = "unterminated');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /left unformatted: the postgresql formatter could not read it/);
  });
});
