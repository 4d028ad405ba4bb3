// Sharing a catalog: export to one JSON bundle, import it elsewhere; bad bundles change nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MAX_BUNDLE_BYTES } from '../../../server/engines/catalog/bundle';
import { type Catalog } from '../../../server/engines/catalog/catalog';
import { type CatalogError } from '../../../server/engines/catalog/errors';
import { customerEtl, revenueTemplate, scratchCatalog, type Scratch } from './support';

let scratch: Scratch;
let source: Catalog;
let target: Catalog;
let targetScratch: Scratch;
beforeEach(async () => {
  scratch = scratchCatalog();
  targetScratch = scratchCatalog();
  source = await scratch.open();
  target = await targetScratch.open();
  const etl = await source.register(customerEtl);
  await source.update(etl.id, { description: 'v2' });
  await source.register(revenueTemplate);
  await source.register({ kind: 'businessLogic', name: 'vip', expression: 'ltv > 10000', tags: ['customer'] });
});
afterEach(async () => {
  await scratch.cleanup();
  await targetScratch.cleanup();
});

const fileBytes = (catalog: Catalog): string => readFileSync(catalog.file, 'utf8');
async function assertUnchanged(work: () => Promise<unknown>, check: (e: CatalogError) => boolean): Promise<void> {
  await target.close();
  const before = fileBytes(target);
  target = await targetScratch.open();
  await assert.rejects(work(), check);
  assert.equal(target.list().length, 1, 'nothing was imported');
  await target.close();
  assert.equal(fileBytes(target), before, 'the catalog file is unchanged');
  target = await targetScratch.open();
}

