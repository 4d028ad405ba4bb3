// Registering, reading, versioning, deprecating and deleting entries.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type CatalogError } from '../../../server/engines/catalog/errors';
import { customerEtl, revenueTemplate, scratchCatalog, type Scratch } from './support';

let scratch: Scratch;
beforeEach(() => (scratch = scratchCatalog()));
afterEach(() => scratch.cleanup());

describe('registering entries', () => {
  it('registers the README example pipeline with an id, version 1.0.0, owner and times', async () => {
    const catalog = await scratch.open();
    const entry = await catalog.register(customerEtl);
    assert.match(entry.id, /^[0-9a-f-]{36}$/);
    assert.equal(entry.version, '1.0.0');
    assert.equal(entry.owner, 'ana');
    assert.deepEqual(entry.tags, ['etl', 'customer', 'daily']);
    assert.deepEqual(catalog.get('customer_etl'), entry);
    assert.deepEqual(catalog.get(entry.id), entry);
  });

  it('registers business logic and templates with their own fields', async () => {
    const catalog = await scratch.open();
    const rule = await catalog.register({ kind: 'businessLogic', name: 'active_customer', expression: "last_order_at > now() - interval '90 days'", domain: 'sales' });
    assert.equal(rule.kind === 'businessLogic' && rule.domain, 'sales');
    const template = await catalog.register(revenueTemplate);
    assert.equal(template.kind === 'template' && template.variables.length, 3);
    assert.equal(template.kind === 'template' && template.variables[1]?.required, false, 'a variable with a default is optional');
  });

  it('refuses empty and duplicate names, unknown variable types, and says which field', async () => {
    const catalog = await scratch.open();
    await catalog.register(customerEtl);
    await assert.rejects(catalog.register({ ...customerEtl, name: '   ' }), (e: CatalogError) => e.code === 'invalid-entry' && /name must not be empty/.test(e.message));
    await assert.rejects(catalog.register({ ...customerEtl, name: 'Customer_ETL' }), (e: CatalogError) => e.code === 'duplicate-name' && /already exists/.test(e.message));
    await assert.rejects(
      catalog.register({ ...revenueTemplate, variables: [{ name: 'table', type: 'tabel' }] }),
      (e: CatalogError) => e.path === 'variables[0].type' && /must be one of identifier, column_list, string, number, boolean, not "tabel"/.test(e.message),
    );
    await assert.rejects(catalog.register({ ...revenueTemplate, name: 'x', variables: [{ name: '1st', type: 'string' }] }), /not a valid variable name/);
    assert.equal(catalog.list().length, 1, 'nothing was registered by the refused calls');
  });

  it('the same name may be used by different kinds', async () => {
    const catalog = await scratch.open();
    await catalog.register(customerEtl);
    await catalog.register({ kind: 'businessLogic', name: 'customer_etl', expression: 'true' });
    assert.equal(catalog.list().length, 2);
  });
});

