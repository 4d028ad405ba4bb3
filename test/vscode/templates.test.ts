// Templates as a person edits them in a real VS Code: completion of the declared variables and
// helpers inside `{{ }}` (asked for and typed), diagnostics with their exact range and the
// "Declare variable" quick fix, SQL patterns completed by tag as snippets with a rendered preview,
// Insert Pattern and Render Template to New Editor, formatting of SQL and of templates, and hover.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NeuroLakeApi } from '../../src/api';
import { waitFor } from './waitFor';
import { SCD2_PARTS, SCD2_VALUES } from './scd2Expectations';
import { closeEverything, indentWithTwoSpaces, run, sqlEditor } from './workbench';

const EXTENSION_ID = 'neurolake.neurolake';
const SCD2 = 'builtin.scd2.timestamp';
const SCD2_NAME = 'SCD Type 2 (timestamp strategy)';

/**
 * A template declaring `table` and `since` in its front matter, then its SQL; shared with the UI
 * test. This bundle runs from out/test/vscode, the fixture stays in test/fixtures.
 */
const ORDERS = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'orders.sql.hbs'), 'utf8');
/** The body's first line: the one after the front matter's `--}}`. */
const BODY_LINE = ORDERS.split('\n').indexOf('--}}') + 1;
const FRONT_MATTER = ORDERS.split('\n').slice(0, BODY_LINE);


let workspace: string;
let created = 0;


/** Writes `name` (made unique per test) into the workspace folder and opens it in an editor. */
async function openFile(name: string, content: string): Promise<vscode.TextEditor> {
  created += 1;
  const file = path.join(workspace, String(created), name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document);
}


function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

async function completions(uri: vscode.Uri, position: vscode.Position, trigger?: string, resolve?: number): Promise<vscode.CompletionList> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList | undefined>('vscode.executeCompletionItemProvider', uri, position, trigger, resolve);
  assert.ok(list, `no completion list at ${position.line}:${position.character} of ${uri.toString()}`);
  return list;
}

/** Kind and detail of each named item, so one assertion shows everything that differs. */
function kindsAndDetails(list: vscode.CompletionList, names: readonly string[]): [string, string | undefined, string | undefined][] {
  return names.map((name) => {
    const item = list.items.find((i) => labelOf(i) === name);
    return [name, item === undefined ? undefined : vscode.CompletionItemKind[item.kind ?? -1], item?.detail];
  });
}

const NEUROLAKE_DIAGNOSTICS = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.filter((d) => d.source === 'neurolake');

/**
 * The diagnostics of `uri` once `predicate` holds for them: at once when it already does, else on
 * the onDidChangeDiagnostics that makes it so; fails after `ms` showing what was there instead.
 */
