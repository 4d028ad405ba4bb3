// What the catalog does with files it cannot fully trust: journal lines that are JSON but not a
// change, a torn tail, a corrupt snapshot whose journal still holds acknowledged entries, journals
// and temporary snapshots a crash left behind, and a lock whose holder was killed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Catalog } from '../../../server/engines/catalog/catalog';
import { scratchCatalog, type Scratch } from './support';

let scratch: Scratch;
beforeEach(() => (scratch = scratchCatalog()));
afterEach(() => scratch.cleanup());

const pipeline = (name: string) => ({ kind: 'pipeline' as const, name, logic: { source: `src.${name}` } });
const quiet = { idleCompactMs: 60_000 };
const files = (prefix: string): string[] => readdirSync(scratch.folder).filter((name) => name.startsWith(prefix));

/** Opens the catalog collecting its warnings. */
async function openWatching(): Promise<{ catalog: Catalog; warnings: string[] }> {
  const warnings: string[] = [];
  const catalog = await scratch.open({ store: { ...quiet, onWarning: (message) => warnings.push(message) } });
  return { catalog, warnings };
}

describe('catalog: journal lines that are not a change', () => {
  const notChanges: [string, string][] = [
    ['null', 'it is not a catalog change'],
    ['{"t":"put"}', 'its record is missing'],
    ['{"t":"batch"}', 'it is a batch without its list of changes'],
    ['{"t":"put","record":{"id":"x1"}}', 'the record x1 has no versions'],
    ['{"t":"put","record":{"id":"x2","versions":[{"kind":"pipeline","name":"no_fields"}]}}', 'version 1 of the record x2 has no id'],
    ['{"t":"use","id":"x3","action":"eaten","at":"2026-01-01"}', 'it is a use without an entry id, action or time'],
    ['[1,2]', 'it is not a catalog change'],
  ];
  for (const [line, reason] of notChanges) {
    it(`${line}: set aside in a file of its own and reported with the journal and line named; everything else loads`, async () => {
      const first = await scratch.open({ store: quiet });
      const before = await first.register(pipeline('before'));
      appendFileSync(`${scratch.file}.0.journal`, `${line}\n`);

      const { catalog, warnings } = await openWatching();
      assert.deepEqual(catalog.list().map((entry) => entry.id), [before.id]);
      await catalog.register(pipeline('after'));
      assert.equal(warnings.length, 2, warnings.join('\n'));
      assert.equal(warnings[0], `Skipped 1 damaged line(s) of ${scratch.file}.0.journal (line 2: ${reason}); the rest of the catalog was loaded. They are kept aside next to it.`);
      const [aside] = files('catalog.json.0.journal.damaged-');
      assert.ok(aside !== undefined, 'the damaged line has a file of its own');
      assert.equal(warnings[1], `1 damaged line(s) of ${scratch.file}.0.journal were kept in ${join(scratch.folder, aside)}.`);
      assert.equal(readFileSync(join(scratch.folder, aside), 'utf8'), `${line}\n`);

      // Reported once: the next process finds a clean catalog with both entries.
      const again = await openWatching();
      assert.deepEqual(again.warnings, []);
      assert.equal(again.catalog.list().length, 2);
      await again.catalog.register(pipeline('later'));
      assert.equal(again.catalog.list().length, 3);
    });
  }

  it('junk without a newline at the tail is reported and kept, not dropped silently', async () => {
    const first = await scratch.open({ store: quiet });
    await first.register(pipeline('kept'));
    appendFileSync(`${scratch.file}.0.journal`, '{"t":"put","record":{"id":"half');
    const { catalog, warnings } = await openWatching();
    assert.deepEqual(catalog.list().map((entry) => entry.name), ['kept']);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    const [torn] = files('catalog.json.0.journal.torn-');
    assert.ok(torn !== undefined);
    assert.match(warnings[0]!, new RegExp(`^Cut off an unfinished last line of ${scratch.file}\\.0\\.journal \\(31 bytes, a change that was never acknowledged.*kept in ${join(scratch.folder, torn)}\\.$`));
    assert.equal(readFileSync(join(scratch.folder, torn), 'utf8'), '{"t":"put","record":{"id":"half');
    await catalog.register(pipeline('after'));
    assert.deepEqual((await openWatching()).catalog.list().map((entry) => entry.name).sort(), ['after', 'kept']);
  });

  it('a record without its fields in the snapshot is kept aside and the rest loads', async () => {
    const first = await scratch.open();
    const good = await first.register(pipeline('good'));
    await first.close();
    const snapshot = JSON.parse(readFileSync(scratch.file, 'utf8')) as { records: unknown[] };
    snapshot.records.push({ id: 'broken', versions: [] }, null);
    writeFileSync(scratch.file, JSON.stringify(snapshot));
    const { catalog, warnings } = await openWatching();
    assert.deepEqual(catalog.list().map((entry) => entry.id), [good.id]);
    assert.match(warnings[0]!, /^2 record\(s\) and 0 usage count\(s\) in the catalog .* could not be read \(the record broken has no versions\); the rest was loaded\.$/);
    const [aside] = files('catalog.json.unreadable-');
    assert.ok(aside !== undefined);
    assert.deepEqual((JSON.parse(readFileSync(join(scratch.folder, aside), 'utf8')) as { records: unknown[] }).records, [{ id: 'broken', versions: [] }, null]);
    assert.deepEqual((await openWatching()).warnings, [], 'the snapshot was rewritten without them');
  });
});