describe('versions', () => {
  it('a description or tag edit is a minor version; the old version stays readable', async () => {
    const catalog = await scratch.open();
    const v1 = await catalog.register(customerEtl);
    const v2 = await catalog.update(v1.id, { description: 'Load, dedupe and enrich customers', tags: ['etl', 'customer'] });
    assert.equal(v2.version, '1.1.0');
    assert.equal(catalog.get(v1.id, '1.0.0')?.description, 'Load and transform customer data');
    assert.deepEqual(catalog.versions(v1.id).map((v) => v.version), ['1.0.0', '1.1.0']);
  });

  it("a change to a pipeline's logic shape or a template's variables is a major version", async () => {
    const catalog = await scratch.open();
    const pipeline = await catalog.register(customerEtl);
    const sameShape = await catalog.update(pipeline.id, { logic: { ...customerEtl.logic, target: 'dw.customers_v2' } });
    assert.equal(sameShape.version, '1.1.0', 'new values, same shape');
    const newShape = await catalog.update(pipeline.id, { logic: { ...customerEtl.logic, schedule: '@daily' } });
    assert.equal(newShape.version, '2.0.0');

    const template = await catalog.register(revenueTemplate);
    const withVariable = await catalog.update(template.id, {
      variables: [...revenueTemplate.variables, { name: 'currency', type: 'string', description: 'ISO code', default: 'EUR' }],
    });
    assert.equal(withVariable.version, '2.0.0');
    const bodyOnly = await catalog.update(template.id, { body: `${revenueTemplate.body} ORDER BY 1` });
    assert.equal(bodyOnly.version, '2.1.0');
  });

  it('an update that changes nothing makes no version', async () => {
    const catalog = await scratch.open();
    const entry = await catalog.register(customerEtl);
    assert.equal((await catalog.update(entry.id, { description: customerEtl.description })).version, '1.0.0');
    assert.equal(catalog.versions(entry.id).length, 1);
  });

  it('diffs two versions field by field', async () => {
    const catalog = await scratch.open();
    const entry = await catalog.register(customerEtl);
    await catalog.update(entry.id, { description: 'new words', logic: { ...customerEtl.logic, target: 'dw.x' } });
    const diff = catalog.diff(entry.id, '1.0.0', '1.1.0');
    assert.deepEqual(
      diff.changes.map((c) => [c.path, c.before, c.after]),
      [
        ['description', 'Load and transform customer data', 'new words'],
        ['logic.target', 'dw.dim_customers', 'dw.x'],
      ],
    );
    assert.throws(() => catalog.diff(entry.id, '1.0.0', '9.0.0'), /has no version 9\.0\.0; it has 1\.0\.0, 1\.1\.0/);
  });
});

describe('deprecate, delete and restore', () => {
  it('a deprecated entry is still found and usable, flagged with the reason', async () => {
    const catalog = await scratch.open();
    const entry = await catalog.register(customerEtl);
    await catalog.deprecate(entry.id, 'use customer_etl_v2');
    assert.equal(catalog.get(entry.id)?.deprecated?.reason, 'use customer_etl_v2');
    assert.equal(catalog.search({ text: 'customer' }).results[0]?.entry.id, entry.id);
    await catalog.recordUsage(entry.id, 'executed');
    await catalog.undeprecate(entry.id);
    assert.equal(catalog.get(entry.id)?.deprecated, undefined);
  });

  it('a deleted entry leaves lists and search, keeps its versions, and comes back on restore', async () => {
    const catalog = await scratch.open();
    const entry = await catalog.register(customerEtl);
    await catalog.update(entry.id, { description: 'v2' });
    await catalog.delete(entry.id);
    assert.equal(catalog.list().length, 0);
    assert.equal(catalog.search({ text: 'customer_etl' }).total, 0);
    assert.equal(catalog.list({ includeDeleted: true }).length, 1);
    // Deleted names are free again; restoring into a taken name is refused.
    const other = await catalog.register(customerEtl);
    await assert.rejects(catalog.restore(entry.id), (e: CatalogError) => e.code === 'duplicate-name');
    await catalog.delete(other.id);
    const restored = await catalog.restore(entry.id);
    assert.equal(restored.description, 'v2');
    assert.equal(catalog.versions(entry.id).length, 2);
  });

  it('built-in entries are read-only but can be copied', async () => {
    const builtin = {
      ...revenueTemplate,
      id: 'builtin.revenue',
      version: '1.0.0',
      owner: 'NeuroLake',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    } as const;
    const catalog = await scratch.open({ builtins: [builtin as never] });
    assert.equal(catalog.get('builtin.revenue')?.builtin, true);
    await assert.rejects(catalog.update('builtin.revenue', { description: 'x' }), (e: CatalogError) => e.code === 'read-only' && /copy it/.test(e.message));
    await assert.rejects(catalog.delete('builtin.revenue'), (e: CatalogError) => e.code === 'read-only');
    const copy = await catalog.copy('builtin.revenue', 'my_revenue');
    assert.equal(copy.builtin, undefined);
    assert.equal((await catalog.update(copy.id, { description: 'mine' })).version, '1.1.0');
  });
});
