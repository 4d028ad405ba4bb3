// Finding entries the way people type: ranked, typo tolerant, filtered by tags and kind.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Catalog } from '../../../server/engines/catalog/catalog';
import { customerEtl, scratchCatalog, type Scratch } from './support';

let scratch: Scratch;
let catalog: Catalog;
beforeEach(async () => {
  scratch = scratchCatalog();
  catalog = await scratch.open();
  await catalog.register(customerEtl);
  await catalog.register({ kind: 'pipeline', name: 'customer', description: 'raw customer copy', logic: {}, tags: ['raw'] });
  await catalog.register({ kind: 'pipeline', name: 'customers_daily_snapshot', description: 'snapshot', logic: {}, tags: ['daily', 'scd'] });
  await catalog.register({ kind: 'pipeline', name: 'orders_etl', description: 'orders joined with customer ids', logic: {}, tags: ['etl', 'orders'] });
  await catalog.register({ kind: 'businessLogic', name: 'vip_customer', expression: 'lifetime_value > 10000', domain: 'sales', tags: ['customer'] });
  await catalog.register({ kind: 'pipeline', name: 'inventory_sync', description: 'warehouse stock levels', logic: {}, tags: ['etl'] });
});
afterEach(() => scratch.cleanup());

const names = (text: string, extra: object = {}): string[] => catalog.search({ text, ...extra }).results.map((r) => r.entry.name);

describe('catalog search', () => {
  it('ranks the exact name first, then names starting with the query, then other matches', () => {
    const found = names('customer');
    assert.equal(found[0], 'customer');
    assert.deepEqual(found.slice(1, 3).sort(), ['customer_etl', 'customers_daily_snapshot']);
    assert.ok(found.includes('vip_customer') && found.includes('orders_etl'));
    assert.ok(found.indexOf('vip_customer') < found.indexOf('orders_etl'), 'a name match outranks a description match');
    assert.ok(!found.includes('inventory_sync'));
    assert.equal(catalog.search({ text: 'customer' }).results[0]?.match, 'exact');
  });

  it('tolerates a typo per word', () => {
    assert.ok(names('custmer').includes('customer_etl'));
    assert.ok(names('invetnory').includes('inventory_sync'), 'a transposition');
    assert.ok(names('warehuose').includes('inventory_sync'), 'a typo in the description');
    assert.deepEqual(names('zzzzzz'), []);
  });

  it('every word must match (AND), in any field', () => {
    // customer_etl has `daily` as a tag; the snapshot has it in its name; vip_customer lacks it.
    assert.deepEqual(names('customer daily').sort(), ['customer_etl', 'customers_daily_snapshot']);
  });

  it('tag filters combine with AND, and a kind filter narrows further', () => {
    assert.deepEqual(names('', { tags: ['etl'] }).sort(), ['customer_etl', 'inventory_sync', 'orders_etl']);
    assert.deepEqual(names('', { tags: ['etl', 'customer'] }), ['customer_etl']);
    assert.deepEqual(names('customer', { tags: ['etl'] }).sort(), ['customer_etl', 'orders_etl']);
    assert.deepEqual(names('customer', { kind: 'businessLogic' }), ['vip_customer']);
  });

  it('the README example: search "customer" with tag etl', () => {
    const { results } = catalog.search({ text: 'customer', tags: ['etl'], kind: 'pipeline' });
    assert.equal(results[0]?.entry.name, 'customer_etl');
  });

  it('follows updates and deletes', async () => {
    const entry = catalog.get('inventory_sync')!;
    await catalog.update(entry.id, { name: 'stock_sync' });
    assert.deepEqual(names('inventory'), []);
    assert.deepEqual(names('stock'), ['stock_sync']);
    await catalog.delete(entry.id);
    assert.deepEqual(names('stock'), []);
    assert.deepEqual(names('stock', { includeDeleted: true }), ['stock_sync']);
  });

  it('reports the total beyond the limit', () => {
    const { results, total } = catalog.search({ text: 'customer', limit: 2 });
    assert.equal(results.length, 2);
    assert.equal(total, 5);
  });
});

describe('usage statistics', () => {
  it('counts uses per action, remembers the last use, and ranks the most used', async () => {
    const etl = catalog.get('customer_etl')!;
    await catalog.recordUsage(etl.id, 'inserted');
    await catalog.recordUsage(etl.id, 'executed');
    const usage = await catalog.recordUsage(etl.id, 'executed');
    assert.deepEqual(usage.counts, { inserted: 1, rendered: 0, executed: 2 });
    assert.ok(usage.lastUsedAt !== undefined);
    await catalog.recordUsage('vip_customer', 'rendered');

    const stats = catalog.stats();
    assert.equal(stats.total_pipelines, 5);
    assert.equal(stats.total_business_logic, 1);
    assert.equal(stats.total_templates, 0);
    assert.equal(stats.total_usage, 4);
    assert.deepEqual(stats.usage_by_action, { inserted: 1, rendered: 1, executed: 2 });
    assert.deepEqual(stats.most_used.map((m) => [m.name, m.uses]), [['customer_etl', 3], ['vip_customer', 1]]);
    assert.equal(stats.by_tag['etl'], 3);
  });
});

describe('browsing in pages and groups (the Catalog view)', () => {
  it('counts entries per kind and per tag, untagged apart', async () => {
    await catalog.register({ kind: 'pipeline', name: 'no_tags_here', logic: {} });
    const groups = catalog.groups();
    const pipelines = groups.find((g) => g.kind === 'pipeline')!;
    assert.equal(pipelines.count, 6);
    assert.equal(pipelines.untagged, 1);
    assert.equal(pipelines.tags['etl'], 3);
    assert.deepEqual(groups.map((g) => g.kind), ['pipeline', 'businessLogic']);
  });

  it('pages through a group in name order, and lists the untagged alone', async () => {
    await catalog.register({ kind: 'pipeline', name: 'no_tags_here', logic: {} });
    const all = catalog.list({ kind: 'pipeline' }).map((e) => e.name);
    assert.deepEqual(all, [...all].sort());
    const pages = [0, 2, 4].map((offset) => catalog.list({ kind: 'pipeline', offset, limit: 2 }).map((e) => e.name));
    assert.deepEqual(pages.flat(), all);
    assert.deepEqual(catalog.list({ kind: 'pipeline', untagged: true }).map((e) => e.name), ['no_tags_here']);
  });
});
