// The catalog as a person uses it in a real VS Code: the built-ins are found, the selection is
// registered as a template, entries are inserted as formatted SQL (and hostile values refused),
// saving an entry's document versions it, entries are deprecated, deleted and restored, bundles
// are exported and imported, and a write by another process reaches this window.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../src/api';
import type { CatalogEntry, CatalogSearchResult, ImportReport, SearchQuery } from '../../server/protocol';
import { waitFor } from './waitFor';
import { SCD2_PARTS, SCD2_VALUES } from './scd2Expectations';
import { closeEverything, indentWithTwoSpaces, run, sqlEditor } from './workbench';
import { runCli } from './cli';

const EXTENSION_ID = 'neurolake.neurolake';
const SCD2 = 'builtin.scd2.timestamp';
const DEDUP = 'builtin.dedup.latest';
/** The body a person would select: two identifiers, quoted by the template engine when they must be. */
const BODY = 'SELECT * FROM {{ident table}} WHERE {{ident key}} IS NOT NULL';

type Template = Extract<CatalogEntry, { kind: 'template' }>;
type Found = CatalogSearchResult['results'][number];

let api: NeuroLakeApi;
let extensionPath: string;

async function search(query: SearchQuery): Promise<Found[]> {
  return [...(await api.searchCatalog(query)).results];
}

/** The entry as Search Catalog lists it, or undefined when search does not find it by `text`. */
async function found(text: string, id: string, extra: Omit<SearchQuery, 'text'> = {}): Promise<Found | undefined> {
  return (await search({ text, limit: 100, ...extra })).find((result) => result.id === id);
}

function ids(results: readonly Found[]): string[] {
  return results.map((result) => result.id);
}

/** Every catalog change event from now on, so a test can ask about one that already fired. */
function recordCatalogChanges(): { seen: (id: string, ms: number, what: string) => Promise<void>; dispose(): void } {
  const fired: (readonly string[])[] = [];
  const subscription = api.onDidChangeCatalog((changed) => fired.push(changed));
  return {
    async seen(id, ms, what) {
      if (fired.some((changed) => changed.length === 0 || changed.includes(id))) return;
      await waitFor(api.onDidChangeCatalog, (changed) => changed.length === 0 || changed.includes(id), ms, what);
    },
    dispose: () => subscription.dispose(),
  };
}



/** Registers BODY the way a person does: select it in a SQL editor, run the command, answer. */
async function registerTemplate(name: string, description: string): Promise<Template> {
  const editor = await sqlEditor(`-- scratch\n${BODY}\n`);
  const body = editor.document.lineAt(1).range;
  editor.selection = new vscode.Selection(body.start, body.end);
  const entry = await run<Template | undefined>('neurolake.catalog.registerSelection', {
    name,
    description,
    tags: ['orders', 'quality'],
    templateKind: 'data_quality',
    dialects: ['postgresql', 'sql'],
    types: { table: 'identifier', key: 'identifier' },
  });
  assert.ok(entry, `Register Selection as Template returned nothing for "${name}"`);
  return entry;
}

/** Replaces the first match of `pattern`'s group 1 in `document` and saves it; resolves to save()'s answer. */
async function editAndSave(document: vscode.TextDocument, pattern: RegExp, replacement: string): Promise<boolean> {
  const text = document.getText();
  const match = pattern.exec(text);
  assert.ok(match?.[1] !== undefined && match.index !== undefined, `${pattern} is not in ${document.uri.toString()}:\n${text}`);
  const start = match.index + match[0].indexOf(match[1]);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(start + match[1].length)), replacement);
  assert.equal(await vscode.workspace.applyEdit(edit), true, `the edit of ${document.uri.toString()} was not applied`);
  return document.save();
}

async function openEntryDocument(id: string): Promise<vscode.TextDocument> {
  const editor = await run<vscode.TextEditor | undefined>('neurolake.catalog.open', id);
  assert.ok(editor, `Open Catalog Entry returned no editor for ${id}`);
  assert.equal(editor.document.uri.scheme, 'neurolake-catalog');
  return editor.document;
}