function diagnosticsWhen(uri: vscode.Uri, predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean, what: string, ms = 10_000): Promise<vscode.Diagnostic[]> {
  const now = () => vscode.languages.getDiagnostics(uri);
  // Checked and subscribed in the same tick, so no publication can slip in between.
  if (predicate(now())) return Promise.resolve(now());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      const seen = now().map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`);
      reject(new Error(`${what} (waited ${ms / 1000} s); the diagnostics are: ${seen.join(' | ') || 'none'}`));
    }, ms);
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString()) || !predicate(now())) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(now());
    });
  });
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

function rangeText(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Formats `document` the way Format Document does, applies the edits, and returns the new text. */
async function formatDocument(document: vscode.TextDocument, options: vscode.FormattingOptions): Promise<string> {
  const edits = await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatDocumentProvider', document.uri, options);
  assert.ok(edits && edits.length > 0, `formatting ${path.basename(document.uri.fsPath)} gave no edits`);
  const edit = new vscode.WorkspaceEdit();
  edit.set(document.uri, edits);
  assert.equal(await vscode.workspace.applyEdit(edit), true, `the formatting edits of ${document.uri.toString()} were not applied`);
  return document.getText();
}

/** Every `{{ }}` of a template in order, comments (the front matter) included. */
function mustaches(text: string): string[] {
  return text.match(/\{\{!--[\s\S]*?--\}\}|\{\{[\s\S]*?\}\}/g) ?? [];
}

function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n---\n');
}

suite('Templates in VS Code', () => {
  suiteSetup(async () => {
    await indentWithTwoSpaces();
    const extension = vscode.extensions.getExtension<NeuroLakeApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    const api = await extension.activate();
    if (api.state !== 'running') await waitFor(api.onDidChangeState, (state) => state === 'running', 30_000, 'the server never reached "running"');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens VS Code on a workspace folder');
    workspace = folder.uri.fsPath;
  });

  // Edited and untitled editors are dirty: revert them, or closing would ask to save. A test that
  // failed while a command asked something leaves its prompt open: close it too.
  teardown(closeEverything);

  test('right after {{ in a template, the declared variables (with their type) and the helpers are offered', async () => {
    const editor = await openFile('orders.sql.hbs', ORDERS.replace('{{literal since}}', '{{literal since}} and {{'));
    const line = editor.document.lineAt(BODY_LINE).text;
    const cursor = new vscode.Position(BODY_LINE, line.length);
    editor.selection = new vscode.Selection(cursor, cursor);

    const list = await completions(editor.document.uri, cursor);
    assert.deepEqual(kindsAndDetails(list, ['table', 'since', 'dialect', 'ident', 'literal']), [
      ['table', 'Variable', 'identifier'],
      ['since', 'Variable', 'string'],
      ['dialect', 'Constant', 'dialect'],
      ['ident', 'Function', '{{ident name}}'],
      ['literal', 'Function', '{{literal value}}'],
    ]);
    const since = list.items.find((item) => labelOf(item) === 'since')!;
    const documentation = since.documentation;
    assert.equal(typeof documentation === 'string' ? documentation : documentation?.value, '`since`: string\n\nEarliest order day\n\nDefault: `2024-01-01`');
    assert.ok(!list.items.some((item) => item.kind === vscode.CompletionItemKind.Snippet && labelOf(item) === SCD2_NAME), 'SQL patterns are offered inside {{ }}');
  });

  test('typing {{ in the editor: the completion at the cursor offers the variables and helpers', async () => {
    const editor = await openFile('orders.sql.hbs', ORDERS.replace('{{literal since}}\n', '{{literal since}}\nand '));
    const end = editor.document.lineAt(BODY_LINE + 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    assert.equal(vscode.window.activeTextEditor?.document, editor.document, 'the template is not the active editor');

    const changed = waitFor(vscode.workspace.onDidChangeTextDocument, (e) => e.document === editor.document && e.document.getText().includes('and {{'), 5_000, 'typing {{ did not change the document');
    await vscode.commands.executeCommand('type', { text: '{{' });
    await changed;
    const cursor = editor.selection.active;
    const typedLine = editor.document.lineAt(cursor.line).text;
    // Whether the editor closed the braces too depends on the language's settings; either way the cursor is just after `{{`.
    assert.equal(typedLine.slice(0, cursor.character), 'and {{', `the line is "${typedLine}" with the cursor at ${cursor.character}`);

    const list = await completions(editor.document.uri, cursor, '{');
    assert.deepEqual(kindsAndDetails(list, ['table', 'since', 'ident']), [
      ['table', 'Variable', 'identifier'],
      ['since', 'Variable', 'string'],
      ['ident', 'Function', '{{ident name}}'],
    ]);
    // Accepting `table` puts just the name at the cursor.
    const table = list.items.find((item) => labelOf(item) === 'table')!;
    assert.equal(table.insertText ?? labelOf(table), 'table');
    const where = table.range instanceof vscode.Range ? table.range : table.range?.replacing;
    assert.ok(where?.isEmpty && where.start.isEqual(cursor), `the item would replace ${where ? rangeText(where) : 'nothing'}, not insert at the cursor`);
  });

  test('an unknown variable is a warning on exactly its name; "Declare variable" declares it and the warning goes', async () => {
    const editor = await openFile('orders.sql.hbs', ORDERS.replace('{{ident table}}', '{{ident nope}} join {{ident table}}'));
    const uri = editor.document.uri;
    const found = await diagnosticsWhen(uri, (d) => NEUROLAKE_DIAGNOSTICS(d).length > 0, 'no NeuroLake diagnostic for {{ident nope}}');
    assert.deepEqual(
      NEUROLAKE_DIAGNOSTICS(found).map((d) => [codeOf(d), vscode.DiagnosticSeverity[d.severity], rangeText(d.range), d.message]),
      [['undeclared-variable', 'Warning', `${BODY_LINE}:22-${BODY_LINE}:26`, 'The template uses "nope" but does not declare it.']],
    );
    const warning = NEUROLAKE_DIAGNOSTICS(found)[0]!;
    assert.equal(editor.document.getText(warning.range), 'nope');

    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, warning.range);
    const fix = actions.find((action): action is vscode.CodeAction => action.title === 'Declare variable `nope`');
    assert.ok(fix, `no "Declare variable \`nope\`" among ${actions.map((a) => a.title).join(', ') || 'no actions'}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.edit, 'the quick fix carries no edit');
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'the quick fix edit was not applied');
    assert.equal(
      editor.document.lineAt(6).text,
      '    { "name": "nope", "type": "identifier", "description": "" }',
      `the declaration is not on its own line after the others:\n${editor.document.getText()}`,
    );
    assert.equal(editor.document.lineAt(5).text, FRONT_MATTER[5] + ',');

    const after = await diagnosticsWhen(uri, (d) => !NEUROLAKE_DIAGNOSTICS(d).some((x) => codeOf(x) === 'undeclared-variable'), 'the undeclared-variable warning stayed after "Declare variable"');
    assert.deepEqual(NEUROLAKE_DIAGNOSTICS(after).map((d) => `${codeOf(d)} ${rangeText(d.range)}`), []);
  });

  test('typing "scd2" in a SQL file offers the SCD2 built-ins as snippets with tab stops, and resolving shows the formatted SQL', async () => {
    const editor = await openFile('query.sql', 'select 1;\nscd2');
    assert.equal(editor.document.languageId, 'sql');
    const uri = editor.document.uri;
    const cursor = new vscode.Position(1, 4);
    const list = await completions(uri, cursor);
    const patterns = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Snippet && item.detail?.startsWith('NeuroLake pattern'));
    assert.deepEqual(
      patterns.map(labelOf).slice(0, 2).sort(),
      ['SCD Type 2 (check-columns strategy)', SCD2_NAME],
      `the first patterns for "scd2" are ${patterns.map(labelOf).join(', ') || 'none'}`,
    );
    const item = patterns.find((i) => labelOf(i) === SCD2_NAME)!;
    assert.equal(item.detail, 'NeuroLake pattern · postgresql');
    assert.ok(item.insertText instanceof vscode.SnippetString, `the insert text is a ${typeof item.insertText}, not a SnippetString`);
    const snippet = item.insertText.value;
    assert.ok(
      snippet.startsWith('-- SCD Type 2 of ${1:target} from ${2:source}: a key changed when its updated_at is newer than the current version.\n'),
      `the snippet does not start with its header and the first tab stops:\n${snippet}`,
    );
    assert.ok(snippet.includes('UPDATE ${1} AS t\nSET\n  ${3:valid_to} = s.${4:updated_at},\n  ${5:is_current} = FALSE\nFROM\n  ${2} AS s\n'), `the UPDATE is not formatted with tab stops:\n${snippet}`);
    assert.ok(!snippet.includes('{{'), `template syntax in the snippet:\n${snippet}`);
    const replaced = item.range instanceof vscode.Range ? item.range : item.range?.replacing;
    assert.equal(replaced && rangeText(replaced), '1:0-1:4', 'accepting the pattern does not replace the typed "scd2"');

    // Resolve as the editor does when the item is selected: its documentation is the rendered preview.
    const resolved = await completions(uri, cursor, undefined, list.items.length);
    const documentation = resolved.items.find((i) => labelOf(i) === SCD2_NAME)?.documentation;
    const preview = typeof documentation === 'string' ? documentation : documentation?.value;
    assert.ok(preview, 'the resolved SCD2 item has no documentation');
    for (const part of [
      '```sql\n-- SCD Type 2 of target from source: a key changed when its updated_at is newer than the current version.\n',
      'UPDATE target AS t\nSET\n  valid_to = s.updated_at,\n  is_current = FALSE\nFROM\n  source AS s\nWHERE\n  t.unique_key = s.unique_key\n  AND t.is_current\n  AND s.updated_at > t.valid_from;\n',
      'INSERT INTO\n  target (unique_key, value_columns, valid_from, valid_to, is_current)\n',
      'COMMIT;\n```',
      '*postgresql* · ',
    ]) {
      assert.ok(preview.includes(part), `the preview lacks\n${part}\n--- it is:\n${preview}`);
    }
  });

  test('"Insert Pattern…" is offered as a code action in a SQL file', async () => {
    const editor = await openFile('insert.sql', 'select 1;\n');
    const at = new vscode.Range(1, 0, 1, 0);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', editor.document.uri, at);
    const insert = actions.find((action): action is vscode.CodeAction => action.title === 'Insert Pattern…');
    assert.ok(insert, `no "Insert Pattern…" among ${actions.map((a) => a.title).join(', ') || 'no actions'}`);
    assert.equal(insert.kind?.value, 'refactor.insert.pattern');
    assert.equal(insert.command?.command, 'neurolake.template.insertPattern');
  });

  test('Insert Pattern with the SCD2 built-in (the entry, as the catalog gives it) for PostgreSQL puts formatted SCD2 SQL in the editor', async () => {
    const editor = await sqlEditor();
    const inserted = await run<string>('neurolake.template.insertPattern', { id: SCD2, name: SCD2_NAME }, { values: SCD2_VALUES, dialect: 'postgresql' });
    const sql = editor.document.getText();
    assert.equal(inserted, sql, 'the command does not return what it inserted');
    assert.ok(!sql.includes('{{') && !sql.includes('}}'), `template syntax left in the SQL:\n${sql}`);
    assert.ok(sql.startsWith(SCD2_PARTS[0]!), `the SQL does not start with its header and BEGIN:\n${sql}`);
    assert.ok(sql.endsWith('\nCOMMIT;'), `the SQL does not end with COMMIT:\n${sql}`);
    for (const part of SCD2_PARTS) assert.ok(sql.includes(part), `the SCD2 SQL lacks\n${part}\n--- it is:\n${sql}`);
  });

  test('Insert Pattern by id ("builtin.scd2.timestamp", as a keybinding or script passes it) inserts the SCD2 without asking which pattern', async () => {
    // An id is a string like the URI the server's code action passes; the command must tell them
    // apart (a code action also passes a position), or it drops the id and opens the pattern picker.
    const editor = await sqlEditor();
    const inserted = await run<string>('neurolake.template.insertPattern', SCD2, { values: SCD2_VALUES, dialect: 'postgresql' });
    const sql = editor.document.getText();
    assert.equal(inserted, sql, 'the command does not return what it inserted');
    assert.ok(!sql.includes('{{'), `template syntax left in the SQL:\n${sql}`);
    for (const part of SCD2_PARTS) assert.ok(sql.includes(part), `the SCD2 SQL lacks\n${part}\n--- it is:\n${sql}`);
  });

  test('Render Template to New Editor opens a new untitled SQL document with the rendered SCD2', async () => {
    const before = vscode.window.activeTextEditor?.document;
    const document = await run<vscode.TextDocument | undefined>('neurolake.template.renderToEditor', SCD2, { values: SCD2_VALUES, dialect: 'postgresql' });
    assert.ok(document, 'Render Template to New Editor returned no document');
    assert.notEqual(document, before);
    assert.equal(document.uri.scheme, 'untitled');
    assert.equal(document.languageId, 'sql');
    assert.equal(vscode.window.activeTextEditor?.document, document, 'the rendered document is not the active editor');
    const sql = document.getText();
    assert.ok(!sql.includes('{{'), `template syntax left in the SQL:\n${sql}`);
    assert.ok(sql.startsWith(SCD2_PARTS[0]!), `the rendered SQL does not start with its header:\n${sql}`);
    for (const part of SCD2_PARTS) assert.ok(sql.includes(part), `the rendered SCD2 lacks\n${part}\n--- it is:\n${sql}`);
  });

  test('Format Document on messy SQL gives formatted SQL, with the editor indentation', async () => {
    const editor = await openFile('messy.sql', 'select a, b from t where x = 1;\nselect 2;\n');
    const text = await formatDocument(editor.document, { tabSize: 4, insertSpaces: true });
    assert.equal(text, 'SELECT\n    a,\n    b\nFROM\n    t\nWHERE\n    x = 1;\n\nSELECT\n    2;\n');
  });

  test('Format Document on a template formats its SQL and keeps every {{ }} and block as it was', async () => {
    const source = ORDERS.replace('select', '{{#if (eq dialect "duckdb")}}\nselect') + '{{else}}\nselect 1\n{{/if}}\n';
    const editor = await openFile('format.sql.hbs', source);
    const text = await formatDocument(editor.document, { tabSize: 2, insertSpaces: true });
    assert.deepEqual(mustaches(text), mustaches(source), 'formatting changed, lost or reordered a {{ }}');
    assert.equal(
      text,
      [
        ...FRONT_MATTER,
        '{{#if (eq dialect "duckdb")}}',
        'SELECT',
        '  *',
        'FROM',
        '  {{ident table}}',
        'WHERE',
        '  ordered_on >= {{literal since}}',
        '{{else}}',
        'SELECT',
        '  1',
        '{{/if}}',
        '',
      ].join('\n'),
    );
  });

  test('hovering a variable shows its type, description and default; go to definition lands on its declaration', async () => {
    const editor = await openFile('orders.sql.hbs', ORDERS);
    const uri = editor.document.uri;
    const line = editor.document.lineAt(BODY_LINE).text;
    const table = new vscode.Position(BODY_LINE, line.indexOf('table}}') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, table);
    assert.equal(hoverText(hovers), '`table`: identifier, required\n\nOrders table to read\n\nDeclared in the front matter, line 5.');
    assert.equal(hovers[0]?.range && rangeText(hovers[0].range), `${BODY_LINE}:${line.indexOf('table}}')}-${BODY_LINE}:${line.indexOf('table}}') + 5}`);

    const since = new vscode.Position(BODY_LINE, line.indexOf('since}}') + 1);
    const sinceHover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, since));
    assert.equal(sinceHover, '`since`: string\n\nEarliest order day\n\nDefault: `2024-01-01`\n\nDeclared in the front matter, line 6.');

    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, table);
    const target = definitions[0];
    const where = target === undefined ? undefined : 'targetRange' in target ? target.targetSelectionRange ?? target.targetRange : target.range;
    assert.equal(where && rangeText(where), `4:15-4:20`, 'go to definition does not land on "table" in the front matter');
    assert.equal(where && editor.document.getText(where), 'table');
  });
});
