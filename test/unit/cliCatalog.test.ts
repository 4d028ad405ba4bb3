// `neurolake catalog …` as a script uses it: the README's example, every subcommand's JSON and text,
// the exit codes of each kind of failure, and the built dist/cli.js end to end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ImportReport } from '../../server/engines/catalog/bundle';
import { Catalog, type CatalogStats, type FoundEntry } from '../../server/engines/catalog/catalog';
import type { EntryDiff } from '../../server/engines/catalog/diff';
import type { CatalogEntry } from '../../server/engines/catalog/types';
import { runCaptured, type CliRun } from './support/cli';

const scratch = mkdtempSync(join(tmpdir(), 'nl-cli-catalog-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const SEED_LOGIC = '{"source":"postgres.customers","transformations":["deduplicate","enrich"],"target":"dw.dim_customers"}';
const SEED_REGISTER = ['register', 'pipeline', '--name', 'customer_etl', '--description', 'Load and transform customer data', '--logic', SEED_LOGIC, '--tags', 'etl,customer,daily'];

let file: string;
let count = 0;
beforeEach(() => {
  count += 1;
  file = join(scratch, `catalog-${count}`, 'catalog.json');
});

type Run = CliRun;
const cli = (...argv: string[]): Promise<Run> => runCaptured(argv);

/** `neurolake catalog <argv> --catalog-file <file>`. */
function catalog(...argv: string[]): Promise<Run> {
  return cli('catalog', ...argv, '--catalog-file', file);
}

async function json<T>(...argv: string[]): Promise<T> {
  const run = await catalog(...argv, '--json');
  assert.equal(run.code, 0, run.err);
  return JSON.parse(run.out) as T;
}

/** A failure: the exit code, and exactly one line on stderr naming the reason. */
function assertFails(run: Run, code: number, reason: RegExp): void {
  assert.equal(run.code, code, `exit code (stderr: ${run.err})`);
  assert.equal(run.out, '');
  const lines = run.err.trimEnd().split('\n');
  assert.equal(lines.length, 1, run.err);
  assert.match(lines[0]!, /^neurolake: /);
  assert.match(lines[0]!, reason);
}

describe('neurolake catalog: the README example', () => {
  it('registers, searches by tag and counts, with JSON a script can read', async () => {
    const registered = await catalog(...SEED_REGISTER);
    assert.equal(registered.code, 0, registered.err);
    assert.match(registered.out, /^Registered customer_etl \(pipeline 1\.0\.0\), id [0-9a-f-]{36}\n$/);

    const found = await json<{ results: FoundEntry[]; total: number }>('search', 'customer', '--tag', 'etl');
    assert.equal(found.total, 1);
    const entry = found.results[0]!.entry;
    assert.equal(entry.name, 'customer_etl');
    assert.deepEqual(entry.kind === 'pipeline' && entry.logic, JSON.parse(SEED_LOGIC));
    assert.deepEqual(entry.tags, ['etl', 'customer', 'daily']);

    const stats = await json<CatalogStats>('stats');
    assert.equal(stats.total_entries, 1);
    assert.equal(stats.total_pipelines, 1);
    assert.equal(stats.total_templates, 0);
    assert.deepEqual(stats.by_tag, { etl: 1, customer: 1, daily: 1 });
  });

  it('leaves a complete snapshot and no journal behind: the CLI closes the catalog', async () => {
    await catalog(...SEED_REGISTER);
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { records: unknown[] };
    assert.equal(snapshot.records.length, 1);
    assert.equal(existsSync(`${file}.1.journal`) || existsSync(`${file}.0.journal`), false);
  });
});

describe('neurolake catalog: every subcommand', () => {
  it('registers business logic and templates with their own options', async () => {
    const rule = await json<CatalogEntry>('register', 'business-logic', '--name', 'active_customer', '--expression', "last_order_at > now() - interval '90 days'", '--domain', 'sales');
    assert.equal(rule.kind === 'businessLogic' && rule.domain, 'sales');

    const template = await json<CatalogEntry>(
      'register', 'template', '--name', 'daily_revenue', '--body', 'SELECT {{ident table}}', '--template-kind', 'etl', '--dialects', 'postgresql,duckdb',
      '--var', 'table:identifier:required', '--var', 'limit:number:100', '--var', 'columns:column_list:id,email:optional', '--var', 'sep:string:a:b',
    );
    assert.ok(template.kind === 'template');
    assert.deepEqual(template.dialects, ['postgresql', 'duckdb']);
    assert.deepEqual(
      template.variables.map((v) => [v.name, v.type, v.default, v.required]),
      [
        ['table', 'identifier', undefined, true],
        ['limit', 'number', 100, false],
        ['columns', 'column_list', ['id', 'email'], false],
        ['sep', 'string', 'a:b', false],
      ],
    );

    const text = await catalog('get', 'daily_revenue');
    assert.equal(text.code, 0);
    assert.match(text.out, /daily_revenue {2}\(template 1\.0\.0\)/);
    assert.match(text.out, /variable {5}limit: number = 100/);
  });

  it('reads logic, bodies and variables from files', async () => {
    const logicFile = join(scratch, 'logic.json');
    writeFileSync(logicFile, SEED_LOGIC);
    const variablesFile = join(scratch, 'variables.json');
    writeFileSync(variablesFile, JSON.stringify([{ name: 'table', type: 'identifier' }]));
    const bodyFile = join(scratch, 'body.sql');
    writeFileSync(bodyFile, 'SELECT * FROM {{ident table}}');
    const pipeline = await json<CatalogEntry>('register', 'pipeline', '--name', 'p', '--logic-file', logicFile);
    assert.deepEqual(pipeline.kind === 'pipeline' && pipeline.logic, JSON.parse(SEED_LOGIC));
    const template = await json<CatalogEntry>('register', 'template', '--name', 't', '--body-file', bodyFile, '--variables-file', variablesFile);
    assert.equal(template.kind === 'template' && template.body, 'SELECT * FROM {{ident table}}');
  });

  it('get --version, versions and diff follow the entry through its versions', async () => {
    await catalog(...SEED_REGISTER);
    const engine = await Catalog.open({ file, owner: 'ana' });
    await engine.update('customer_etl', { description: 'Load, dedupe and enrich customers' });
    await engine.close();

    assert.equal((await json<CatalogEntry>('get', 'customer_etl')).version, '1.1.0');
    assert.equal((await json<CatalogEntry>('get', 'customer_etl', '--version', '1.0.0')).description, 'Load and transform customer data');
    assert.deepEqual((await json<CatalogEntry[]>('versions', 'customer_etl')).map((v) => v.version), ['1.0.0', '1.1.0']);
    const diff = await json<EntryDiff>('diff', 'customer_etl', '1.0.0', '1.1.0');
    assert.deepEqual(diff.changes.map((c) => c.path), ['description']);
    const text = await catalog('diff', 'customer_etl', '1.0.0', '1.1.0');
    assert.match(text.out, /description: "Load and transform customer data" → "Load, dedupe and enrich customers"/);
    assertFails(await catalog('get', 'customer_etl', '--version', '9.9.9'), 3, /has no version 9\.9\.9; it has 1\.0\.0, 1\.1\.0/);
  });

  it('list filters by kind and tags; delete hides, restore brings back, deprecate flags', async () => {
    await catalog(...SEED_REGISTER);
    await catalog('register', 'pipeline', '--name', 'orders_etl', '--logic', '{}', '--tags', 'etl');
    await catalog('register', 'business-logic', '--name', 'vip', '--expression', 'spend > 1000', '--tags', 'customer');
    const names = async (...filters: string[]): Promise<string[]> => (await json<CatalogEntry[]>('list', ...filters)).map((e) => e.name);
    assert.deepEqual(await names(), ['customer_etl', 'orders_etl', 'vip']);
    assert.deepEqual(await names('--kind', 'pipeline'), ['customer_etl', 'orders_etl']);
    assert.deepEqual(await names('--tag', 'etl', '--tag', 'customer'), ['customer_etl']);
    assert.deepEqual(await names('--kind', 'business-logic'), ['vip']);

    assert.equal((await json<CatalogEntry>('delete', 'orders_etl')).deletedAt !== undefined, true);
    assert.deepEqual(await names(), ['customer_etl', 'vip']);
    assert.deepEqual(await names('--include-deleted'), ['customer_etl', 'orders_etl', 'vip']);
    assert.match((await catalog('list', '--include-deleted')).out, /orders_etl {2}pipeline 1\.0\.0 {2}\[etl\] {2}\(deleted\)/);
    assert.equal((await json<CatalogEntry>('restore', 'orders_etl')).deletedAt, undefined);

    const deprecated = await json<CatalogEntry>('deprecate', 'vip', '--reason', 'use vip_v2');
    assert.equal(deprecated.deprecated?.reason, 'use vip_v2');
    assertFails(await catalog('deprecate', 'vip'), 2, /required option '--reason <text>' not specified/);
  });

  it('copy makes an editable entry under a new name', async () => {
    await catalog(...SEED_REGISTER);
    const copy = await json<CatalogEntry>('copy', 'customer_etl', '--name', 'customer_etl_v2');
    assert.equal(copy.name, 'customer_etl_v2');
    assert.equal(copy.version, '1.0.0');
    assert.deepEqual(copy.tags, ['etl', 'customer', 'daily']);
  });

  it('search ranks, limits and tolerates a typo; text output says how many', async () => {
    await catalog(...SEED_REGISTER);
    await catalog('register', 'pipeline', '--name', 'customer_scores', '--logic', '{}');
    const typo = await json<{ results: FoundEntry[]; total: number }>('search', 'custmer', 'etl');
    assert.equal(typo.results[0]?.entry.name, 'customer_etl');
    const limited = await json<{ results: FoundEntry[]; total: number }>('search', 'customer', '--limit', '1');
    assert.equal(limited.results.length, 1);
    assert.equal(limited.total, 2);
    assert.match((await catalog('search', 'customer', '--limit', '1')).out, /1 of 2 matches/);
    assert.match((await catalog('search', 'zzqx_vvkw')).out, /^No matches\.$/m);
    assertFails(await catalog('search', 'x', '--limit', '0'), 2, /--limit/);
  });

  it('export writes a bundle that import applies elsewhere; --dry-run changes nothing', async () => {
    await catalog(...SEED_REGISTER);
    await catalog('register', 'business-logic', '--name', 'vip', '--expression', 'spend > 1000');
    const bundleFile = join(scratch, `bundle-${count}.json`);
    const exported = await json<{ file: string; entries: number }>('export', '--out', bundleFile, '--kind', 'pipeline');
    assert.deepEqual(exported, { file: bundleFile, entries: 1 });
    const toStdout = await catalog('export', '--tag', 'etl');
    assert.equal((JSON.parse(toStdout.out) as { entries: unknown[] }).entries.length, 1);

    file = join(scratch, `catalog-${count}-other`, 'catalog.json');
    const dry = await json<ImportReport>('import', bundleFile, '--dry-run');
    assert.equal(dry.dryRun, true);
    assert.equal(dry.counts.add, 1);
    assert.deepEqual(await json<CatalogEntry[]>('list'), [], 'a dry run leaves the catalog unchanged');

    const applied = await catalog('import', bundleFile);
    assert.equal(applied.code, 0, applied.err);
    assert.match(applied.out, /^Imported: 1 add\n {2}add {8}customer_etl \(pipeline\)/);
    assert.deepEqual((await json<CatalogEntry[]>('list')).map((e) => e.name), ['customer_etl']);
    const again = await json<ImportReport>('import', bundleFile, '--mode', 'new-version');
    assert.equal(again.counts.unchanged, 1);
  });
});

describe('neurolake catalog: failures and exit codes', () => {
  it('bad JSON in --logic names the option (5)', async () => {
    assertFails(await catalog('register', 'pipeline', '--name', 'x', '--logic', '{"source": postgres}'), 5, /--logic is not valid JSON/);
  });

  it('an unknown kind is a usage error (2)', async () => {
    assertFails(await catalog('register', 'pipe', '--name', 'x'), 2, /unknown kind "pipe"; use one of pipeline, business-logic, template/);
    assertFails(await catalog('list', '--kind', 'widget'), 2, /unknown kind "widget"/);
  });

  it('options that do not fit the kind, or each other, are usage errors (2)', async () => {
    assertFails(await catalog('register', 'template', '--name', 'x', '--body', 'SELECT 1', '--logic', '{}'), 2, /--logic is for a pipeline, not a template/);
    assertFails(await catalog('register', 'pipeline', '--name', 'x', '--logic', '{}', '--logic-file', 'f'), 2, /give --logic or --logic-file, not both/);
    assertFails(await catalog('register', 'template', '--name', 'x', '--body', 'b', '--var', 'table'), 2, /name:type/);
    assertFails(await catalog('frobnicate'), 2, /unknown command 'frobnicate'/);
  });

  it('a duplicate name is a conflict (4)', async () => {
    await catalog(...SEED_REGISTER);
    assertFails(await catalog(...SEED_REGISTER), 4, /A pipeline pattern named "customer_etl" already exists/);
  });

  it('an unknown id or name is not found (3)', async () => {
    for (const argv of [['get', 'nope'], ['versions', 'nope'], ['diff', 'nope', '1.0.0', '1.1.0'], ['delete', 'nope'], ['restore', 'nope'], ['copy', 'nope', '--name', 'y'], ['deprecate', 'nope', '--reason', 'r']]) {
      assertFails(await catalog(...argv), 3, /No catalog entry has the id or name "nope"/);
    }
    assertFails(await catalog('import', join(scratch, 'missing.json')), 3, /no such file/);
    assertFails(await catalog('register', 'pipeline', '--name', 'x', '--logic-file', join(scratch, 'missing.json')), 3, /--logic-file: no such file/);
  });

  it('the entry is checked by the catalog, which names the field (5)', async () => {
    assertFails(await catalog('register', 'pipeline', '--name', 'x'), 5, /logic must be an object/);
    assertFails(await catalog('register', 'template', '--name', 'x', '--body', 'b', '--var', 'a:tabel'), 5, /variables\[0\]\.type must be one of/);
    assertFails(await catalog('register', 'pipeline', '--name', 'x', '--logic', '{}', '--tags', 'has space'), 5, /is not a tag/);
  });

  it('a non-JSON, foreign or newer bundle is refused and nothing changes (5)', async () => {
    await catalog(...SEED_REGISTER);
    const before = readFileSync(file, 'utf8');
    const notJson = join(scratch, 'not-json.json');
    writeFileSync(notJson, 'name,kind\ncustomer_etl,pipeline\n');
    assertFails(await catalog('import', notJson), 5, /The bundle is not JSON/);
    const foreign = join(scratch, 'foreign.json');
    writeFileSync(foreign, '{"entries": []}');
    assertFails(await catalog('import', foreign), 5, /not a NeuroLake catalog bundle/);
    const newer = join(scratch, 'newer.json');
    writeFileSync(newer, JSON.stringify({ format: 'neurolake-catalog-bundle', formatVersion: 99, exportedAt: '2030-01-01T00:00:00Z', entries: [] }));
    assertFails(await catalog('import', newer, '--mode', 'overwrite'), 5, /format version 99, newer than this NeuroLake reads \(1\)/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('a 200 MB bundle is refused from its size, without reading it (5)', async () => {
    const huge = join(scratch, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 200 * 1024 * 1024); // sparse: no disk used
    const started = performance.now();
    assertFails(await catalog('import', huge), 5, /is 200\.0 MB, larger than 64 MB; split it by tag or kind/);
    assert.ok(performance.now() - started < 1000, 'refused before reading');
    rmSync(huge);
  });

  it('--help documents the exit codes; --catalog-file and $NEUROLAKE_CATALOG_FILE choose the file', async () => {
    const help = await cli('catalog', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /Exit codes:\n {2}0 {2}success\n {2}1 {2}general/);
    assert.match(help.out, /4 {2}conflict/);

    const fromEnv = join(scratch, 'env', 'catalog.json');
    process.env['NEUROLAKE_CATALOG_FILE'] = fromEnv;
    try {
      assert.equal((await cli('catalog', ...SEED_REGISTER)).code, 0);
      assert.ok(existsSync(fromEnv));
      // The option wins over the environment, before or after the subcommand.
      assert.equal((await cli('--catalog-file', file, 'catalog', 'list', '--json')).out.trim(), '[]');
    } finally {
      delete process.env['NEUROLAKE_CATALOG_FILE'];
    }
    const dataFolder = join(scratch, 'data');
    assert.equal((await cli('--data-folder', dataFolder, 'catalog', ...SEED_REGISTER)).code, 0);
    assert.ok(existsSync(join(dataFolder, 'catalog.json')));
  });
});

describe('dist/cli.js from a shell', () => {
  const root = join(import.meta.dirname, '..', '..');
  const cliJs = join(root, 'dist', 'cli.js');
  let home: string;

  before(() => {
    const started = Date.now();
    // Other bundles may fail while someone edits them; this test needs only a fresh dist/cli.js.
    spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'ignore' });
    assert.ok(existsSync(cliJs) && statSync(cliJs).mtimeMs >= started - 1000, 'node esbuild.mjs builds dist/cli.js');
    home = mkdtempSync(join(scratch, 'home-'));
  });

  function shell(...argv: string[]): Run {
    const run = spawnSync(process.execPath, [cliJs, ...argv], { encoding: 'utf8', env: { ...process.env, NEUROLAKE_HOME: home, NEUROLAKE_CATALOG_FILE: '' } });
    return { code: run.status ?? -1, out: run.stdout, err: run.stderr };
  }

  it('runs the README flow with exit codes and JSON', () => {
    const registered = shell('catalog', ...SEED_REGISTER);
    assert.equal(registered.code, 0, registered.err);
    const duplicate = shell('catalog', ...SEED_REGISTER);
    assertFails(duplicate, 4, /already exists/);

    const found = shell('catalog', 'search', 'customer', '--tag', 'etl', '--json');
    assert.equal(found.code, 0, found.err);
    assert.equal((JSON.parse(found.out) as { results: FoundEntry[] }).results[0]?.entry.name, 'customer_etl');

    const stats = shell('catalog', 'stats', '--json');
    assert.equal(stats.code, 0, stats.err);
    assert.equal((JSON.parse(stats.out) as CatalogStats).total_pipelines, 1);

    assertFails(shell('catalog', 'get', 'nope'), 3, /No catalog entry/);
    assertFails(shell('catalog', 'register', 'pipeline', '--name', 'x', '--logic', '{oops'), 5, /--logic is not valid JSON/);
    assert.ok(existsSync(join(home, 'catalog.json')));
  });
});