/** Rejects unless `work` rejects with a message matching `expected`; resolves to that message. */
async function refused(work: Thenable<unknown>, expected: RegExp, what: string): Promise<string> {
  let outcome: unknown;
  try {
    outcome = await work;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    assert.ok(expected.test(message), `${what}: refused, but the message "${message}" does not match ${expected}`);
    return message;
  }
  assert.fail(`${what}: it was accepted (${JSON.stringify(outcome)?.slice(0, 300)})`);
}

function tempFile(name: string): vscode.Uri {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'neurolake-catalog-test-'));
  return vscode.Uri.file(path.join(folder, name));
}

/** Runs the NeuroLake CLI of this build as another process would; rejects with its stderr on failure. */
const cli = (args: readonly string[]): Promise<string> => runCli(extensionPath, args);

suite('Catalog in VS Code', () => {
  suiteSetup(async () => {
    await indentWithTwoSpaces();
    const extension = vscode.extensions.getExtension<NeuroLakeApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    extensionPath = extension.extensionPath;
    api = await extension.activate();
    if (api.state !== 'running') await waitFor(api.onDidChangeState, (state) => state === 'running', 30_000, 'the server never reached "running"');
  });

  // Untitled editors are dirty after an insert: revert them, or closing would ask to save. A test
  // that failed while a command asked something leaves its prompt open: close it too.
  teardown(closeEverything);

  test('the catalog engine is ready and search finds the built-in SCD2 templates', async () => {
    const status = await api.status();
    const catalog = status.engines.find((engine) => engine.name === 'catalog');
    assert.equal(catalog?.state, 'ready', `engine "catalog" is not ready: ${JSON.stringify(status.engines)}`);

    const results = await search({ text: 'scd2' });
    assert.deepEqual(ids(results).slice(0, 2).sort(), ['builtin.scd2.check', SCD2], `"scd2" ranked ${ids(results).join(', ')}`);
    const scd2 = results.find((result) => result.id === SCD2)!;
    assert.equal(scd2.name, 'SCD Type 2 (timestamp strategy)');
    assert.equal(scd2.kind, 'template');
    assert.equal(scd2.builtin, true);
  });

  test('search forgives a typo: "dedpulicate" finds the deduplication template first', async () => {
    const results = await search({ text: 'dedpulicate' });
    assert.equal(results[0]?.id, DEDUP, `"dedpulicate" found ${ids(results).join(', ') || 'nothing'}`);
  });

  test('searching for "deduplication", even misspelled "dedpulication", finds the deduplication template', async () => {
    // What a person calls the pattern; its name says "Deduplicate" and its tags "dedup", "deduplicate".
    for (const text of ['deduplication', 'dedpulication']) {
      const results = await search({ text });
      assert.ok(ids(results).includes(DEDUP), `"${text}" found ${ids(results).join(', ') || 'nothing'}, not ${DEDUP} ("Deduplicate: keep the latest row per key")`);
    }
  });

  test('Register Selection as Template: version 1.0.0, variables detected, change event, found by its description', async () => {
    const changes = recordCatalogChanges();
    try {
      const entry = await registerTemplate('orders_not_null', 'Rows whose business key is present, for reconciliation reports');
      assert.equal(entry.version, '1.0.0');
      assert.equal(entry.kind, 'template');
      assert.equal(entry.body, BODY, 'the registered body is not the selection');
      assert.deepEqual(
        entry.variables.map((v) => [v.name, v.type, v.required]),
        [
          ['table', 'identifier', true],
          ['key', 'identifier', true],
        ],
      );
      assert.deepEqual(entry.tags, ['orders', 'quality']);
      await changes.seen(entry.id, 10_000, `no onDidChangeCatalog for the registered entry ${entry.id}`);
      const hit = await found('reconciliation', entry.id);
      assert.ok(hit, 'searching a word of the description ("reconciliation") does not find the new template');
      assert.equal(hit.version, '1.0.0');
    } finally {
      changes.dispose();
    }
  });

  test('Inserted SQL is indented like the editor: tabs in an editor that uses tabs', async () => {
    const entry = await registerTemplate('orders_tabbed', 'Orders, indented with tabs');
    const editor = await sqlEditor();
    editor.options = { tabSize: 4, insertSpaces: false };
    await run('neurolake.catalog.insert', entry, { values: { table: 'dw.orders', key: 'order_id' }, dialect: 'postgresql' });
    assert.equal(editor.document.getText(), 'SELECT\n\t*\nFROM\n\tdw.orders\nWHERE\n\torder_id IS NOT NULL');
  });

  test('Insert into Editor renders formatted SQL with the values, and refuses an injection without touching the document', async () => {
    const entry = await registerTemplate('orders_key_present', 'Orders that have a key');
    const editor = await sqlEditor();
    const inserted = await run<string>('neurolake.catalog.insert', entry, {
      values: { table: 'dw.orders', key: 'order_id' },
      dialect: 'postgresql',
    });
    const expected = 'SELECT\n  *\nFROM\n  dw.orders\nWHERE\n  order_id IS NOT NULL';
    assert.equal(editor.document.getText(), expected);
    assert.equal(inserted, expected);

    const before = editor.document.getText();
    const message = await refused(
      run('neurolake.catalog.insert', entry, { values: { table: 'x; DROP TABLE users', key: 'order_id' }, dialect: 'postgresql' }),
      /"table"/,
      'inserting with table = "x; DROP TABLE users"',
    );
    assert.match(message, /x; DROP TABLE users/, 'the refusal does not show the refused value');
    assert.equal(editor.document.getText(), before, 'the document changed although the insertion was refused');
    assert.equal(vscode.window.activeTextEditor?.document, editor.document, 'the refused insertion moved the focus to another document');
  });

  test('Insert the built-in SCD2 (timestamp) for PostgreSQL: formatted UPDATE and INSERT, no template syntax left', async () => {
    const editor = await sqlEditor();
    await run('neurolake.catalog.insert', SCD2, {
      // Every variable, the optional ones at their defaults: a value left out is asked for.
      values: SCD2_VALUES,
      dialect: 'postgresql',
    });
    const sql = editor.document.getText();
    assert.ok(sql.startsWith('-- SCD Type 2 of analytics.dim_customer from staging.customers'), `the SQL does not start with its header comment:\n${sql}`);
    assert.ok(!sql.includes('{{') && !sql.includes('}}'), `template syntax left in the SQL:\n${sql}`);
    for (const part of SCD2_PARTS) {
      assert.ok(sql.includes(part), `the SCD2 SQL lacks\n${part}\n--- it is:\n${sql}`);
    }
    const usage = (await found('scd2', SCD2))?.usage;
    assert.deepEqual(usage?.counts, { inserted: 1, rendered: 0, executed: 0 }, 'one insertion must count as one use, an insert');
  });

  test("Saving an entry's document: a new description is v1.1.0, a variable's new type is v2.0.0", async () => {
    const entry = await registerTemplate('orders_versioned', 'First description');
    const document = await openEntryDocument(entry.id);
    assert.match(document.lineAt(0).text, /^\/\/ orders_versioned — template \(id [0-9a-f-]{36}\)$/, 'the header does not name the entry');

    assert.equal(await editAndSave(document, /^ {2}"description": (".*"),$/m, JSON.stringify('Second description, about invoices')), true, 'save() failed');
    assert.equal(document.isDirty, false, 'the document is still dirty after saving');
    let hit = await found('invoices', entry.id);
    assert.ok(hit, 'search does not find the saved description ("invoices")');
    assert.equal(hit.version, '1.1.0', 'a new description should be a minor version');

    assert.equal(await editAndSave(document, /"name": "key",\s*"type": ("identifier")/, '"string"'), true, 'the second save() failed');
    hit = await found('invoices', entry.id);
    assert.equal(hit?.version, '2.0.0', "a variable's new type changes the template's interface: a major version");
  });

  test('Show Versions opens a diff of two versions, and Copy ID puts the id on the clipboard', async () => {
    const entry = await registerTemplate('orders_diffed', 'Before the change');
    const document = await openEntryDocument(entry.id);
    assert.equal(await editAndSave(document, /^ {2}"description": (".*"),$/m, JSON.stringify('After the change')), true, 'save() failed');
    await run('neurolake.catalog.showVersions', entry, ['1.0.0', '1.1.0']);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputTextDiff, `the active tab is not a diff: ${JSON.stringify(input)}`);
    const [before, after] = await Promise.all([vscode.workspace.openTextDocument(input.original), vscode.workspace.openTextDocument(input.modified)]);
    assert.match(before.getText(), /"description": "Before the change"/);
    assert.match(after.getText(), /"description": "After the change"/);
    assert.equal(after.uri.query, 'version=1.1.0');

    assert.equal(await run('neurolake.catalog.copyId', entry), entry.id);
    assert.equal(await vscode.env.clipboard.readText(), entry.id);
  });

  test('After saving, the open document claims no version it has replaced', async () => {
    const entry = await registerTemplate('orders_header', 'Header check');
    const document = await openEntryDocument(entry.id);
    assert.equal(await editAndSave(document, /^ {2}"description": (".*"),$/m, JSON.stringify('Header check, edited')), true, 'save() failed');
    assert.equal((await found('header', entry.id))?.version, '1.1.0');
    // VS Code keeps a saved document's text as saved, so a version in it would go stale.
    assert.doesNotMatch(document.getText(), /\bv?1\.0\.0\b/, 'the saved document still names version 1.0.0');
  });

  test("A built-in's document is read-only: typing and saving leave the entry as it was", async () => {
    const before = await found('scd2', SCD2);
    const document = await openEntryDocument(SCD2);
    const text = document.getText();
    assert.match(document.lineAt(1).text, /Read-only/, 'the header does not say the built-in is read-only');

    assert.equal(vscode.window.activeTextEditor?.document, document, 'Open Catalog Entry did not focus the built-in');
    await vscode.commands.executeCommand('type', { text: 'typed by a person' });
    assert.equal(document.getText(), text, 'typing changed the read-only built-in');
    assert.equal(await document.save(), false, 'saving the built-in reported success');
    const after = await found('scd2', SCD2);
    assert.equal(after?.version, before?.version);
    assert.equal(after?.description, before?.description);
  });

  test('Writing entry documents through vscode.workspace.fs (other extensions, scripts): a new version for mine, refused for a built-in', async () => {
    const entry = await registerTemplate('orders_written', 'Written through the file system');
    const mine = await openEntryDocument(entry.id);
    const edited = mine.getText().replace('Written through the file system', 'Written through the file system, again');
    await vscode.workspace.fs.writeFile(mine.uri, Buffer.from(edited));
    assert.equal((await found('written', entry.id))?.version, '1.1.0', 'writing a new description did not make version 1.1.0');

    const builtin = await openEntryDocument(SCD2);
    const before = await found('scd2', SCD2);
    const changed = builtin.getText().replace(/("description": ")/, '$1Changed: ');
    await refused(vscode.workspace.fs.writeFile(builtin.uri, Buffer.from(changed)), /read-only/i, 'writing the built-in document through the file system');
    const after = await found('scd2', SCD2);
    assert.equal(after?.version, before?.version);
    assert.equal(after?.description, before?.description);
  });

  test('Deprecate, delete and restore: search shows the flag, then loses the entry, then finds it again', async () => {
    const entry = await registerTemplate('orders_lifecycle', 'Lifecycle of a catalog entry');

    await run('neurolake.catalog.deprecate', entry, 'Use orders_not_null instead');
    let hit = await found('lifecycle', entry.id);
    assert.equal(hit?.deprecated?.reason, 'Use orders_not_null instead', `search does not show the deprecation: ${JSON.stringify(hit)}`);

    await run('neurolake.catalog.delete', entry, { confirm: false });
    assert.equal(await found('lifecycle', entry.id), undefined, 'search still finds the deleted entry');
    assert.ok(await found('lifecycle', entry.id, { includeDeleted: true }), 'the deleted entry is gone for good, not recoverable');

    await run('neurolake.catalog.restore', entry.id);
    hit = await found('lifecycle', entry.id);
    assert.ok(hit, 'search does not find the restored entry');
    assert.equal(hit.deletedAt, undefined);
    assert.equal(hit.version, '1.0.0', 'deprecating, deleting and restoring changed the version');
  });

  test('Export, then import with "keep mine": nothing changes and the report says so; a file that is not JSON is refused', async () => {
    const kept = await registerTemplate('orders_exported', 'Exported and imported back');
    const uri = tempFile('bundle.json');
    const exported = await run<{ uri: vscode.Uri; count: number }>('neurolake.catalog.export', uri, {});
    const bundle = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8')) as { entries: { versions: { id: string; description: string }[] }[] };
    assert.equal(bundle.entries.length, exported.count);
    assert.ok(bundle.entries.some((e) => e.versions.some((v) => v.id === kept.id)), 'the bundle lacks the registered entry');
    assert.ok(!bundle.entries.some((e) => e.versions.some((v) => v.id.startsWith('builtin.'))), 'the bundle carries built-ins');

    const same = await run<ImportReport>('neurolake.catalog.import', uri, { mode: 'skip', apply: true });
    assert.deepEqual(same.counts, { add: 0, skip: 0, unchanged: exported.count, overwrite: 0, newVersion: 0 });

    // Theirs differs from mine: "keep mine" skips it and leaves mine alone.
    const theirs = bundle.entries.find((e) => e.versions.some((v) => v.id === kept.id))!;
    theirs.versions[theirs.versions.length - 1]!.description = 'Their description';
    await vscode.workspace.fs.writeFile(uri, Buffer.from(JSON.stringify(bundle)));
    const skipped = await run<ImportReport>('neurolake.catalog.import', uri, { mode: 'skip', apply: true });
    assert.deepEqual(skipped.counts, { add: 0, skip: 1, unchanged: exported.count - 1, overwrite: 0, newVersion: 0 });
    const mine = await found('exported', kept.id);
    assert.equal(mine?.description, 'Exported and imported back');
    assert.equal(mine?.version, '1.0.0');

    const broken = tempFile('broken.json');
    await vscode.workspace.fs.writeFile(broken, Buffer.from('{ "format": "neurolake-catalog", entries: [ '));
    await refused(run('neurolake.catalog.import', broken, { mode: 'skip', apply: true }), /not JSON/, 'importing a file that is not JSON');
  });

  test('An entry registered by another process (the CLI) reaches this window', async () => {
    const home = process.env.NEUROLAKE_HOME;
    assert.ok(home, 'the harness sets NEUROLAKE_HOME to the data folder of this run');
    // Subscribed before the write, and checked on every change: the first event may be the CLI's lock file.
    let id: string | undefined;
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error('no catalog change in this window made "from_cli" searchable (waited 20 s)'));
      }, 20_000);
      const subscription = api.onDidChangeCatalog(async () => {
        const hit = (await search({ text: 'from_cli' })).find((result) => result.name === 'from_cli');
        if (hit === undefined) return;
        id = hit.id;
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      });
    });
    const out = await cli(['catalog', 'register', 'pipeline', '--name', 'from_cli', '--logic', '{}', '--data-folder', home, '--json']);
    await arrived;
    const registered = JSON.parse(out) as CatalogEntry;
    assert.equal(id, registered.id, 'this window found another "from_cli" than the one the CLI registered');
    const hit = await found('from_cli', registered.id);
    assert.equal(hit?.kind, 'pipeline');
  });

  test('Refresh shows what another process wrote at once: the Pipeline Patterns row counts it', async () => {
    const home = process.env.NEUROLAKE_HOME;
    assert.ok(home, 'the harness sets NEUROLAKE_HOME to the data folder of this run');
    type Row = { label: string; count: number };
    const pipelines = (rows: Row[]): number => rows.find((row) => row.label === 'Pipeline Patterns')?.count ?? 0;
    const before = pipelines(await run<Row[]>('neurolake.refreshViews'));
    await cli(['catalog', 'register', 'pipeline', '--name', 'refreshed_from_cli', '--logic', '{}', '--data-folder', home]);
    // No waiting on the file watcher: Refresh itself makes the server read the catalog file again.
    const after = await run<Row[]>('neurolake.refreshViews');
    assert.equal(pipelines(after), before + 1, `after Refresh the Catalog view shows ${JSON.stringify(after)}`);
  });
});
