// `neurolake catalog update` and `register --upsert`: a CI job that keeps a team's patterns in git
// publishes their next versions, bumped by the same rules as a save in the editor, and a run that
// changes nothing changes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import type { SaveOutcome } from '../../server/engines/catalog/catalog';
import { Catalog } from '../../server/engines/catalog/catalog';
import type { CatalogEntry } from '../../server/engines/catalog/types';
import { runCaptured, type CliRun } from './support/cli';

const scratch = mkdtempSync(join(tmpdir(), 'nl-cli-update-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let file: string;
let count = 0;
beforeEach(() => {
  count += 1;
  file = join(scratch, `catalog-${count}`, 'catalog.json');
});

function catalog(...argv: string[]): Promise<CliRun> {
  return runCaptured(['catalog', ...argv, '--catalog-file', file]);
}

async function json<T>(...argv: string[]): Promise<T> {
  const run = await catalog(...argv, '--json');
  assert.equal(run.code, 0, run.err);
  return JSON.parse(run.out) as T;
}

function assertFails(run: CliRun, code: number, reason: RegExp): void {
  assert.equal(run.code, code, `exit code (stderr: ${run.err})`);
  assert.equal(run.out, '');
  assert.equal(run.err.trimEnd().split('\n').length, 1, run.err);
  assert.match(run.err, reason);
}

const LOGIC = '{"source":"postgres.customers","transformations":["deduplicate"],"target":"dw.dim_customers"}';
const register = (): Promise<CliRun> => catalog('register', 'pipeline', '--name', 'customer_etl', '--description', 'Load customers', '--logic', LOGIC, '--tags', 'etl,customer');
const versions = async (name: string): Promise<string[]> => (await json<CatalogEntry[]>('versions', name)).map((entry) => entry.version);

describe('neurolake catalog update', () => {
  it('saves a changed description as the next minor version and says so', async () => {
    await register();
    const run = await catalog('update', 'customer_etl', '--description', 'Load and dedupe customers');
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^Updated customer_etl \(pipeline 1\.0\.0 → 1\.1\.0\), id [0-9a-f-]{36}\n$/);
    const entry = await json<CatalogEntry>('get', 'customer_etl');
    assert.equal(entry.description, 'Load and dedupe customers');
    assert.deepEqual(entry.tags, ['etl', 'customer'], 'what was not given stays');
    assert.deepEqual(entry.kind === 'pipeline' && entry.logic, JSON.parse(LOGIC));
  });

  it('prints "unchanged", exits 0 and makes no version when nothing differs', async () => {
    await register();
    const run = await catalog('update', 'customer_etl', '--description', 'Load customers', '--tags', 'etl,customer');
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^customer_etl is unchanged \(pipeline 1\.0\.0\), id /);
    assert.deepEqual(await versions('customer_etl'), ['1.0.0']);
    const outcome = await json<SaveOutcome>('update', 'customer_etl', '--description', 'Load customers');
    assert.equal(outcome.outcome, 'unchanged');
    assert.equal(outcome.entry.version, '1.0.0');
  });

  it('bumps each change exactly as the editor’s save does (the same engine call on a twin catalog)', async () => {
    const twinFile = join(scratch, `twin-${count}`, 'catalog.json');
    const twin = await Catalog.open({ file: twinFile, owner: 'ana' });
    await register();
    await twin.register({ kind: 'pipeline', name: 'customer_etl', description: 'Load customers', logic: JSON.parse(LOGIC) as object, tags: ['etl', 'customer'] });
    const steps: [string[], Record<string, unknown>][] = [
      [['--tags', 'etl,customer,daily'], { tags: ['etl', 'customer', 'daily'] }],
      [['--logic', '{"source":"postgres.clients","transformations":["deduplicate"],"target":"dw.dim_customers"}'], { logic: { source: 'postgres.clients', transformations: ['deduplicate'], target: 'dw.dim_customers' } }],
      [['--logic', '{"source":"postgres.clients","transformations":["deduplicate"],"target":"dw.dim_customers","schedule":"daily"}'], { logic: { source: 'postgres.clients', transformations: ['deduplicate'], target: 'dw.dim_customers', schedule: 'daily' } }],
      [['--name', 'client_etl'], { name: 'client_etl' }],
      [['--description', 'Clients'], { description: 'Clients' }],
    ];
    let name = 'customer_etl';
    for (const [flags, changes] of steps) {
      const run = await catalog('update', name, ...flags);
      assert.equal(run.code, 0, run.err);
      const saved = await twin.update(name, changes);
      name = saved.name;
      assert.equal((await json<CatalogEntry>('get', name)).version, saved.version, `after ${flags.join(' ')}`);
    }
    assert.deepEqual(await versions(name), ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0', '2.2.0']);
    await twin.close();
  });

  it('a template: a new variable is a major version, a new body a minor one', async () => {
    await catalog('register', 'template', '--name', 'by_day', '--body', 'SELECT * FROM {{ident table}}', '--var', 'table:identifier:required');
    const body = await json<SaveOutcome>('update', 'by_day', '--body', 'SELECT 1 FROM {{ident table}}');
    assert.deepEqual([body.outcome, body.previousVersion, body.entry.version], ['updated', '1.0.0', '1.1.0']);
    const vars = await json<SaveOutcome>('update', 'by_day', '--body', 'SELECT 1 FROM {{ident table}} LIMIT {{limit}}', '--var', 'table:identifier:required', '--var', 'limit:number:10');
    assert.equal(vars.entry.version, '2.0.0');
    assert.deepEqual(vars.entry.kind === 'template' && vars.entry.variables.map((v) => v.name), ['table', 'limit']);
  });

  it('reads the changes from a file such as `get --json` output, edited; options given too win', async () => {
    await register();
    const got = await json<CatalogEntry>('get', 'customer_etl');
    const edited = join(scratch, `edited-${count}.json`);
    writeFileSync(edited, JSON.stringify({ ...got, description: 'From the file', tags: ['from-file'] }));
    const run = await catalog('update', 'customer_etl', '--file', edited, '--tags', 'from-flag');
    assert.equal(run.code, 0, run.err);
    const entry = await json<CatalogEntry>('get', 'customer_etl');
    assert.deepEqual([entry.version, entry.description, entry.tags], ['1.1.0', 'From the file', ['from-flag']]);
    const again = await catalog('update', 'customer_etl', '--file', edited, '--tags', 'from-flag');
    assert.match(again.out, /is unchanged \(pipeline 1\.1\.0\)/, 'the same file twice is one version');
  });

  it('refuses, with its exit code and one line: nothing to change, a wrong file, a wrong option, a taken name, a built-in, bad content, no such entry', async () => {
    await register();
    await catalog('register', 'pipeline', '--name', 'other', '--logic', '{}');
    const wrongField = join(scratch, `wrong-field-${count}.json`);
    writeFileSync(wrongField, JSON.stringify({ description: 'x', body: 'SELECT 1' }));
    const wrongEntry = join(scratch, `wrong-entry-${count}.json`);
    writeFileSync(wrongEntry, JSON.stringify({ id: 'someone-else', description: 'x' }));
    assertFails(await catalog('update', 'customer_etl'), 2, /nothing to change: give the fields to change/);
    assertFails(await catalog('update', 'customer_etl', '--file', wrongField), 5, /"body" is not a field of a pipeline; it has name, description, tags, owner, logic/);
    assertFails(await catalog('update', 'customer_etl', '--file', wrongEntry), 5, /describes the entry someone-else, not customer_etl/);
    assertFails(await catalog('update', 'customer_etl', '--body', 'SELECT 1'), 2, /--body is for a template, not a pipeline/);
    assertFails(await catalog('update', 'customer_etl', '--name', 'OTHER'), 4, /A pipeline pattern named "other" already exists/);
    assertFails(await catalog('update', 'builtin.dq.not_null', '--description', 'mine'), 4, /built into NeuroLake and read-only; copy it/);
    assertFails(await catalog('update', 'customer_etl', '--logic', '[1]'), 5, /logic must be an object/);
    assertFails(await catalog('update', 'no_such_entry', '--description', 'x'), 3, /No catalog entry has the id or name "no_such_entry"/);
    assert.deepEqual(await versions('customer_etl'), ['1.0.0'], 'no refused update made a version');
  });
});

describe('neurolake catalog register --upsert', () => {
  const upsert = (...extra: string[]): Promise<CliRun> => catalog('register', 'pipeline', '--name', 'customer_etl', '--logic', LOGIC, '--tags', 'etl', '--upsert', ...extra);

  it('creates the entry, then does nothing (exit 0, "unchanged") while nothing changed, then saves the next version', async () => {
    const created = await upsert();
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /^Registered customer_etl \(pipeline 1\.0\.0\), id /);
    const same = await upsert();
    assert.equal(same.code, 0, same.err);
    assert.match(same.out, /^customer_etl is unchanged \(pipeline 1\.0\.0\)/);
    const newer = await catalog('register', 'pipeline', '--name', 'customer_etl', '--logic', LOGIC.replace('deduplicate', 'dedupe'), '--tags', 'etl', '--upsert');
    assert.match(newer.out, /^Updated customer_etl \(pipeline 1\.0\.0 → 1\.1\.0\)/);
    const reshaped = await json<SaveOutcome>('register', 'pipeline', '--name', 'customer_etl', '--logic', '{"source":"a"}', '--tags', 'etl', '--upsert');
    assert.deepEqual([reshaped.outcome, reshaped.previousVersion, reshaped.entry.version], ['updated', '1.1.0', '2.0.0']);
    assert.deepEqual(await versions('customer_etl'), ['1.0.0', '1.1.0', '2.0.0']);
  });

  it('describes the whole entry: a field left out takes its default, but the owner stays', async () => {
    const engine = await Catalog.open({ file, owner: 'ana' });
    await engine.register({ kind: 'pipeline', name: 'customer_etl', description: 'kept in git', logic: JSON.parse(LOGIC) as object, tags: ['etl'] });
    await engine.close();
    const same = await json<SaveOutcome>('register', 'pipeline', '--name', 'customer_etl', '--description', 'kept in git', '--logic', LOGIC, '--tags', 'etl', '--upsert');
    assert.equal(same.outcome, 'unchanged', 'the CI user is not the owner, and that is no change');
    const dropped = await json<SaveOutcome>('register', 'pipeline', '--name', 'Customer_ETL', '--logic', LOGIC, '--upsert');
    assert.deepEqual([dropped.outcome, dropped.entry.version, dropped.entry.description, dropped.entry.tags, dropped.entry.owner], ['updated', '1.1.0', '', [], 'ana']);
  });

  it('refuses a built-in template’s name (4) and invalid content (5), changing nothing', async () => {
    assertFails(await catalog('register', 'template', '--name', 'data quality: NOT NULL', '--body', 'SELECT 1', '--upsert'), 4, /A template named "Data quality: not null" already exists \(id builtin\.dq\.not_null\)/);
    assertFails(await catalog('register', 'pipeline', '--name', 'p', '--logic', '"text"', '--upsert'), 5, /logic must be an object/);
    assert.deepEqual(await json<CatalogEntry[]>('list'), []);
  });
});
