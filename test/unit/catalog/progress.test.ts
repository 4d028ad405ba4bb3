// Import and export of a large bundle, the catalog's longest work: progress is reported as it
// goes, and a cancel part-way leaves the catalog exactly as it was.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Catalog } from '../../../server/engines/catalog/catalog';
import { CancelledError, type ProgressUpdate } from '../../../server/engines/common';
import { largeBundleText } from './largeBundle';
import { customerEtl, scratchCatalog, type Scratch } from './support';

const ENTRIES = 1500;
const bundle = largeBundleText(ENTRIES);

let scratch: Scratch;
let catalog: Catalog;
beforeEach(async () => {
  scratch = scratchCatalog();
  catalog = await scratch.open();
  await catalog.register(customerEtl);
});
afterEach(() => scratch.cleanup());

/** Collects every update, and lets a test act on one as it arrives. */
function recorder(onUpdate: (update: ProgressUpdate) => void = () => undefined): { updates: ProgressUpdate[]; report(update: ProgressUpdate): void } {
  const updates: ProgressUpdate[] = [];
  return {
    updates,
    report(update) {
      updates.push(update);
      onUpdate(update);
    },
  };
}

/** The catalog as a user would compare it: what lists show, and the bytes of its file once closed. */
async function snapshot(): Promise<{ names: string[]; file: string }> {
  const names = catalog.list().map((entry) => `${entry.name} ${entry.version}`);
  await catalog.close();
  const file = readFileSync(scratch.file, 'utf8');
  catalog = await scratch.open();
  return { names, file };
}

describe('progress and cancellation of import and export', () => {
  it('an import reports each phase, and counts the checked entries up to the total', async () => {
    const progress = recorder();
    const report = await catalog.importBundle(bundle, { mode: 'skip', dryRun: false, progress });
    assert.equal(report.counts.add, ENTRIES);
    assert.equal(catalog.list().length, ENTRIES + 1);

    const messages = [...new Set(progress.updates.map((u) => u.message))];
    assert.deepEqual(messages, ['Reading the bundle', 'Checking entries', 'Saving the imported entries']);
    const counted = progress.updates.filter((u) => u.message === 'Checking entries');
    assert.ok(counted.length >= 100, `one update per hundredth at least, got ${counted.length}`);
    assert.ok(counted.every((u) => u.total === ENTRIES && u.unit === 'items'));
    assert.equal(counted[0]!.done, 0);
    assert.equal(counted.at(-1)!.done, ENTRIES);
    assert.ok(counted.every((u, i) => i === 0 || u.done! >= counted[i - 1]!.done!), 'never goes backwards');
  });

  it('an import cancelled half-way through its entries changes nothing', async () => {
    const before = await snapshot();
    const controller = new AbortController();
    const progress = recorder((u) => {
      if (u.message === 'Checking entries' && u.done! >= ENTRIES / 2) controller.abort();
    });
    await assert.rejects(catalog.importBundle(bundle, { mode: 'skip', dryRun: false, progress, signal: controller.signal }), (error: unknown) => {
      assert.ok(error instanceof CancelledError, String(error));
      assert.equal(error.message, 'The import was cancelled; nothing was changed.');
      return true;
    });
    const lastChecked = progress.updates.filter((u) => u.message === 'Checking entries').at(-1)!;
    assert.ok(lastChecked.done! < ENTRIES, `stopped part-way, at ${lastChecked.done}`);
    assert.deepEqual(await snapshot(), before);
  });

  it('an import cancelled at the last moment, before it is saved, changes nothing', async () => {
    const before = await snapshot();
    const controller = new AbortController();
    const progress = recorder((u) => {
      if (u.message === 'Saving the imported entries') controller.abort();
    });
    await assert.rejects(catalog.importBundle(bundle, { mode: 'overwrite', dryRun: false, progress, signal: controller.signal }), CancelledError);
    assert.deepEqual(await snapshot(), before);
  });

  it('an export reports its entries and writes the same text as a plain JSON dump', async () => {
    await catalog.importBundle(bundle, { mode: 'skip', dryRun: false });
    const progress = recorder();
    const { text, count } = await catalog.exportBundleText({}, { progress });
    assert.equal(count, ENTRIES + 1);
    const parsed = JSON.parse(text) as { entries: unknown[] };
    assert.equal(parsed.entries.length, ENTRIES + 1);
    assert.equal(text, JSON.stringify(parsed, null, 2), 'byte for byte what JSON.stringify writes');
    const counted = progress.updates.filter((u) => u.message === 'Exporting entries');
    assert.deepEqual([counted[0]!.done, counted.at(-1)!.done, counted.at(-1)!.total], [0, ENTRIES + 1, ENTRIES + 1]);

    const filtered = await catalog.exportBundleText({ tags: ['no-such-tag'] });
    assert.equal(filtered.count, 0);
    assert.equal(filtered.text, JSON.stringify(JSON.parse(filtered.text), null, 2));
  });

  it('an export cancelled part-way stops with a cancellation, and the catalog is as it was', async () => {
    await catalog.importBundle(bundle, { mode: 'skip', dryRun: false });
    const before = await snapshot();
    const controller = new AbortController();
    const progress = recorder((u) => {
      if (u.done! >= ENTRIES / 4) controller.abort();
    });
    await assert.rejects(catalog.exportBundleText({}, { progress, signal: controller.signal }), /The export was cancelled/);
    assert.deepEqual(await snapshot(), before);
  });
});