describe('catalog: a corrupt snapshot whose journal still holds acknowledged entries', () => {
  it('applies what the journal held, keeps both aside, says so, and the old entries never reappear', async () => {
    const first = await scratch.open({ store: quiet });
    await first.register(pipeline('in_snapshot'));
    await first.close();
    const second = await scratch.open({ store: quiet });
    const acknowledged = await second.register(pipeline('in_journal'));
    assert.ok(existsSync(`${scratch.file}.1.journal`), 'the register is only in the journal of generation 1');
    writeFileSync(scratch.file, '{"format":"neurolake-catalog", "records": [ {"id": ');

    const { catalog, warnings } = await openWatching();
    assert.deepEqual(catalog.list().map((entry) => entry.id), [acknowledged.id], 'the acknowledged register survived');
    const [backup] = files('catalog.json.corrupt-').filter((name) => !name.endsWith('.journal'));
    assert.ok(backup !== undefined);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.equal(
      warnings[0],
      `The catalog ${scratch.file} could not be read because it is not valid JSON (${jsonError()}). It was kept as ${join(scratch.folder, backup)}; ` +
        `a new catalog was started with what its journal held (1 entry, applied), and the journal was kept beside it as ${join(scratch.folder, backup)}.1.journal.`,
    );
    assert.ok(existsSync(join(scratch.folder, `${backup}.1.journal`)));

    // Registered again meanwhile, compacted many times: never two live entries of one name.
    await assert.rejects(catalog.register(pipeline('in_journal')), /already exists/);
    await catalog.register(pipeline('in_snapshot'));
    await catalog.close();
    for (let generation = 0; generation < 4; generation++) {
      const later = await scratch.open();
      await later.register(pipeline(`gen_${generation}`));
      await later.close();
    }
    const last = await scratch.open();
    const names = last.list().map((entry) => entry.name);
    assert.deepEqual(names.sort(), ['gen_0', 'gen_1', 'gen_2', 'gen_3', 'in_journal', 'in_snapshot']);
    assert.deepEqual(readdirSync(scratch.folder).filter((name) => /^catalog\.json\.\d+\.journal$/.test(name)), []);
  });
});

describe('catalog: a journal shorter than what was read', () => {
  it('a line taken back after another process read it (its fsync failed) is dropped there too, and later lines still arrive', async () => {
    const writer = await scratch.open({ store: quiet });
    const reader = await scratch.open({ store: quiet });
    await writer.register(pipeline('kept'));
    const journal = `${scratch.file}.0.journal`;
    const keptBytes = readFileSync(journal).length;
    await writer.register(pipeline('taken_back'));
    await reader.refresh();
    assert.deepEqual(reader.list().map((entry) => entry.name).sort(), ['kept', 'taken_back']);
    // What appendDurably does when the write went through but the fsync failed: cut back to before.
    writeFileSync(journal, readFileSync(journal).subarray(0, keptBytes));
    await reader.refresh();
    assert.deepEqual(reader.list().map((entry) => entry.name), ['kept']);
    const other = await scratch.open({ store: quiet });
    await other.register(pipeline('later'));
    await reader.refresh();
    assert.deepEqual(reader.list().map((entry) => entry.name).sort(), ['kept', 'later']);
  });
});

describe('catalog: what a crash leaves behind', () => {
  it('removes temporary snapshots and an old journal the snapshot already holds', async () => {
    const first = await scratch.open();
    const entry = await first.register(pipeline('one'));
    await first.close();
    // A crash between writing snapshot 1 and deleting journal 0, and one in the middle of writing a snapshot.
    writeFileSync(`${scratch.file}.0.journal`, `${JSON.stringify({ t: 'put', record: { id: entry.id, versions: [entry] } })}\n`);
    writeFileSync(join(scratch.folder, '.catalog.json.4242.tmp'), '{"format":"neurolake-catalog","rec');
    const { catalog, warnings } = await openWatching();
    assert.deepEqual(warnings, []);
    assert.equal(catalog.list().length, 1);
    assert.deepEqual(readdirSync(scratch.folder).filter((name) => name !== 'catalog.json'), []);
  });

  it('keeps aside, and reports, a journal of another generation that holds changes the snapshot lacks', async () => {
    const first = await scratch.open();
    await first.register(pipeline('one'));
    await first.close();
    const stray = { t: 'put', record: { id: 'stray-id', versions: [{ ...(await scratch.open()).get('one')!, id: 'stray-id', name: 'stray' }] } };
    writeFileSync(`${scratch.file}.5.journal`, `${JSON.stringify(stray)}\n`);
    const { catalog, warnings } = await openWatching();
    assert.deepEqual(catalog.list().map((entry) => entry.name), ['one']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^The journal .*catalog\.json\.5\.journal belongs to another version of the catalog file .* \(generation 5, not 1\); its changes were not applied and it was kept as .*catalog\.json\.5\.journal\.unmerged-/);
    assert.equal(existsSync(`${scratch.file}.5.journal`), false, 'it cannot reappear when the generation comes round');
  });

  it('a lock left by a process killed while holding it is taken over at once, with no wait at all', async () => {
    const seeded = await scratch.open();
    await seeded.register(pipeline('before_crash'));
    await seeded.close();
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'common', 'fixtures', 'holdLock.ts'), scratch.file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(child.stdout, 'data');
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.ok(existsSync(`${scratch.file}.lock`) || readdirSync(scratch.folder).includes('catalog.json.lock'), 'the dead process left its lock');
    // A lock timeout of 0: any wait for the dead holder would fail the open.
    const catalog = await scratch.open({ store: { lockTimeoutMs: 0 } });
    await catalog.register(pipeline('after_crash'));
    assert.deepEqual(catalog.list().map((entry) => entry.name).sort(), ['after_crash', 'before_crash']);
  });
});

function jsonError(): string {
  try {
    JSON.parse('{"format":"neurolake-catalog", "records": [ {"id": ');
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}
