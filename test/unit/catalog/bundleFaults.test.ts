// Bundles a person wrote or trimmed by hand: entries without the fields the schema lets them omit,
// and duplicates inside one bundle. An import is all or nothing whatever the entries hold, and the
// schema and the code agree on what is optional.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { bundleSchema } from '../../../server/engines/catalog/bundleSchema';
import { Catalog } from '../../../server/engines/catalog/catalog';
import type { CatalogError } from '../../../server/engines/catalog/errors';
import { scratchCatalog, type Scratch } from './support';

let scratch: Scratch;
beforeEach(() => (scratch = scratchCatalog()));
afterEach(() => scratch.cleanup());

const stamp = { version: '1.0.0', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
/** One complete entry of each kind, every field the schema knows filled in. */
const full = {
  pipeline: { kind: 'pipeline', name: 'p', description: 'd', tags: ['t'], owner: 'o', logic: { source: 's' }, ...stamp },
  businessLogic: { kind: 'businessLogic', name: 'b', description: 'd', tags: ['t'], owner: 'o', expression: 'x > 1', domain: 'sales', ...stamp },
  template: {
    kind: 'template',
    name: 't',
    description: 'd',
    tags: ['t'],
    owner: 'o',
    templateKind: 'etl',
    dialects: ['duckdb'],
    body: 'SELECT 1',
    variables: [{ name: 'c', type: 'identifier', description: 'a column', required: true }],
    ...stamp,
  },
} as const;
type Kind = keyof typeof full;

const bundleOf = (...entries: Record<string, unknown>[]): string =>
  JSON.stringify({ format: 'neurolake-catalog-bundle', formatVersion: 1, exportedAt: stamp.createdAt, entries: entries.map((entry) => ({ versions: [entry] })) });

/** A complete entry of `kind` with `field` left out, under an id and name of its own. */
function without(kind: Kind, field: string, n: number): Record<string, unknown> {
  const entry: Record<string, unknown> = { ...full[kind], id: `${kind}-${field}-${n}`, name: `${kind}_without_${field}` };
  delete entry[field];
  return entry;
}

/** What the schema says each kind requires, and what else it lets an entry hold. */
function schemaFields(kind: Kind): { required: string[]; optional: string[] } {
  const branch = bundleSchema.properties.entries.items.properties.versions.items.oneOf.find((b) => b.properties.kind.const === kind)!;
  const required: string[] = [...bundleSchema.properties.entries.items.properties.versions.items.required, ...branch.required].filter((field) => field !== 'kind');
  const optional = Object.keys(branch.properties).filter((field) => field !== 'kind' && !required.includes(field));
  return { required, optional };
}

describe('import: entries without the fields the schema lets them omit', () => {
  it('an entry without description or tags passes the dry run and then imports, and every command works afterwards', async () => {
    const catalog = await scratch.open();
    const { description: _d, tags: _t, ...bare } = full.pipeline;
    const text = bundleOf({ ...bare, id: 'bare-1', name: 'bare' }, { ...full.template, id: 'full-1' });
    const dry = await catalog.importBundle(text, { mode: 'skip', dryRun: true });
    assert.equal(dry.counts.add, 2);
    const report = await catalog.importBundle(text, { mode: 'skip', dryRun: false });
    assert.equal(report.counts.add, 2);
    const entry = catalog.get('bare')!;
    assert.equal(entry.description, '');
    assert.deepEqual(entry.tags, []);
    assert.equal(catalog.search({ text: 'bare' }).total, 1);
    assert.equal(catalog.stats().total_entries, 2);
    await catalog.close();
    // A new process loads it too: nothing half-written is left to break later commands.
    const reopened = await Catalog.open({ file: scratch.file, owner: 'bo' });
    assert.equal(reopened.get('bare')?.description, '');
    await reopened.register({ kind: 'pipeline', name: 'after', logic: {} });
    await reopened.close();
  });

  for (const kind of Object.keys(full) as Kind[]) {
    it(`${kind}: every field the schema leaves optional can be left out, and gets register's default`, async () => {
      const { optional } = schemaFields(kind);
      assert.ok(optional.includes('description') && optional.includes('tags'));
      const catalog = await scratch.open();
      const entries = optional.map((field, n) => without(kind, field, n));
      const report = await catalog.importBundle(bundleOf(...entries), { mode: 'skip', dryRun: false });
      assert.equal(report.counts.add, optional.length);
      for (const field of optional) {
        const imported = catalog.get(`${kind}_without_${field}`) as unknown as Record<string, unknown>;
        const registered = (await catalog.register({ ...without(kind, field, 99), name: `registered_without_${field}` } as never)) as unknown as Record<string, unknown>;
        assert.deepEqual(imported[field], field === 'owner' ? '' : registered[field], `${field} defaults as a register's does`);
      }
    });

    it(`${kind}: every field the schema requires is refused when missing, naming it, and nothing is imported`, async () => {
      const { required } = schemaFields(kind);
      const catalog = await scratch.open();
      for (const field of required) {
        const text = bundleOf({ ...full[kind], id: 'ok-1', name: 'fine' }, without(kind, field, 0));
        await assert.rejects(catalog.importBundle(text, { mode: 'skip', dryRun: true }), (error: CatalogError) => {
          assert.equal(error.code, 'invalid-bundle');
          assert.match(error.message, new RegExp(`/entries/1/versions/0.*${field}|must have required property '${field}'`), error.message);
          return true;
        });
        await assert.rejects(catalog.importBundle(text, { mode: 'skip', dryRun: false }), (error: CatalogError) => error.code === 'invalid-bundle');
        assert.equal(catalog.list().length, 0, `a bundle missing ${field} imported nothing`);
      }
    });
  }
});

describe('import: duplicates inside one bundle', () => {
  async function assertRefused(text: string, message: string): Promise<void> {
    const catalog = await scratch.open();
    await catalog.register({ kind: 'pipeline', name: 'existing', logic: {} });
    await catalog.close();
    const before = readFileSync(scratch.file, 'utf8');
    const reopened = await scratch.open();
    for (const dryRun of [true, false]) {
      await assert.rejects(reopened.importBundle(text, { mode: 'overwrite', dryRun }), (error: CatalogError) => {
        assert.equal(error.code, 'invalid-bundle');
        assert.equal(error.message, message);
        return true;
      });
    }
    assert.deepEqual(reopened.list().map((entry) => entry.name), ['existing']);
    await reopened.close();
    assert.equal(readFileSync(scratch.file, 'utf8'), before);
  }

  it('two entries of one name are refused, both named', () =>
    assertRefused(
      bundleOf({ ...full.pipeline, id: 'a', name: 'orders' }, { ...full.template, id: 'c' }, { ...full.pipeline, id: 'b', name: 'orders' }),
      'The bundle holds duplicate entries: /entries/0, /entries/2 are all named "orders" (names are unique within a kind, whatever their case). Remove or rename them and import again; nothing was imported.',
    ));

  it('names that differ only in case are refused', () =>
    assertRefused(
      bundleOf({ ...full.pipeline, id: 'a', name: 'Orders' }, { ...full.pipeline, id: 'b', name: 'orders' }),
      'The bundle holds duplicate entries: /entries/0, /entries/1 are all named "Orders" / "orders" (names are unique within a kind, whatever their case). Remove or rename them and import again; nothing was imported.',
    ));

  it('two entries of one id are refused instead of the second silently winning', () =>
    assertRefused(
      bundleOf({ ...full.pipeline, id: 'same', name: 'first' }, { ...full.pipeline, id: 'same', name: 'second' }),
      'The bundle holds duplicate entries: /entries/0, /entries/1 all have the id same. Remove or rename them and import again; nothing was imported.',
    ));

  it('one name in two kinds is no duplicate', async () => {
    const catalog = await scratch.open();
    const report = await catalog.importBundle(bundleOf({ ...full.pipeline, id: 'a', name: 'orders' }, { ...full.template, id: 'b', name: 'orders' }), { mode: 'skip', dryRun: false });
    assert.equal(report.counts.add, 2);
  });
});
