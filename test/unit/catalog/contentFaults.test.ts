// Content that used to get past the catalog's checks and break something later: a tag that is a
// name every plain object has, logic nested deeper than the stack, template bodies that can never
// render.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CatalogError } from '../../../server/engines/catalog/errors';
import { render } from '../../../server/engines/templates';
import { scratchCatalog, type Scratch } from './support';

let scratch: Scratch;
beforeEach(() => (scratch = scratchCatalog()));
afterEach(() => scratch.cleanup());

describe('catalog content: tags that are names every object has', () => {
  it('a tag named constructor (or toString, valueOf in lower case) is counted like any other', async () => {
    const catalog = await scratch.open();
    for (const [n, tags] of [['a', ['constructor', 'etl']], ['b', ['constructor', 'tostring']], ['c', ['valueof']]] as const) {
      await catalog.register({ kind: 'pipeline', name: n, logic: {}, tags: [...tags] });
    }
    assert.deepEqual(catalog.stats().by_tag, { constructor: 2, etl: 1, tostring: 1, valueof: 1 });
    const group = catalog.groups().find((g) => g.kind === 'pipeline')!;
    assert.deepEqual(group.tags, { constructor: 2, etl: 1, tostring: 1, valueof: 1 });
    assert.deepEqual(JSON.parse(JSON.stringify(catalog.stats().by_tag)), { constructor: 2, etl: 1, tostring: 1, valueof: 1 });
  });
});

describe('catalog content: logic nested deeper than anyone writes', () => {
  it('logic nested 5,000 levels deep is refused naming the field, and nothing is saved', async () => {
    const catalog = await scratch.open();
    let logic: Record<string, unknown> = { source: 's' };
    for (let i = 0; i < 5000; i++) logic = { step: logic };
    await assert.rejects(catalog.register({ kind: 'pipeline', name: 'deep', logic }), (error: CatalogError) => {
      assert.equal(error.code, 'invalid-entry');
      assert.equal(error.path, 'logic');
      assert.equal(error.message, 'logic is nested more than 64 levels deep; flatten it.');
      return true;
    });
    assert.equal(catalog.list().length, 0);
  });

  it('logic at the limit is kept, and one level more is refused, however the levels are made', async () => {
    const catalog = await scratch.open();
    const nested = (levels: number): Record<string, unknown> => {
      let logic: Record<string, unknown> = {};
      for (let i = 1; i < levels; i++) logic = { s: [logic] };
      return logic;
    };
    // nested(n) is 2n - 1 levels: an object, then a list and an object per step; so 3 + 61 = 64.
    const entry = await catalog.register({ kind: 'pipeline', name: 'at_limit', logic: { a: [[nested(31)]] } });
    assert.equal(catalog.versions(entry.id).length, 1);
    await assert.rejects(catalog.update(entry.id, { logic: { a: [[[nested(31)]]] } }), /^CatalogError: logic is nested more than 64 levels deep; flatten it\.$/);
    await assert.rejects(catalog.update(entry.id, { logic: { a: [[[[{ b: nested(31) }]]]] } }), /logic is nested more than 64 levels deep/);
  });
});

describe('catalog content: template bodies that can never render', () => {
  const template = (body: string, variables: Record<string, unknown>[] = [{ name: 'table', type: 'identifier' }]) => ({
    kind: 'template' as const,
    name: 'refused',
    body,
    variables,
  });
  const cases: [string, ReturnType<typeof template>, string, RegExp][] = [
    ['a syntax error', template('SELECT * FROM {{ident table}'), 'body', /^body can never render: .*line 1/],
    ['an unclosed block', template('SELECT {{#if table}}x'), 'body', /^body can never render: /],
    ['a partial', template('SELECT * FROM {{> other}}'), 'body', /^body can never render: .*partial/i],
    ['prototype access', template('SELECT {{table.constructor}}'), 'body', /^body can never render: .*constructor/],
    ['__proto__', template('SELECT {{ident table.__proto__}}'), 'body', /^body can never render: .*__proto__/],
    ['a helper that does not exist', template('SELECT {{shout table}}'), 'body', /^body can never render: .*shout/],
    ['an undeclared variable', template('SELECT * FROM {{ident tabel}}'), 'body', /^body can never render: The template uses "tabel" but does not declare it/],
    ['a variable named like a helper', template('SELECT {{columns columns}}', [{ name: 'columns', type: 'column_list' }]), 'variables[0]', /^variables\[0\] can never render: Variable name "columns" is also a helper's name/],
  ];
  for (const [what, input, path, message] of cases) {
    it(`${what}: refused at register as the renderer refuses it`, async () => {
      const catalog = await scratch.open();
      const entryLike = { ...input, id: 'x', version: '1.0.0', createdAt: '', updatedAt: '', description: '', tags: [], owner: '', templateKind: 'custom' as const, dialects: ['sql' as const], variables: input.variables as never };
      assert.throws(() => render(entryLike, { table: 'orders', columns: ['a'] }), 'the renderer refuses it too');
      await assert.rejects(catalog.register(input), (error: CatalogError) => {
        assert.equal(error.code, 'invalid-entry');
        assert.equal(error.path, path);
        assert.match(error.message, message);
        return true;
      });
      assert.equal(catalog.list().length, 0);
    });
  }

  it('an edit that breaks a template is refused and the saved version stays', async () => {
    const catalog = await scratch.open();
    const entry = await catalog.register(template('SELECT * FROM {{ident table}}'));
    await assert.rejects(catalog.update(entry.id, { body: 'SELECT * FROM {{> partial}}' }), /can never render/);
    assert.equal(catalog.get(entry.id)?.version, '1.0.0');
  });
});