describe('export and import', () => {
  it('round-trips every entry with its versions, ids and deprecation', async () => {
    await source.deprecate('vip', 'use vip_v2');
    const bundle = source.exportBundle();
    assert.equal(bundle.format, 'neurolake-catalog-bundle');
    assert.equal(bundle.formatVersion, 1);
    const report = await target.importBundle(JSON.stringify(bundle), { mode: 'skip', dryRun: false });
    assert.deepEqual(report.counts, { add: 3, skip: 0, unchanged: 0, overwrite: 0, newVersion: 0 });
    const etl = target.get('customer_etl')!;
    assert.equal(etl.id, source.get('customer_etl')!.id);
    assert.deepEqual(target.versions(etl.id).map((v) => v.version), ['1.0.0', '1.1.0']);
    assert.equal(target.get('vip')?.deprecated?.reason, 'use vip_v2');
  });

  it('filters the export by tag and kind', () => {
    assert.deepEqual(source.exportBundle({ tags: ['customer'] }).entries.map((e) => e.versions.at(-1)!.name).sort(), ['customer_etl', 'vip']);
    assert.deepEqual(source.exportBundle({ kind: 'template' }).entries.map((e) => e.versions.at(-1)!.name), ['daily_revenue']);
  });

  it('a dry run reports what would happen and changes nothing', async () => {
    const report = await target.importBundle(JSON.stringify(source.exportBundle()), { mode: 'skip', dryRun: true });
    assert.equal(report.dryRun, true);
    assert.deepEqual(report.items.map((i) => [i.name, i.action]).sort(), [['customer_etl', 'add'], ['daily_revenue', 'add'], ['vip', 'add']]);
    assert.equal(target.list().length, 0);
  });

  it('conflicts: skip keeps ours, overwrite takes theirs, newVersion adds theirs as a new version', async () => {
    const ours = await target.register({ ...customerEtl, description: 'ours' });
    const bundle = JSON.stringify(source.exportBundle({ kind: 'pipeline' }));

    const skipped = await target.importBundle(bundle, { mode: 'skip', dryRun: false });
    assert.equal(skipped.items[0]?.action, 'skip');
    assert.equal(target.get('customer_etl')?.description, 'ours');

    const asVersion = await target.importBundle(bundle, { mode: 'newVersion', dryRun: false });
    assert.equal(asVersion.items[0]?.action, 'newVersion');
    assert.equal(target.get('customer_etl')?.id, ours.id, 'matched by name, our id kept');
    assert.equal(target.get('customer_etl')?.description, 'v2');
    assert.deepEqual(target.versions(ours.id).map((v) => v.description), ['ours', 'v2']);

    const again = await target.importBundle(bundle, { mode: 'overwrite', dryRun: false });
    assert.equal(again.items[0]?.action, 'unchanged', 'identical content is left alone');

    await target.update(ours.id, { description: 'ours again' });
    const overwritten = await target.importBundle(bundle, { mode: 'overwrite', dryRun: false });
    assert.equal(overwritten.items[0]?.action, 'overwrite');
    assert.match(overwritten.items[0]?.reason ?? '', /replaces customer_etl 1\.2\.0/);
    assert.equal(target.get('customer_etl')?.description, 'v2');
    assert.deepEqual(target.versions(ours.id).map((v) => v.version), ['1.0.0', '1.1.0'], "theirs, history and all");
  });

  it('refuses text that is not JSON, naming the problem, and changes nothing', async () => {
    await target.register({ kind: 'pipeline', name: 'mine', logic: {} });
    await assertUnchanged(() => target.importBundle('{"format": "neurolake-catalog-bundle", entries: [', { mode: 'skip', dryRun: false }), (e) => e.code === 'invalid-bundle' && /not JSON/.test(e.message));
  });

  it('names the path of a wrong field deep inside, and changes nothing', async () => {
    await target.register({ kind: 'pipeline', name: 'mine', logic: {} });
    const bundle = source.exportBundle() as unknown as { entries: { versions: Record<string, unknown>[] }[] };
    const template = bundle.entries.find((e) => e.versions[0]!['kind'] === 'template')!;
    const index = bundle.entries.indexOf(template);
    (template.versions[0]!['variables'] as Record<string, unknown>[])[1]!['type'] = 'tabel';
    await assertUnchanged(
      () => target.importBundle(JSON.stringify(bundle), { mode: 'skip', dryRun: false }),
      (e) => e.code === 'invalid-bundle' && e.path === `/entries/${index}/versions/0/variables/1/type` && /must be one of identifier/.test(e.message),
    );
  });

  it('refuses a bundle from a newer format version', async () => {
    await target.register({ kind: 'pipeline', name: 'mine', logic: {} });
    const bundle = { ...source.exportBundle(), formatVersion: 7 };
    await assertUnchanged(() => target.importBundle(JSON.stringify(bundle), { mode: 'skip', dryRun: false }), (e) => e.code === 'newer-format' && /format version 7/.test(e.message));
  });

  it('refuses a bundle larger than the limit before parsing it', async () => {
    await target.register({ kind: 'pipeline', name: 'mine', logic: {} });
    const huge = `{"format":"neurolake-catalog-bundle","formatVersion":1,"entries":[],"pad":"${'x'.repeat(MAX_BUNDLE_BYTES)}"}`;
    await assertUnchanged(() => target.importBundle(huge, { mode: 'skip', dryRun: false }), (e) => e.code === 'bundle-too-large' && /larger than 64 MB/.test(e.message));
  });

  it('refuses a bundle whose entry breaks the catalog rules, all or nothing', async () => {
    await target.register({ kind: 'pipeline', name: 'mine', logic: {} });
    const bundle = source.exportBundle() as unknown as { entries: { versions: Record<string, unknown>[] }[] };
    bundle.entries[2]!.versions[0]!['name'] = '   ';
    await assertUnchanged(() => target.importBundle(JSON.stringify(bundle), { mode: 'skip', dryRun: false }), (e) => e.code === 'invalid-bundle' && /entries\/2\/versions\/0 is invalid: name must not be empty/.test(e.message));
  });
});
