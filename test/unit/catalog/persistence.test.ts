// Nothing acknowledged is lost: across restarts, crashes mid-write, corrupt files, and two
// processes (two VS Code windows, or a window and the CLI) writing one catalog at once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Catalog } from '../../../server/engines/catalog/catalog';
import { type CatalogError } from '../../../server/engines/catalog/errors';
import { customerEtl, scratchCatalog, type Scratch } from './support';

let scratch: Scratch;
beforeEach(() => (scratch = scratchCatalog()));
afterEach(() => scratch.cleanup());

const pipeline = (name: string) => ({ kind: 'pipeline' as const, name, logic: { source: `src.${name}` } });

describe('catalog persistence', () => {
  it('an acknowledged register survives a process that never closed (journal replay)', async () => {
    const first = await scratch.open({ store: { idleCompactMs: 60_000 } });
    const entry = await first.register(customerEtl);
    // No close(): as if the window crashed right after the register returned.
    assert.ok(existsSync(`${scratch.file}.0.journal`), 'the change went to the journal');
    const second = await Catalog.open({ file: scratch.file, owner: 'bo' });
    assert.deepEqual(second.get(entry.id), entry);
    await second.close();
  });

  it('close compacts the journal into the lowdb JSON file, which holds everything', async () => {
    const catalog = await scratch.open();
    const entry = await catalog.register(customerEtl);
    await catalog.update(entry.id, { description: 'second version' });
    await catalog.close();
    const data = JSON.parse(readFileSync(scratch.file, 'utf8')) as { format: string; generation: number; records: { versions: unknown[] }[] };
    assert.equal(data.format, 'neurolake-catalog');
    assert.equal(data.records[0]?.versions.length, 2);
    assert.deepEqual(readdirSync(scratch.folder).filter((f) => f.endsWith('.journal')), [], 'the journal is gone after compaction');
    const reopened = await scratch.open();
    assert.equal(reopened.get(entry.id)?.description, 'second version');
  });

  it('a torn last journal line (a crash mid-append, never acknowledged) is ignored and cut off', async () => {
    const catalog = await scratch.open({ store: { idleCompactMs: 60_000 } });
    const kept = await catalog.register(pipeline('kept'));
    appendFileSync(`${scratch.file}.0.journal`, '{"t":"put","record":{"id":"half');
    const other = await Catalog.open({ file: scratch.file, owner: 'bo', store: { idleCompactMs: 60_000 } });
    assert.deepEqual(other.list().map((e) => e.id), [kept.id]);
    await other.register(pipeline('after_crash'));
    const third = await scratch.open();
    assert.deepEqual(third.list().map((e) => e.name).sort(), ['after_crash', 'kept']);
    await other.close();
  });

  it('a corrupt catalog file is kept aside as a backup and reported, never silently replaced', async () => {
    writeFileSync(scratch.file, '{"format":"neurolake-catalog", "records": [ {"id": ');
    const warnings: string[] = [];
    const catalog = await scratch.open({ store: { onWarning: (m) => warnings.push(m) } });
    assert.equal(catalog.list().length, 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /could not be read because it is not valid JSON.*kept as .*catalog\.json\.corrupt-/);
    const backup = readdirSync(scratch.folder).find((f) => f.startsWith('catalog.json.corrupt-'));
    assert.ok(backup, 'the damaged file is kept');
    assert.equal(readFileSync(join(scratch.folder, backup), 'utf8'), '{"format":"neurolake-catalog", "records": [ {"id": ');
    assert.deepEqual(catalog.warnings, warnings);
  });

  it('a catalog written by a newer NeuroLake is refused and left untouched', async () => {
    const newer = JSON.stringify({ format: 'neurolake-catalog', formatVersion: 99, generation: 1, records: [], usage: {} });
    writeFileSync(scratch.file, newer);
    await assert.rejects(scratch.open(), (e: CatalogError) => e.code === 'newer-format' && /newer NeuroLake \(format 99/.test(e.message));
    assert.equal(readFileSync(scratch.file, 'utf8'), newer);
  });

  it('two catalogs on one file see each other’s changes and never lose one', async () => {
    const a = await scratch.open({ store: { idleCompactMs: 60_000 } });
    const b = await scratch.open({ store: { idleCompactMs: 60_000 } });
    const fromA = await a.register(pipeline('from_a'));
    // b has not refreshed, but its write happens under the lock after catching up.
    await assert.rejects(b.register(pipeline('from_a')), (e: CatalogError) => e.code === 'duplicate-name');
    const fromB = await b.register(pipeline('from_b'));
    assert.equal(await a.refresh(), true);
    assert.deepEqual(a.list().map((e) => e.id).sort(), [fromA.id, fromB.id].sort());
    // Concurrent edits of the same entry both become versions.
    await Promise.all([a.update(fromA.id, { description: 'edited in A' }), b.update(fromA.id, { tags: ['edited-in-b'] })]);
    await a.refresh();
    const versions = a.versions(fromA.id);
    assert.equal(versions.length, 3);
    const latest = a.get(fromA.id)!;
    assert.ok(latest.description === 'edited in A' || latest.tags.includes('edited-in-b'));
    // One of them compacts; the other notices the new snapshot and keeps going.
    await a.close();
    await b.register(pipeline('after_compaction'));
    const c = await scratch.open();
    assert.deepEqual(c.list().map((e) => e.name).sort(), ['after_compaction', 'from_a', 'from_b']);
  });

  it('another process registering at the same time loses nothing (real child process)', async () => {
    const catalog = await scratch.open({ store: { idleCompactMs: 60_000, compactAfterBytes: 4096 } });
    const script = `
      const { Catalog } = require(${JSON.stringify(require.resolve('../../../server/engines/catalog/catalog'))});
      (async () => {
        const c = await Catalog.open({ file: ${JSON.stringify(scratch.file)}, owner: 'child', store: { compactAfterBytes: 4096 } });
        for (let i = 0; i < 40; i++) await c.register({ kind: 'pipeline', name: 'child_' + i, logic: {} });
        await c.close();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
    const exited = once(child, 'exit');
    for (let i = 0; i < 40; i++) await catalog.register(pipeline(`parent_${i}`));
    const [code] = (await exited) as [number];
    assert.equal(code, 0);
    await catalog.refresh();
    assert.equal(catalog.list().length, 80);
    await catalog.close();
    const reopened = await scratch.open();
    assert.equal(reopened.list().length, 80, 'all 80 registers are in the file after both closed');
  });

  it("a refresh racing this process's own change applies another process's lines once", async () => {
    const a = await scratch.open({ store: { idleCompactMs: 60_000 } });
    const b = await scratch.open({ store: { idleCompactMs: 60_000 } });
    const entry = await a.register(pipeline('counted'));
    for (let i = 0; i < 20; i++) await b.recordUsage(entry.id, 'executed');
    // The file watcher refreshes while a command records a use: both read the journal b wrote.
    await Promise.all([a.refresh(), a.refresh(), a.recordUsage(entry.id, 'executed'), a.refresh()]);
    assert.equal(a.usage(entry.id)?.counts.executed, 21);
    await b.refresh();
    assert.equal(b.usage(entry.id)?.counts.executed, 21);
  });

  it('the view of another process follows through change events', async () => {
    const a = await scratch.open({ store: { idleCompactMs: 60_000 } });
    const b = await scratch.open({ store: { idleCompactMs: 60_000 } });
    const seen = new Promise<void>((resolve) => {
      const listener = b.onDidChange(() => {
        if (b.get('seen_by_b') !== undefined) {
          listener.dispose();
          resolve();
        }
      });
    });
    const watcher = b.watchForExternalChanges((error) => assert.fail(String(error)));
    await a.register(pipeline('seen_by_b'));
    await seen;
    watcher.dispose();
  });
});
